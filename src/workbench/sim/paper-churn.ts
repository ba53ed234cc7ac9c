// The Chord paper's lookups under churn (ToN 2003, §V-E, Fig. 12 and Table III) on the timed simulator:
// a converged ring of N nodes with successor lists of r, every node's maintenance on its timers
// (stabilize, check_predecessor and fix_fingers each about every 30 s, jittered), nodes joining and
// failing as two Poisson processes of the same rate, and lookups arriving as a third. A lookup fails
// when it errs or ends anywhere but at the key's live owner when it finishes.
import { SeededRandom } from './random.js'
import type { Summary } from '../report/stats.js'
import type { LatencyModel } from './latency.js'
import { lookup, summarizeLookups, type LookupSample } from './lookups.js'
import { poissonProcess } from './poisson.js'
import { TimedRing } from './timed-ring.js'

export interface ChurnRow {
  n: number
  r: number
  /** Joins per second, and failures per second (each). */
  rate: number
  /** The rate per stabilization period, as the paper's table also gives it. */
  perPeriod: number
  lookups: number
  /** Lookups that failed, per 10,000. */
  failedPer10k: number
  hops: Summary
  timeouts: Summary
  latencyMs: Summary
  joins: number
  failures: number
  /** Joins that did not complete (their node crashed, or its bootstrap did). */
  joinsFailed: number
  /** Lookups whose own node crashed before they finished: not counted either way. */
  abandoned: number
  /** Live nodes at the end. */
  endSize: number
  /** Messages per node per second of simulated time, all traffic included. */
  messagesPerNodeSecond: number
  simulatedSeconds: number
  events: number
}

export interface ChurnOptions {
  seed: number
  n: number
  r: number
  lookups: number
  /** Lookups per second: a free choice (each samples the same steady churn), so runs can be shorter than the paper's. */
  lookupRate: number
  /** Churn before the first lookup, so the ring is in its steady churned state when measured. */
  warmupSeconds: number
  periodMs: number
  latency: LatencyModel
  timeoutMs?: number
}

export async function lookupsUnderChurn(rate: number, options: ChurnOptions): Promise<ChurnRow> {
  const seed = options.seed + Math.round(rate * 1000)
  const ring = new TimedRing({
    seed,
    latency: options.latency,
    timeoutMs: options.timeoutMs ?? 500,
    config: { replicas: options.r, stabilizeIntervalMs: options.periodMs, checkPredecessorIntervalMs: options.periodMs, fingerIntervalMs: options.periodMs },
  })
  ring.buildConverged(options.n)
  ring.startMaintenance()
  const timeline = ring.timeline
  const start = timeline.time
  const measureFrom = start + options.warmupSeconds * 1000
  const end = measureFrom + (options.lookups / options.lookupRate) * 1000
  // Each process draws from its own stream, so one rate's choices never shift another's.
  const picks = new SeededRandom(seed ^ 0xc4)
  let joins = 0
  let joinsFailed = 0
  let failures = 0
  poissonProcess(timeline, new SeededRandom(seed ^ 0x101), rate, end, () => {
    joins++
    void ring.join({ maintain: true }).then((node) => {
      if (!node) joinsFailed++
    })
  })
  poissonProcess(timeline, new SeededRandom(seed ^ 0xdead), rate, end, () => {
    if (ring.size <= options.r + 1) return // never churn the ring down to nothing
    failures++
    ring.crash(picks.pick(ring.members))
  })
  const samples: LookupSample[] = []
  let issued = 0
  const messagesBefore = ring.network.messages
  timeline.at(measureFrom, () => {
    poissonProcess(timeline, new SeededRandom(seed ^ 0x100c), options.lookupRate, end, () => {
      const i = issued++
      const from = picks.pick(ring.members)
      void lookup(ring, from, ring.space.hash(`churn-${seed}-${i}`), `churn-${i}`).then((sample) => samples.push(sample))
    })
  })
  await timeline.runUntil(end)
  // Lookups still running finish (churn has stopped; timers go on); one whose node crashed never will.
  const deadline = end + 10_000
  while (samples.length < issued && timeline.time < deadline) await timeline.runUntil(timeline.time + 1000)
  const summary = summarizeLookups(samples)
  const simulatedSeconds = (timeline.time - start) / 1000
  return {
    n: options.n,
    r: options.r,
    rate,
    perPeriod: (rate * options.periodMs) / 1000,
    lookups: summary.lookups,
    failedPer10k: (summary.failed / Math.max(1, summary.lookups)) * 10_000,
    hops: summary.hops,
    timeouts: summary.timeouts,
    latencyMs: summary.latencyMs,
    joins,
    failures,
    joinsFailed,
    abandoned: issued - samples.length,
    endSize: ring.size,
    messagesPerNodeSecond: (ring.network.messages - messagesBefore) / ring.size / ((end - measureFrom) / 1000),
    simulatedSeconds,
    events: timeline.events,
  }
}
