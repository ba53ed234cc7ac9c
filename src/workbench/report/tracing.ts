// Phase "tracing": what every message being visible costs, on the ring of the earlier phases. Messages
// per lookup, store and join are counted from their traces; lookups per second are measured in rounds
// that alternate the message log on and off (PUT /messages pauses it on every node), so both figures
// come from the same ring, the same nodes and the same moment.
import { info, ok } from '../../tools/output.js'
import { addNode } from '../../tools/ring-ops.js'
import type { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { rate } from './format.js'
import { closedLoop } from './load.js'
import { lookupOperation, randomItem } from './operations.js'
import type { Summary } from './stats.js'
import type { Section } from './table.js'
import { target } from './targets.js'
import { messagesPerOperation } from './trace-count.js'

export interface TracingPlan {
  traced: number
  joins: number
  /**
   * Lookups before the rounds, log on. A ring of 32 took about 40 s of load to reach its full rate here
   * (each process sees a 32nd of the load, so its code takes that long to be optimised); rounds during
   * the climb measure the climb more than the log.
   */
  warmSeconds: number
  /** Rounds per setting, in the order on, off, off, on… */
  rounds: number
  roundSeconds: number
  inFlight: number
  maxRequests: number
}

export interface TracingResult {
  n: number
  messagesPer: { lookup: Summary; store: Summary; join: Summary }
  /** Lookups per second of each round, log on and log off. */
  on: number[]
  off: number[]
  /** Medians of the rounds. */
  onPerSecond: number
  offPerSecond: number
  /** Median over each pair of neighbouring rounds (one on, one off) of on ÷ off: a drift between pairs cancels out. */
  ratio: number
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}

export async function measureTracing(ring: BenchRing, stored: string[], plan: TracingPlan): Promise<TracingResult> {
  const processes = ring.processes()
  info(`tracing: ${plan.traced} lookups and stores and ${plan.joins} joins traced and their messages counted; lookups/s, after ${plan.warmSeconds} s of warm-up, in ${plan.rounds} rounds each with the message log on and off`)
  // The rounds come first, on the ring the earlier phases left settled; the joins counted below would
  // set every node's maintenance back to full speed. On, off, off, on…: a drift cancels out.
  const setRecording = (recording: boolean) => Promise.all(processes.map((p) => ring.client.setRecording(p, recording)))
  const lookupsPerSecond = async (seconds: number) => (await closedLoop({ concurrency: plan.inFlight, durationMs: seconds * 1000, maxRequests: plan.maxRequests }, lookupOperation(ring.client, processes, stored))).perSecond
  const on: number[] = []
  const off: number[] = []
  try {
    await lookupsPerSecond(plan.warmSeconds)
    for (let i = 0; i < 2 * plan.rounds; i++) {
      const recording = i % 4 === 0 || i % 4 === 3
      await setRecording(recording)
      ;(recording ? on : off).push(await lookupsPerSecond(plan.roundSeconds))
    }
  } finally {
    await setRecording(true)
  }
  const lookup = await messagesPerOperation(ring, plan.traced, (options) => ring.client.lookup(randomItem(processes), randomItem(stored), options))
  const store = await messagesPerOperation(ring, plan.traced, (options, i) => ring.client.store(randomItem(processes), `traced-${i}-${Date.now()}`, options))
  const join = await messagesPerOperation(ring, plan.joins, async (options) => ring.ctx.remember([(await addNode(ring.state, { ...(options.traceparent ? { traceparent: options.traceparent } : {}) })).pid]))
  const ratio = median(on.map((rate, i) => rate / off[i]!))
  const result: TracingResult = { n: processes.length, messagesPer: { lookup, store, join }, on, off, onPerSecond: median(on), offPerSecond: median(off), ratio }
  ok(
    `tracing: ${lookup.mean.toFixed(1)} messages per lookup, ${store.mean.toFixed(1)} per store, ${join.mean.toFixed(0)} per join; ` +
      `lookups/s with the log on ${rate(result.onPerSecond)}, off ${rate(result.offPerSecond)} (${(ratio * 100).toFixed(0)}% of off, round by round)`,
  )
  return result
}

export function tracingSection(result: TracingResult, plan: TracingPlan): Section {
  const section = sideBySide(
    `tracing at N=${result.n}: the message log off and on, rounds of ${plan.roundSeconds} s, on off off on… (${plan.inFlight} in flight), medians`,
    { baseline: 'log off:', variants: ['log on:'] },
    [{ metric: `lookups/s, N = ${result.n}`, unit: '/s', baseline: result.offPerSecond, variants: [result.onPerSecond], format: rate }],
  )
  const per = result.messagesPer
  section.rows[1]!.note = `rounds on ${result.on.map((x) => Math.round(x)).join(' ')}, off ${result.off.map((x) => Math.round(x)).join(' ')}`
  section.rows.push(
    {
      metric: 'log on ÷ log off, round by round',
      value: `${result.ratio.toFixed(2)}×`,
      note: 'median over neighbouring rounds',
      target: target({ metric: `lookups/s with the message log on ÷ off, N = ${result.n}`, value: result.ratio, unit: '×' }, '≥', 0.9),
    },
    { metric: 'messages per lookup (traces)', value: per.lookup.mean.toFixed(1), note: `p99 ${per.lookup.p99}, ${per.lookup.count} traced` },
    { metric: 'messages per store (traces)', value: per.store.mean.toFixed(1), note: `p99 ${per.store.p99}, ${per.store.count} traced` },
    { metric: 'messages per join (traces)', value: per.join.mean.toFixed(0), note: `${per.join.count} traced, stabilize, replica sync and fingers included` },
  )
  return section
}
