// Phase "delay" (make bench DELAY_MS=20 [JITTER_MS=5]): a ring whose every node-to-node call is held
// DELAY_MS ± JITTER_MS, as on a wide-area network, and the same random ids routed from the same entry
// nodes through the fingers and successor by successor (GET /findnode?mode=), one at a time. A findnode
// is a lookup's route: a lookup of a stored value makes the same calls (the owner answers the last step
// with its values), so its latency is the lookup's. Side by side, the gap in hops becomes milliseconds.
import type { RingSettings } from '../../tools/network-state.js'
import { info, ok, warn } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { errorList, ms } from './format.js'
import { sequential, type LoadResult } from './load.js'
import { randomId, randomItem } from './operations.js'
import { waitConverged } from './ring-truth.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'

export interface DelayPlan {
  delayMs: number
  jitterMs: number
  size: number
  /** Ids routed in each mode (the same ids, from the same entry nodes). */
  lookups: number
  settings: RingSettings
}

export interface ModeLatency {
  findnode: LoadResult
  hops: Summary
  /** Mean latency over mean hops: the delay, plus what one exchange costs on this machine. */
  msPerHop: number
}

export interface DelayResult {
  n: number
  delayMs: number
  jitterMs: number
  convergence: { converged: boolean; ms: number }
  fingers: ModeLatency
  linear: ModeLatency
}

/** The phase's plan, when make bench was given DELAY_MS (else it is skipped). */
export function delayPlan(quick: boolean, delay: { delayMs?: number | undefined; jitterMs?: number | undefined }, base: RingSettings): DelayPlan | undefined {
  if (!delay.delayMs) return undefined
  const jitterMs = delay.jitterMs ?? 0
  return { delayMs: delay.delayMs, jitterMs, size: 16, lookups: quick ? 40 : 150, settings: { ...base, delayMs: delay.delayMs, jitterMs } }
}

export async function measureDelay(ctx: BenchContext, plan: DelayPlan): Promise<DelayResult> {
  const held = `${plan.delayMs}${plan.jitterMs > 0 ? ` ± ${plan.jitterMs}` : ''} ms`
  info(`delay: a ring of ${plan.size} with every node-to-node call held ${held}; ${plan.lookups} findnodes per mode, one at a time`)
  const ring = await BenchRing.boot(ctx, 'delay', plan.settings)
  try {
    await ring.growTo(plan.size, `delay: growing to N=${plan.size}`)
    const processes = ring.processes()
    const convergence = await waitConverged(ring.client, processes, { pollMs: 200, timeoutMs: 30 * plan.settings.fingerMs })
    if (!convergence.converged) warn(`delay: fingers not converged after ${ms(convergence.ms)} (${convergence.last.correct}/${processes.length} nodes right); measuring anyway`)
    const routes = Array.from({ length: plan.lookups }, () => ({ id: randomId(), entry: randomItem(processes) }))
    const measure = async (mode: 'fingers' | 'linear'): Promise<ModeLatency> => {
      const hops: number[] = []
      const findnode = await sequential(routes.length, async (i) => {
        const route = routes[i]!
        hops.push((await ring.client.findNode(route.entry, route.id, mode)).hops)
      })
      const summary = summarize(hops)
      return { findnode, hops: summary, msPerHop: findnode.latencyMs.mean / summary.mean }
    }
    const fingers = await measure('fingers')
    const linear = await measure('linear')
    ok(
      `delay ${held}: fingers p50 ${ms(fingers.findnode.latencyMs.p50)} (${fingers.hops.mean.toFixed(2)} hops), ` +
        `linear p50 ${ms(linear.findnode.latencyMs.p50)} (${linear.hops.mean.toFixed(2)} hops)`,
    )
    return { n: processes.length, delayMs: plan.delayMs, jitterMs: plan.jitterMs, convergence: { converged: convergence.converged, ms: convergence.ms }, fingers, linear }
  } finally {
    await ring.stop()
  }
}

export function delaySection(result: DelayResult): Section {
  const { fingers, linear } = result
  const held = `${result.delayMs}${result.jitterMs > 0 ? ` ± ${result.jitterMs}` : ''} ms`
  const at = `N = ${result.n}`
  const section = sideBySide(`lookup latency with every node-to-node call delayed ${held} (findnode, one at a time, same ids and entry nodes)`, { baseline: 'fingers', variants: ['linear'] }, [
    { metric: `lookup p50, ${at}`, unit: 'ms', baseline: fingers.findnode.latencyMs.p50, variants: [linear.findnode.latencyMs.p50], format: ms },
    { metric: `lookup p99, ${at}`, unit: 'ms', baseline: fingers.findnode.latencyMs.p99, variants: [linear.findnode.latencyMs.p99], format: ms },
    { metric: 'hops, mean', unit: 'hops', baseline: fingers.hops.mean, variants: [linear.hops.mean], format: (x) => x.toFixed(2) },
  ])
  const problems = [
    ...(['fingers', 'linear'] as const).map((mode) => (result[mode].findnode.errors > 0 ? `${mode}: ${result[mode].findnode.errors} errors${errorList(result[mode].findnode.errorCodes)}` : '')),
    result.convergence.converged ? '' : `fingers not converged after ${ms(result.convergence.ms)}`,
  ].filter(Boolean)
  section.rows.push({
    metric: 'ms per hop, fingers · linear',
    value: `${ms(fingers.msPerHop)} · ${ms(linear.msPerHop)}`,
    note: `a hop costs the ${result.delayMs} ms delay plus one exchange`,
    ...(problems.length > 0 ? { alert: problems.join('; ') } : {}),
  })
  return section
}
