// Lookups on the timed simulator, measured as the Chord paper measures them: the path length (hops),
// the failed nodes met on the way (the paper's "timeouts": each costs this protocol two timed-out
// calls, as it asks a silent peer once more before it gives up on it), the simulated time taken, and
// whether the route ended at the key's owner among the live nodes when it finished.
import type { ChordNode } from '../../node/protocol/chord-node.js'
import { isDhtError } from '../../node/errors.js'
import type { Id } from '../../node/ring.js'
import { summarize, type Summary } from '../report/stats.js'
import type { TimedRing } from './timed-ring.js'

export interface LookupSample {
  /** Ended at the key's live owner. */
  ok: boolean
  hops: number
  /** Distinct failed nodes the lookup called (what the paper counts as timeouts). */
  timeouts: number
  /** Calls that timed out. */
  timedOutCalls: number
  latencyMs: number
}

export interface LookupSummary {
  lookups: number
  /** Lookups that failed: an error, or a route ending anywhere but at the key's owner. */
  failed: number
  /** Over the lookups that succeeded. */
  hops: Summary
  timeouts: Summary
  timedOutCalls: Summary
  latencyMs: Summary
}

/** One lookup from `from` for `key`; resolves once it is over (the caller runs the timeline meanwhile). */
export async function lookup(ring: TimedRing, from: ChordNode, key: Id, traceId: string): Promise<LookupSample> {
  const started = ring.timeline.time
  const scope = { traceId, spanId: '0' }
  let ok = false
  let hops = 0
  try {
    const route = await from.within(scope).findOwner(key)
    ok = ring.rightOwner(key, route.owner.id)
    hops = route.hops
  } catch (error) {
    if (!isDhtError(error)) throw error
  }
  const met = ring.network.takeTimeouts(traceId)
  return { ok, hops, timeouts: met.nodes, timedOutCalls: met.calls, latencyMs: ring.timeline.time - started }
}

/** `count` lookups one after another, each from a random member for the key of `${label}-${i}`. */
export async function sequentialLookups(ring: TimedRing, count: number, label: string): Promise<LookupSample[]> {
  const samples: LookupSample[] = []
  for (let i = 0; i < count; i++) {
    const from = ring.random.pick(ring.members)
    samples.push(await ring.timeline.settle(lookup(ring, from, ring.space.hash(`${label}-${i}`), `${label}-${i}`)))
  }
  return samples
}

export function summarizeLookups(samples: readonly LookupSample[]): LookupSummary {
  const ok = samples.filter((s) => s.ok)
  return {
    lookups: samples.length,
    failed: samples.length - ok.length,
    hops: summarize(ok.map((s) => s.hops)),
    timeouts: summarize(samples.map((s) => s.timeouts)),
    timedOutCalls: summarize(samples.map((s) => s.timedOutCalls)),
    latencyMs: summarize(ok.map((s) => s.latencyMs)),
  }
}

/** How many lookups took each number of hops, from 0 to the longest: the path length's distribution. */
export function hopHistogram(samples: readonly LookupSample[]): number[] {
  const counts: number[] = []
  for (const s of samples) if (s.ok) counts[s.hops] = (counts[s.hops] ?? 0) + 1
  return Array.from(counts, (c) => c ?? 0)
}
