// Phase "joins": boot a ring with the default periods and add nodes one at a time, timing each from
// spawn to joined, then wait until every finger is right. The ring stays up for the phases after it.
import type { RingSettings } from '../../tools/network-state.js'
import { info, ok, pc } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import type { FloorResult } from './floor.js'
import { ms, msPair, times } from './format.js'
import type { HopsResult } from './hops.js'
import { waitConverged } from './ring-truth.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface RingPlan {
  /** Nodes in the ring that the joins, idle, latency and throughput phases measure. */
  size: number
  settings: RingSettings
}

export interface JoinsResult {
  bootMs: number
  perNodeMs: Summary
  convergedAfterLastJoinMs: number
  converged: boolean
  correctNodes: number
  failures: string[]
}

export async function measureJoins(ctx: BenchContext, plan: RingPlan): Promise<{ ring: BenchRing; joins: JoinsResult }> {
  const s = plan.settings
  info(`ring: ${plan.size} nodes with the default periods (stabilize ${s.stabilizeMs} ms, fingers ${s.fingerMs} ms), added one at a time`)
  const bootStarted = performance.now()
  const ring = await BenchRing.boot(ctx, 'ring', s)
  const bootMs = performance.now() - bootStarted
  const growth = await ring.growTo(plan.size, 'ring: adding nodes')
  const convergence = await waitConverged(ring.client, ring.processes(), { pollMs: 100, timeoutMs: 10 * s.fingerMs })
  const joins: JoinsResult = {
    bootMs,
    perNodeMs: summarize(growth.joinMs),
    convergedAfterLastJoinMs: convergence.ms,
    converged: convergence.converged,
    correctNodes: convergence.last.correct,
    failures: growth.failures,
  }
  ok(
    `joins: ${growth.joinMs.length} nodes, mean ${ms(joins.perNodeMs.mean)} p99 ${ms(joins.perNodeMs.p99)} from spawn to joined; ` +
      (convergence.converged ? `fingers converged ${ms(convergence.ms)} after the last join` : pc.yellow(`fingers not converged after ${ms(convergence.ms)}`)),
  )
  return { ring, joins }
}

export function joinsSection(joins: JoinsResult, hops: HopsResult, floor: FloorResult, plan: { ring: RingPlan; hopSizes: number[] }, failures: string[]): Section {
  const perNode = joins.perNodeMs
  return {
    title: 'joins (spawn → joined, one at a time, default periods)',
    rows: [
      {
        metric: `per node, mean / p99 (${perNode.count} nodes)`,
        value: msPair(perNode.mean, perNode.p99),
        vs: times(perNode.mean / floor.startupMs.mean),
        target: target({ metric: `join, spawn to joined, mean, N = ${plan.ring.size}`, value: perNode.mean / 1000, unit: 's' }, '<', 0.2),
      },
      {
        metric: 'fingers right after last join',
        value: joins.converged ? ms(joins.convergedAfterLastJoinMs) : `not after ${ms(joins.convergedAfterLastJoinMs)}`,
        note: `fix_fingers every ${plan.ring.settings.fingerMs} ms`,
        ...(joins.converged ? {} : { alert: `${joins.correctNodes}/${plan.ring.size} nodes right` }),
      },
      {
        metric: 'short periods, mean / p99',
        value: msPair(hops.joinsMs.mean, hops.joinsMs.p99),
        vs: times(hops.joinsMs.mean / floor.startupMs.mean),
        note: `to ${plan.hopSizes[plan.hopSizes.length - 1]} nodes, 5× the upkeep`,
      },
      ...(failures.length > 0 ? [{ metric: 'joins that failed (retried)', value: String(failures.length), alert: `e.g. ${failures[0]!.slice(0, 90)}` }] : []),
    ],
  }
}
