// Phase "hops": one ring with short maintenance periods, grown through several sizes; at each, random ids
// are routed from random nodes in both modes and checked against the true owner. Hops against N.
import type { RingSettings } from '../../tools/network-state.js'
import { info, ok, pc, warn } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { errorList, ms } from './format.js'
import { pool } from './load.js'
import { randomId, randomItem } from './operations.js'
import { RingTruth, waitConverged } from './ring-truth.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'

export interface HopsPlan {
  /** Ring sizes, ascending: the ring grows from one to the next. */
  sizes: number[]
  /** Random ids routed per size, in each mode. */
  ids: number
  settings: RingSettings
}

export interface HopRow {
  n: number
  ids: number
  fingers: Summary
  linear: Summary
  halfLog2N: number
  wrongOwners: number
  errors: number
  /** Failed findnodes by mode and error code. */
  errorCodes: Record<string, number>
  convergence: { converged: boolean; ms: number; correctNodes: number }
}

export interface HopsResult {
  rows: HopRow[]
  /** Spawn to joined while growing, with the short periods (five times the maintenance traffic). */
  joinsMs: Summary
  joinFailures: string[]
}

export async function measureHops(ctx: BenchContext, plan: HopsPlan): Promise<HopsResult> {
  const s = plan.settings
  info(`hops: one ring grown to N = ${plan.sizes.join(', ')} (stabilize ${s.stabilizeMs} ms, fingers ${s.fingerMs} ms), ${plan.ids} random ids per N in both modes`)
  const ring = await BenchRing.boot(ctx, 'hops', s)
  const rows: HopRow[] = []
  const joins: number[] = []
  const joinFailures: string[] = []
  try {
    for (const n of plan.sizes) {
      const growth = await ring.growTo(n, `hops: growing to N=${n}`)
      joins.push(...growth.joinMs)
      joinFailures.push(...growth.failures)
      const row = await routeRandomIds(ring, n, plan.ids)
      rows.push(row)
      ok(
        `hops N=${String(n).padStart(3)}: fingers mean ${row.fingers.mean.toFixed(2)} p50 ${row.fingers.p50} p99 ${row.fingers.p99}; ` +
          `linear mean ${row.linear.mean.toFixed(2)} p99 ${row.linear.p99}; ½·log2N ${row.halfLog2N.toFixed(2)}; ` +
          pc.dim(`fingers converged in ${ms(row.convergence.ms)}, ${row.wrongOwners} wrong owners, ${row.errors} errors`),
      )
    }
  } finally {
    await ring.stop()
  }
  return { rows, joinsMs: summarize(joins), joinFailures }
}

async function routeRandomIds(ring: BenchRing, n: number, ids: number): Promise<HopRow> {
  const processes = ring.processes()
  const convergence = await waitConverged(ring.client, processes, { pollMs: 100, timeoutMs: 30 * ring.settings.fingerMs })
  if (!convergence.converged) warn(`hops: N=${n} not converged after ${ms(convergence.ms)} (${convergence.last.correct}/${n} nodes right); measuring anyway`)
  const truth = RingTruth.of(ring.space, processes)
  const hops = { fingers: [] as number[], linear: [] as number[] }
  let wrongOwners = 0
  let errors = 0
  const errorCodes: Record<string, number> = {}
  await pool(ids, 4, async () => {
    const id = randomId()
    const owner = ring.space.toHex(truth.ownerOf(ring.space.parseHex(id)!))
    for (const mode of ['fingers', 'linear'] as const) {
      try {
        const reply = await ring.client.findNode(randomItem(processes), id, mode)
        hops[mode].push(reply.hops)
        if (reply.node.id !== owner) wrongOwners++
      } catch (error) {
        errors++
        const code = `${mode} ${(error as { code?: string }).code ?? 'ERROR'}`
        errorCodes[code] = (errorCodes[code] ?? 0) + 1
      }
    }
  })
  return {
    n,
    ids,
    fingers: summarize(hops.fingers),
    linear: summarize(hops.linear),
    halfLog2N: Math.log2(n) / 2,
    wrongOwners,
    errors,
    errorCodes,
    convergence: { converged: convergence.converged, ms: convergence.ms, correctNodes: convergence.last.correct },
  }
}

export function hopsSection(hops: HopsResult, plan: HopsPlan): Section {
  const s = plan.settings
  return {
    title: `lookup hops, mean p50 p99 (stabilize ${s.stabilizeMs} ms, fingers ${s.fingerMs} ms, ${plan.ids} random ids per N, random entry node)`,
    rows: hops.rows.map((r) => {
      const problems = [
        r.convergence.converged ? '' : `unconverged (${r.convergence.correctNodes}/${r.n} nodes right)`,
        r.wrongOwners + r.errors > 0 ? `${r.wrongOwners} wrong, ${r.errors} errors${errorList(r.errorCodes)}` : '',
      ].filter(Boolean)
      return {
        metric: `N=${r.n}: fingers · linear`,
        value: `${r.fingers.mean.toFixed(2)} ${r.fingers.p50} ${r.fingers.p99} · ${r.linear.mean.toFixed(1)} ${r.linear.p50} ${r.linear.p99}`,
        note: `½·log2 N = ${r.halfLog2N.toFixed(2)}`,
        ...(problems.length > 0 ? { alert: problems.join('; ') } : {}),
      }
    }),
  }
}
