// The Chord paper's simultaneous failures (ToN 2003, §V-D, Fig. 11 and Table II) on the timed simulator:
// a converged ring of N nodes with successor lists of r, stabilization off, a fraction p of the nodes
// failing at once; then lookups, each counting its hops, its timeouts (failed nodes called) and
// whether it reached the key's live owner. Nothing repairs the ring meanwhile, as in the paper. The
// node that looks up forgets a finger that timed out (the real protocol does; the paper's simulation
// kept them), so a node's later lookups meet fewer failed nodes: each node's first lookup is what the
// paper measured, and is reported apart.
import type { Summary } from '../report/stats.js'
import type { LatencyModel } from './latency.js'
import type { ChordNode } from '../../node/protocol/chord-node.js'
import { lookup, summarizeLookups, type LookupSample, type LookupSummary } from './lookups.js'
import { TimedRing } from './timed-ring.js'

export interface FailureRow {
  n: number
  r: number
  p: number
  lookups: number
  /** Fraction of lookups that failed to reach the key's live owner. */
  failed: number
  /** Fraction of the looked-up keys whose owner before the failure is among the failed: the keys lost without replicas. */
  ownerFailed: number
  hops: Summary
  /** Failed nodes called per lookup (the paper's timeouts). */
  timeouts: Summary
  /** Calls that timed out per lookup: two per failed node, as this protocol asks a silent peer twice. */
  timedOutCalls: Summary
  latencyMs: Summary
  /** The same over each node's first lookup only: no lookup before it had made its node forget a failed finger. */
  firstLookups: Pick<LookupSummary, 'lookups' | 'failed' | 'hops' | 'timeouts'>
}

export interface FailureOptions {
  seed: number
  n: number
  r: number
  lookups: number
  latency: LatencyModel
  timeoutMs?: number
}

export async function simultaneousFailures(p: number, options: FailureOptions): Promise<FailureRow> {
  const ring = new TimedRing({ seed: options.seed + Math.round(p * 1000), latency: options.latency, timeoutMs: options.timeoutMs ?? 500, config: { replicas: options.r } })
  ring.buildConverged(options.n)
  const label = `fail-${options.seed}`
  const ownersBefore = Array.from({ length: options.lookups }, (_, i) => ring.ownerOf(ring.space.hash(`${label}-${i}`)))
  // Each node fails with probability p: exactly round(p·N) of them, chosen by a seeded shuffle.
  const victims = [...ring.members]
  for (let i = victims.length - 1; i > 0; i--) {
    const j = ring.random.int(i + 1)
    ;[victims[i], victims[j]] = [victims[j]!, victims[i]!]
  }
  const failedIds = new Set<bigint>()
  for (const node of victims.slice(0, Math.round(p * options.n))) {
    failedIds.add(node.self.id)
    ring.crash(node)
  }
  const samples: LookupSample[] = []
  const first: LookupSample[] = []
  const asked = new Set<ChordNode>()
  for (let i = 0; i < options.lookups; i++) {
    const from = ring.random.pick(ring.members)
    const sample = await ring.timeline.settle(lookup(ring, from, ring.space.hash(`${label}-${i}`), `${label}-${i}`))
    samples.push(sample)
    if (!asked.has(from)) first.push(sample)
    asked.add(from)
  }
  const summary = summarizeLookups(samples)
  const firstSummary = summarizeLookups(first)
  return {
    n: options.n,
    r: options.r,
    p,
    lookups: summary.lookups,
    failed: summary.failed / summary.lookups,
    ownerFailed: ownersBefore.filter((id) => failedIds.has(id)).length / options.lookups,
    hops: summary.hops,
    timeouts: summary.timeouts,
    timedOutCalls: summary.timedOutCalls,
    latencyMs: summary.latencyMs,
    firstLookups: { lookups: firstSummary.lookups, failed: firstSummary.failed / Math.max(1, firstSummary.lookups), hops: firstSummary.hops, timeouts: firstSummary.timeouts },
  }
}
