// Phase "tracing": what every message being visible costs, on the ring of the earlier phases. Messages
// per lookup, store and join are counted from their traces; lookups per second are measured in rounds
// that alternate the message log on and off (PUT /messages pauses it on every node), so both figures
// come from the same ring, the same nodes and the same moment.
import { info, ok } from '../cli/output.js'
import { addNode } from '../cli/ring-ops.js'
import type { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { rate } from './format.js'
import { closedLoop } from './load.js'
import { lookupOperation, randomItem } from './operations.js'
import type { Summary } from './stats.js'
import type { Section } from './table.js'
import { messagesPerOperation } from './trace-count.js'

export interface TracingPlan {
  traced: number
  joins: number
  /** Rounds per setting, after one round to warm up; they alternate on, off, on, off… */
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
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}

export async function measureTracing(ring: BenchRing, stored: string[], plan: TracingPlan): Promise<TracingResult> {
  const processes = ring.processes()
  info(`tracing: ${plan.traced} lookups and stores and ${plan.joins} joins traced and their messages counted; lookups/s in ${plan.rounds} rounds each with the message log on and off`)
  const lookup = await messagesPerOperation(ring, plan.traced, (options) => ring.client.lookup(randomItem(processes), randomItem(stored), options))
  const store = await messagesPerOperation(ring, plan.traced, (options, i) => ring.client.store(randomItem(processes), `traced-${i}-${Date.now()}`, options))
  const join = await messagesPerOperation(ring, plan.joins, async (options) => ring.ctx.remember([(await addNode(ring.state, { ...(options.traceparent ? { traceparent: options.traceparent } : {}) })).pid]))
  const everyone = ring.processes()
  const setRecording = (recording: boolean) => Promise.all(everyone.map((p) => ring.client.setRecording(p, recording)))
  const round = async () => (await closedLoop({ concurrency: plan.inFlight, durationMs: plan.roundSeconds * 1000, maxRequests: plan.maxRequests }, lookupOperation(ring.client, everyone, stored))).perSecond
  const on: number[] = []
  const off: number[] = []
  try {
    await round()
    for (let i = 0; i < 2 * plan.rounds; i++) {
      const recording = i % 2 === 0
      await setRecording(recording)
      ;(recording ? on : off).push(await round())
    }
  } finally {
    await setRecording(true)
  }
  const result: TracingResult = { n: everyone.length, messagesPer: { lookup, store, join }, on, off, onPerSecond: median(on), offPerSecond: median(off) }
  ok(
    `tracing: ${lookup.mean.toFixed(1)} messages per lookup, ${store.mean.toFixed(1)} per store, ${join.mean.toFixed(0)} per join; ` +
      `lookups/s with the log on ${rate(result.onPerSecond)}, off ${rate(result.offPerSecond)} (${((result.onPerSecond / result.offPerSecond) * 100).toFixed(0)}%)`,
  )
  return result
}

export function tracingSection(result: TracingResult, plan: TracingPlan): Section {
  const section = sideBySide(
    `tracing at N=${result.n}: the message log off and on, rounds of ${plan.roundSeconds} s alternating (${plan.inFlight} in flight), medians`,
    { baseline: 'log off:', variants: ['log on:'] },
    [{ metric: `lookups/s, N = ${result.n}`, unit: '/s', baseline: result.offPerSecond, variants: [result.onPerSecond], format: rate, targets: [{ comparison: '≥', factor: 0.9 }] }],
  )
  const per = result.messagesPer
  section.rows[1]!.note = `rounds on ${result.on.map((x) => Math.round(x)).join(' ')}, off ${result.off.map((x) => Math.round(x)).join(' ')}`
  section.rows.push(
    { metric: 'messages per lookup (traces)', value: per.lookup.mean.toFixed(1), note: `p99 ${per.lookup.p99}, ${per.lookup.count} traced` },
    { metric: 'messages per store (traces)', value: per.store.mean.toFixed(1), note: `p99 ${per.store.p99}, ${per.store.count} traced` },
    { metric: 'messages per join (traces)', value: per.join.mean.toFixed(0), note: `${per.join.count} traced, stabilize, replica sync and fingers included` },
  )
  return section
}
