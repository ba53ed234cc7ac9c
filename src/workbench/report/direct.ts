// Phase "direct": a client that knows the ring against one that asks any node, side by side on one ring
// of N = 32 with the default (fingers) routing. The fingers client sends each lookup to a random node,
// which routes it hop by hop; the direct client keeps a copy of the membership and asks the key's owner
// in one exchange (a MOVED answer would cost one more). The same values, the same warm connections, one
// lookup at a time for latency (the two clients taking turns), then rounds of 32 in flight that
// alternate between the two for throughput, so a busy moment on the machine falls on both. Stores are
// timed the same two ways.
import type { RingSettings } from '../../node/settings.js'
import { DirectClient } from '../../tools/direct-client.js'
import { info, ok, warn } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { errorList, ms, rate } from './format.js'
import { closedLoop, interleaved, sequential, type LoadResult, type Operation } from './load.js'
import { measureWindow, type Window } from './measure.js'
import { lookupOperation, newOpStats, randomItem, storeOperation } from './operations.js'
import { waitConverged } from './ring-truth.js'
import type { Section } from './table.js'
import { target } from './targets.js'

/** The seed lab's Flask ring, lookups per second with 32 in flight at N = 16 (issue 22). */
export const FLASK_LOOKUPS_PER_SECOND = 108
/** What the direct client must reach, as a multiple of the Flask figure, once the ring is warm. */
const FLASK_FACTOR = 25

export interface DirectPlan {
  size: number
  settings: RingSettings
  /** Values stored before the lookups (half each way, so stores are timed both ways too). */
  values: number
  /** Lookups each way before anything is timed: connections open, fingers settled. */
  warmup: number
  lookups: number
  inFlight: number
  /** Throughput rounds per client, alternating, each this long. */
  rounds: number
  roundSeconds: number
  maxRequests: number
}

export interface ClientFigures {
  /** One lookup at a time. */
  latency: LoadResult
  /** Stores, one at a time. */
  stores: LoadResult
  /** Lookups per second in each round, `inFlight` at a time. */
  rounds: number[]
  perSecond: number
  /** HTTP exchanges per lookup from the client's side: its request, plus one per hop or per MOVED. */
  exchanges: number
  /** CPU-milliseconds per lookup in the throughput rounds: the nodes', the client's (this process). */
  nodeCpuMsPerLookup: number
  clientCpuMsPerLookup: number
  /** Cores the rest of the machine kept busy meanwhile (other work competes with the ring's). */
  otherCores: number
  errors: number
  errorCodes: Record<string, number>
}

export interface DirectResult {
  n: number
  inFlight: number
  converged: boolean
  fingers: ClientFigures
  direct: ClientFigures & { redirects: number; routed: number; answeredDirect: number }
}

export async function measureDirect(ctx: BenchContext, plan: DirectPlan): Promise<DirectResult> {
  info(`direct: a ring of ${plan.size}, lookups through a random node (fingers) against straight to the owner (a client that knows the ring)`)
  const ring = await BenchRing.boot(ctx, 'direct', plan.settings)
  try {
    await ring.growTo(plan.size, 'direct: adding nodes')
    const processes = ring.processes()
    const convergence = await waitConverged(ring.client, processes, { pollMs: 200, timeoutMs: 10 * plan.settings.fingerMs })
    if (!convergence.converged) warn(`direct: ${convergence.last.correct}/${processes.length} nodes right after ${ms(convergence.ms)}; measuring anyway`)
    const direct = new DirectClient(ring.client, { seeds: () => processes, routeMode: plan.settings.routeMode })
    await direct.refresh()

    const stored: string[] = []
    const routedStores = await sequential(plan.values / 2, storeOperation(ring.client, processes, plan.settings.replicas, 'direct-routed', stored))
    const directStores = await sequential(plan.values / 2, async (i) => {
      const value = `direct-owner-${i}-${Date.now()}`
      await direct.store(value)
      stored.push(value)
    })
    const fingersStats = newOpStats()
    const fingersLookup = lookupOperation(ring.client, processes, stored)
    const directLookup: Operation = async () => {
      const value = randomItem(stored)
      const reply = await direct.lookup(value)
      if (reply.value !== value) throw Object.assign(new Error('wrong value'), { code: 'WRONG_VALUE' })
    }
    await sequential(plan.warmup, fingersLookup)
    await sequential(plan.warmup, directLookup)
    const before = { ...direct.counts }

    const [fingersLatency, directLatency] = (await interleaved(plan.lookups, [lookupOperation(ring.client, processes, stored, fingersStats), directLookup])) as [LoadResult, LoadResult]
    const load = { concurrency: plan.inFlight, durationMs: plan.roundSeconds * 1000, maxRequests: plan.maxRequests }
    const fingersRounds: Array<{ result: LoadResult; cpu: Window }> = []
    const directRounds: Array<{ result: LoadResult; cpu: Window }> = []
    const pids = ring.pids()
    const ports = ring.ports()
    for (let round = 0; round < plan.rounds; round++) {
      ctx.checkStopping()
      fingersRounds.push(await measureWindow(pids, ports, () => closedLoop(load, fingersLookup)))
      directRounds.push(await measureWindow(pids, ports, () => closedLoop(load, directLookup)))
    }
    const directCounts = { direct: direct.counts.direct - before.direct, redirects: direct.counts.redirects - before.redirects, routed: direct.counts.routed - before.routed }
    const answered = directCounts.direct + directCounts.routed
    const result: DirectResult = {
      n: processes.length,
      inFlight: plan.inFlight,
      converged: convergence.converged,
      fingers: figures(fingersLatency, routedStores, fingersRounds, 1 + mean(fingersStats.hops)),
      direct: { ...figures(directLatency, directStores, directRounds, 1 + directCounts.redirects / Math.max(1, answered)), redirects: directCounts.redirects, routed: directCounts.routed, answeredDirect: directCounts.direct },
    }
    ok(
      `direct: lookup p50 ${ms(result.fingers.latency.latencyMs.p50)} → ${ms(result.direct.latency.latencyMs.p50)}, ` +
        `${rate(result.fingers.perSecond)} → ${rate(result.direct.perSecond)} with ${plan.inFlight} in flight; ${directCounts.redirects} redirects, ${directCounts.routed} routed`,
    )
    return result
  } finally {
    await ring.stop()
  }
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
}

function figures(latency: LoadResult, stores: LoadResult, measured: Array<{ result: LoadResult; cpu: Window }>, exchanges: number): ClientFigures {
  const rounds = measured.map((m) => m.result)
  const all = [latency, stores, ...rounds]
  const lookups = Math.max(1, rounds.reduce((sum, r) => sum + r.ok, 0))
  const cpu = (of: (w: Window) => number) => measured.reduce((sum, m) => sum + of(m.cpu), 0)
  const errorCodes: Record<string, number> = {}
  for (const r of all) for (const [code, count] of Object.entries(r.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + count
  return {
    latency,
    stores,
    rounds: rounds.map((r) => r.perSecond),
    perSecond: mean(rounds.map((r) => r.perSecond)),
    exchanges,
    nodeCpuMsPerLookup: (cpu((w) => w.nodesCpu) * 1000) / lookups,
    clientCpuMsPerLookup: (cpu((w) => w.clientCpu) * 1000) / lookups,
    otherCores: mean(measured.map((m) => m.cpu.otherCores)),
    errors: all.reduce((sum, r) => sum + r.errors, 0),
    errorCodes,
  }
}

export function directSection(result: DirectResult): Section {
  const { fingers, direct } = result
  const at = `N = ${result.n}`
  const pick = (figure: (c: ClientFigures) => number) => ({ baseline: figure(fingers), variants: [figure(direct)] })
  const section = sideBySide(
    `a client that knows the ring: lookups straight to the owner against through a random node (fingers), one ring of ${result.n}, ${result.inFlight} in flight for lookups/s`,
    { baseline: 'fingers', variants: ['direct'] },
    [
      { metric: 'HTTP exchanges per lookup, client side', unit: 'exchanges', ...pick((c) => c.exchanges), format: (x) => x.toFixed(2) },
      { metric: `lookup p50, ${at}`, unit: 'ms', ...pick((c) => c.latency.latencyMs.p50), format: ms, targets: [{ comparison: '≤', factor: 0.5 }] },
      { metric: `lookup p99, ${at}`, unit: 'ms', ...pick((c) => c.latency.latencyMs.p99), format: ms },
      { metric: `lookups/s, ${at}`, unit: '/s', ...pick((c) => c.perSecond), format: rate, targets: [{ comparison: '≥', factor: 2 }] },
      { metric: 'CPU per lookup, the nodes', unit: 'ms', ...pick((c) => c.nodeCpuMsPerLookup), format: ms },
      { metric: 'CPU per lookup, the client', unit: 'ms', ...pick((c) => c.clientCpuMsPerLookup), format: ms },
      { metric: `store p50, ${at}`, unit: 'ms', ...pick((c) => c.stores.latencyMs.p50), format: ms },
    ],
  )
  const errors = fingers.errors + direct.errors
  section.rows.push({
    metric: `direct lookups/s against the Flask lab's ${FLASK_LOOKUPS_PER_SECOND}/s`,
    value: rate(direct.perSecond),
    vs: `${(direct.perSecond / FLASK_LOOKUPS_PER_SECOND).toFixed(1)}×`,
    target: target({ metric: `direct lookups/s, ${at}, warm ring, ${result.inFlight} in flight`, value: direct.perSecond, unit: '/s' }, '≥', FLASK_FACTOR * FLASK_LOOKUPS_PER_SECOND),
    targetLabel: `≥ ${FLASK_FACTOR}× Flask`,
    note: `rounds: fingers ${fingers.rounds.map(rate).join(', ')}; direct ${direct.rounds.map(rate).join(', ')}; the rest of the machine kept ${((fingers.otherCores + direct.otherCores) / 2).toFixed(1)} cores busy meanwhile`,
  })
  section.rows.push({
    metric: 'direct: redirects followed, routed instead',
    value: `${direct.redirects}, ${direct.routed}`,
    note: `of ${direct.answeredDirect + direct.routed} timed lookups; a copy from the network state is the whole ring`,
    ...(errors > 0 || !result.converged ? { alert: [errors > 0 ? `${errors} errors${errorList({ ...fingers.errorCodes, ...direct.errorCodes })}` : '', result.converged ? '' : 'ring not converged'].filter(Boolean).join('; ') } : {}),
  })
  return section
}
