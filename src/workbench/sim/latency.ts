// How long a message takes from one simulated node to another: constant, uniform or exponential, with a
// given mean (the Chord paper used 50 ms), drawn per message or fixed per link (a pair of nodes keeps
// one delay both ways, as in PeerSim's and Maelstrom's network models). Seeded: a run replays exactly.
import { SeededRandom } from './random.js'

export const LATENCY_KINDS = ['constant', 'uniform', 'exponential'] as const
export type LatencyKind = (typeof LATENCY_KINDS)[number]

export interface LatencyModel {
  kind: LatencyKind
  meanMs: number
  /** 'message': a fresh delay for every message; 'link': one delay per pair of nodes, drawn from a hash of the pair. */
  per: 'message' | 'link'
}

/** The paper's: exponential delays with a mean of 50 ms. */
export const PAPER_LATENCY: LatencyModel = { kind: 'exponential', meanMs: 50, per: 'message' }

/** One-way delay in simulated ms of a message from node `from` to node `to` (numbered by address). */
export type Delay = (from: number, to: number) => number

export function delaySampler(model: LatencyModel, seed: number): Delay {
  if (!(model.meanMs >= 0)) throw new RangeError(`a mean delay must be 0 or more, got ${model.meanMs}`)
  const shape = quantile(model.kind, model.meanMs)
  if (model.per === 'link') return (from, to) => shape(linkUniform(Math.min(from, to), Math.max(from, to), seed))
  const random = new SeededRandom(seed)
  return () => shape(random.next())
}

/** The delay with cumulative probability u ∈ [0, 1). */
function quantile(kind: LatencyKind, mean: number): (u: number) => number {
  switch (kind) {
    case 'constant':
      return () => mean
    case 'uniform':
      // Uniform over [0, 2·mean]: the widest uniform delay with this mean.
      return (u) => 2 * mean * u
    case 'exponential':
      return (u) => -mean * Math.log(1 - u)
  }
}

/** A uniform number in [0, 1) fixed by the pair and the seed (a 32-bit integer hash; no table of links is kept). */
function linkUniform(a: number, b: number, seed: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ seed
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}
