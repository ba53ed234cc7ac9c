// Phase "modes": the lab's three routing modes side by side, on rings of the same size that differ in
// nothing else: fingers (the baseline), one hop (every node knows every node) and linear (successor by
// successor). Each ring is grown, settled, left alone, then measured the same way, alone on the machine:
// hops, messages per lookup counted from traces, latency, lookups per second, the routing state each
// node keeps, and what its maintenance sends while idle. The design space of the lab in one table.
import type { RingSettings, RouteMode } from '../../node/settings.js'
import { info, ok, warn } from '../../tools/output.js'
import { sleep } from '../../tools/ring-ops.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { errorList, ms, rate } from './format.js'
import { closedLoop, sequential, type LoadResult } from './load.js'
import { measureWindow } from './measure.js'
import { lookupOperation, newOpStats, randomItem, storeOperation } from './operations.js'
import { waitConverged } from './ring-truth.js'
import { summarize, type Summary } from './stats.js'
import type { Row, Section } from './table.js'
import { target } from './targets.js'
import { messagesPerOperation, messagesSentPerNodePerSecond } from './trace-count.js'

export interface ModesPlan {
  size: number
  /** The baseline first. */
  modes: RouteMode[]
  settings: RingSettings
  /** Values stored in each ring before it is measured. */
  values: number
  /** Rest after the stores, so maintenance backs off as in any quiet ring. */
  settleSeconds: number
  idleSeconds: number
  lookups: number
  /** Lookups run in traces of their own, whose messages are counted. */
  traced: number
  inFlight: number
  seconds: number
  maxRequests: number
}

export interface ModeFigures {
  mode: RouteMode
  n: number
  converged: boolean
  convergedMs: number
  hops: Summary
  /** Lookups answered in at most one hop (the entry node asked the owner, or was it). */
  oneHopShare: number
  latency: LoadResult
  messagesPerLookup: Summary
  throughput: LoadResult
  /** Per node, mean: entries and bytes of its fingers, successor list and (one hop) member table. */
  routingEntries: number
  routingBytes: number
  maintenanceMessagesPerNodePerSecond: number
  idlePercentOfOneCore: number
}

export interface ModesResult {
  n: number
  inFlight: number
  modes: ModeFigures[]
}

export async function measureModes(ctx: BenchContext, plan: ModesPlan): Promise<ModesResult> {
  info(`modes: ${plan.modes.join(', ')}, each on its own ring of ${plan.size} nodes with the default periods, measured alone`)
  const modes: ModeFigures[] = []
  for (const mode of plan.modes) modes.push(await measureMode(ctx, plan, mode))
  return { n: plan.size, inFlight: plan.inFlight, modes }
}

async function measureMode(ctx: BenchContext, plan: ModesPlan, mode: RouteMode): Promise<ModeFigures> {
  const settings: RingSettings = { ...plan.settings, routeMode: mode }
  const ring = await BenchRing.boot(ctx, `modes-${mode}`, settings)
  try {
    await ring.growTo(plan.size, `modes: ${mode}, adding nodes`)
    const processes = ring.processes()
    const convergence = await waitConverged(ring.client, processes, { pollMs: 200, timeoutMs: 10 * settings.fingerMs })
    if (!convergence.converged) warn(`modes: ${mode}: ${convergence.last.correct}/${processes.length} nodes right after ${ms(convergence.ms)}; measuring anyway`)
    const stored: string[] = []
    await sequential(plan.values, storeOperation(ring.client, processes, settings.replicas, `modes-${mode}`, stored))
    await sleep(plan.settleSeconds * 1000)
    let idleCpu = 0
    const maintenance = await messagesSentPerNodePerSecond(ring, async () => {
      const { cpu } = await measureWindow(ring.pids(), ring.ports(), () => sleep(plan.idleSeconds * 1000))
      idleCpu = (cpu.nodesCpu / cpu.seconds) * 100
    })
    await sequential(100, lookupOperation(ring.client, processes, stored)) // warm up the connections
    const stats = newOpStats()
    const latency = await sequential(plan.lookups, lookupOperation(ring.client, processes, stored, stats))
    const messagesPerLookup = await messagesPerOperation(ring, plan.traced, (options) => ring.client.lookup(randomItem(processes), randomItem(stored), options))
    const throughput = await closedLoop({ concurrency: plan.inFlight, durationMs: plan.seconds * 1000, maxRequests: plan.maxRequests }, lookupOperation(ring.client, processes, stored))
    const infos = await Promise.all(processes.map((p) => ring.client.nodeInfo(p)))
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
    const figures: ModeFigures = {
      mode,
      n: processes.length,
      converged: convergence.converged,
      convergedMs: convergence.ms,
      hops: summarize(stats.hops),
      oneHopShare: stats.hops.filter((h) => h <= 1).length / Math.max(1, stats.hops.length),
      latency,
      messagesPerLookup,
      throughput,
      routingEntries: mean(infos.map((i) => i.routingState.entries)),
      routingBytes: mean(infos.map((i) => i.routingState.bytes)),
      maintenanceMessagesPerNodePerSecond: maintenance,
      idlePercentOfOneCore: idleCpu,
    }
    ok(
      `modes: ${mode}: ${figures.hops.mean.toFixed(2)} hops, ${figures.messagesPerLookup.mean.toFixed(1)} messages per lookup, p50 ${ms(latency.latencyMs.p50)}, ` +
        `${rate(throughput.perSecond)}, ${(figures.routingBytes / 1024).toFixed(1)} KB of routing state, ${maintenance.toFixed(2)} maintenance messages per node per s`,
    )
    return figures
  } finally {
    await ring.stop()
  }
}

export function modesSection(result: ModesResult): Section {
  const [baseline, ...variants] = result.modes
  if (!baseline) return { title: 'routing modes: not measured', rows: [] }
  const at = `N = ${result.n}`
  const pick = (figure: (m: ModeFigures) => number) => ({ baseline: figure(baseline), variants: variants.map(figure) })
  const onehop = variants.findIndex((m) => m.mode === 'onehop')
  const goal = (comparison: '≤' | '≥', factor: number) => variants.map((_, i) => (i === onehop ? { comparison, factor } : undefined))
  const section = sideBySide(
    `routing modes side by side, a ring of ${result.n} each (default periods, one lookup at a time, then ${result.inFlight} in flight)`,
    { baseline: baseline.mode, variants: variants.map((m) => m.mode) },
    [
      { metric: 'hops per lookup, mean', unit: 'hops', ...pick((m) => m.hops.mean), format: (x) => x.toFixed(2) },
      { metric: 'messages per lookup (traces)', unit: 'messages', ...pick((m) => m.messagesPerLookup.mean), format: (x) => x.toFixed(1) },
      { metric: `lookup p50, ${at}`, unit: 'ms', ...pick((m) => m.latency.latencyMs.p50), format: ms, targets: goal('≤', 0.6) },
      { metric: `lookup p99, ${at}`, unit: 'ms', ...pick((m) => m.latency.latencyMs.p99), format: ms },
      { metric: `lookups/s, ${at}`, unit: '/s', ...pick((m) => m.throughput.perSecond), format: rate, targets: goal('≥', 1.5) },
      { metric: 'routing state per node', unit: 'KB', ...pick((m) => m.routingBytes / 1024), format: (x) => `${x.toFixed(1)} KB` },
      { metric: 'maintenance messages per node per s, idle', unit: '/s', ...pick((m) => m.maintenanceMessagesPerNodePerSecond), format: (x) => `${x.toFixed(2)}/s` },
    ],
  )
  section.rows.push(...modeTargets(result))
  return section
}

/** The issue's fixed bounds: one hop for nearly every lookup, and fingers' hops near ½·log2 N. */
function modeTargets(result: ModesResult): Row[] {
  const rows: Row[] = []
  const expected = Math.log2(result.n) / 2
  for (const m of result.modes) {
    const problems = [
      m.latency.errors + m.throughput.errors > 0 ? `${m.latency.errors + m.throughput.errors} errors${errorList({ ...m.latency.errorCodes, ...m.throughput.errorCodes })}` : '',
      m.converged ? '' : `not converged after ${ms(m.convergedMs)}`,
    ].filter(Boolean)
    if (m.mode === 'onehop') {
      rows.push({
        metric: 'onehop lookups in one hop',
        value: `${(m.oneHopShare * 100).toFixed(1)}%`,
        target: target({ metric: `onehop lookups answered in one hop, N = ${result.n}`, value: m.oneHopShare * 100, unit: '%' }, '≥', 99),
        ...(problems.length ? { alert: problems.join('; ') } : {}),
      })
    } else if (m.mode === 'fingers') {
      rows.push({
        metric: 'fingers hops − ½·log2 N',
        value: (m.hops.mean - expected).toFixed(2),
        note: `½·log2 ${result.n} = ${expected.toFixed(2)}`,
        target: target({ metric: `fingers hops per lookup minus ½·log2 N, N = ${result.n}, absolute`, value: Math.abs(m.hops.mean - expected), unit: 'hops' }, '≤', 0.5),
        targetLabel: 'within ±0.5',
        ...(problems.length ? { alert: problems.join('; ') } : {}),
      })
    } else if (problems.length) {
      rows.push({ metric: `${m.mode}: problems`, value: String(problems.length), alert: problems.join('; ') })
    }
  }
  return rows
}
