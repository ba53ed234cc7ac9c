// The Chord paper's path-length experiment (ToN 2003, §V-C, Fig. 10) on the timed simulator: a converged
// ring of N nodes, lookups from random nodes for random keys through the real routing code, each hop a
// request and a reply under the latency model. Also what it cost to simulate: the time to build the
// ring, the heap it took per node, and events run per second.
import type { Summary } from '../report/stats.js'
import type { LatencyModel } from './latency.js'
import { hopHistogram, sequentialLookups, summarizeLookups } from './lookups.js'
import { TimedRing } from './timed-ring.js'

export interface PathRow {
  n: number
  lookups: number
  failed: number
  hops: Summary
  halfLog2N: number
  /** Simulated time per lookup. */
  latencyMs: Summary
  /** What the latency would be at one round trip (two mean delays) per hop: iterative routing asks each hop itself. */
  hopsTimesRoundTripMs: number
  /** Lookups per hop count (index: hops), when asked for. */
  histogram?: number[]
}

/** What simulating one size cost (wall time and memory vary from run to run; the figures do not). */
export interface PathCost {
  n: number
  buildSeconds: number
  /** CPU time of this process (all its threads, the garbage collector's included). */
  buildCpuSeconds: number
  heapBytesPerNode: number
  lookupSeconds: number
  lookupCpuSeconds: number
  events: number
  /** Events per wall second, and per CPU second (what a machine shared with other work still tells). */
  eventsPerSecond: number
  eventsPerCpuSecond: number
}

/** CPU seconds this process has used since `since` (from process.cpuUsage()). */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1e6
}

export interface PathOptions {
  seed: number
  lookups: number
  latency: LatencyModel
  timeoutMs?: number
  replicas?: number
  histogram?: boolean
  /** The heap in use now (a script may collect garbage first); measures bytes per node. */
  heapUsed?: () => number
}

export async function pathLengthAt(n: number, options: PathOptions): Promise<{ row: PathRow; cost: PathCost }> {
  const heapUsed = options.heapUsed ?? (() => process.memoryUsage().heapUsed)
  const heapBefore = heapUsed()
  const started = performance.now()
  const buildCpu = process.cpuUsage()
  const ring = new TimedRing({ seed: options.seed + n, latency: options.latency, timeoutMs: options.timeoutMs ?? 500, config: options.replicas ? { replicas: options.replicas } : {} })
  ring.buildConverged(n)
  const built = performance.now()
  const buildCpuSeconds = cpuSince(buildCpu)
  const heapBytesPerNode = (heapUsed() - heapBefore) / n
  const measured = performance.now()
  const lookupCpu = process.cpuUsage()
  const eventsBefore = ring.timeline.events
  const samples = await sequentialLookups(ring, options.lookups, `path-${options.seed}`)
  const lookupSeconds = (performance.now() - measured) / 1000
  const lookupCpuSeconds = cpuSince(lookupCpu)
  const events = ring.timeline.events - eventsBefore
  const summary = summarizeLookups(samples)
  const row: PathRow = {
    n,
    lookups: summary.lookups,
    failed: summary.failed,
    hops: summary.hops,
    halfLog2N: Math.log2(n) / 2,
    latencyMs: summary.latencyMs,
    hopsTimesRoundTripMs: summary.hops.mean * 2 * options.latency.meanMs,
    ...(options.histogram ? { histogram: hopHistogram(samples) } : {}),
  }
  const cost = {
    n,
    buildSeconds: (built - started) / 1000,
    buildCpuSeconds,
    heapBytesPerNode,
    lookupSeconds,
    lookupCpuSeconds,
    events,
    eventsPerSecond: events / lookupSeconds,
    eventsPerCpuSecond: events / lookupCpuSeconds,
  }
  return { row, cost }
}
