// Phase "drop": a ring of its own whose every node loses 10 % of its calls to other nodes (make drop
// RATE=0.1), and lookups of values stored before the losses began. A lost call costs its caller one
// request timeout and is sent again (TIMEOUT_RETRIES), and the client waits for the ring's retries
// (clientDeadlineMs), so nearly every lookup succeeds, the unlucky ones a timeout later; a lookup of a
// stored value must never answer NOT_FOUND.
import { info, ok, warn } from '../../tools/output.js'
import type { RingSettings } from '../../node/settings.js'
import { changeEach } from '../faults/ring-faults.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { errorList, ms } from './format.js'
import { closedLoop, sequential, type LoadResult } from './load.js'
import { lookupOperation, storeOperation } from './operations.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface DropPlan {
  size: number
  /** The chance that each node-to-node call is lost. */
  dropRate: number
  /** Values stored before the losses begin. */
  values: number
  lookups: number
  /** Lookups in flight at once (each waits out its own lost calls). */
  inFlight: number
  settings: RingSettings
}

export interface DropResult {
  n: number
  dropRate: number
  values: number
  lookups: LoadResult
  /** Lookups of stored values that succeeded, in %. */
  successPercent: number
  /** Lookups of stored values that answered NOT_FOUND: never right. */
  falseNotFound: number
}

/** A lookup that meets one lost call is still well within the client's deadline: no run is this long. */
const LONGEST_RUN_MS = 10 * 60 * 1000

export async function measureDrop(ctx: BenchContext, plan: DropPlan): Promise<DropResult> {
  const percent = `${Math.round(plan.dropRate * 100)} %`
  info(`drop: a ring of ${plan.size} losing ${percent} of its node-to-node calls; ${plan.lookups} lookups of ${plan.values} stored values, ${plan.inFlight} in flight`)
  const ring = await BenchRing.boot(ctx, 'drop', plan.settings)
  try {
    await ring.growTo(plan.size, `drop: growing to N=${plan.size}`)
    const processes = ring.processes()
    const stored: string[] = []
    const stores = await sequential(plan.values, storeOperation(ring.client, processes, plan.settings.replicas, 'drop', stored))
    if (stores.errors > 0) warn(`drop: ${stores.errors} of ${plan.values} stores failed before the losses began${errorList(stores.errorCodes)}`)
    const nodes = processes.map((p) => ({ id: p.id, host: p.host, port: p.port, address: `${p.host}:${p.port}` }))
    await changeEach(ring.client, nodes, (faults) => ({ ...faults, dropRate: plan.dropRate }))
    const lookups = await closedLoop({ concurrency: plan.inFlight, durationMs: LONGEST_RUN_MS, maxRequests: plan.lookups }, lookupOperation(ring.client, processes, stored))
    const tried = lookups.ok + lookups.errors
    const result: DropResult = {
      n: processes.length,
      dropRate: plan.dropRate,
      values: stored.length,
      lookups,
      successPercent: tried === 0 ? 0 : (lookups.ok / tried) * 100,
      falseNotFound: lookups.errorCodes.NOT_FOUND ?? 0,
    }
    ok(`drop ${percent}: ${lookups.ok} of ${tried} lookups of stored values succeeded (${result.successPercent.toFixed(1)} %), p50 ${ms(lookups.latencyMs.p50)}, p99 ${ms(lookups.latencyMs.p99)}${errorList(lookups.errorCodes)}`)
    return result
  } finally {
    await ring.stop()
  }
}

export function dropSection(result: DropResult): Section {
  const { lookups } = result
  const percent = `${Math.round(result.dropRate * 100)} %`
  return {
    title: `lost calls: a ring of ${result.n} losing ${percent} of its node-to-node calls (make drop RATE=${result.dropRate}), lookups of stored values`,
    rows: [
      {
        metric: 'lookups that succeed',
        value: `${result.successPercent.toFixed(1)} % (${lookups.ok} of ${lookups.ok + lookups.errors})`,
        target: target({ metric: `lookups of stored values that succeed, ${percent} of calls lost`, value: result.successPercent, unit: '%' }, '≥', 99),
        ...(lookups.errors > 0 ? { alert: `failed${errorList(lookups.errorCodes)}` } : {}),
      },
      {
        metric: '  answered NOT_FOUND (false)',
        value: String(result.falseNotFound),
        target: target({ metric: `lookups of stored values answered NOT_FOUND, ${percent} of calls lost`, value: result.falseNotFound, unit: '' }, '=', 0),
      },
      { metric: '  latency p50 / p99', value: `${ms(lookups.latencyMs.p50)} / ${ms(lookups.latencyMs.p99)}`, note: 'a lookup that meets a lost call waits one request timeout, then asks again' },
    ],
  }
}
