// A ring as it looks once maintenance has converged, built directly from the sorted ids instead of
// through N joins: how the Chord paper's simulator sets up its path-length experiments, and what
// makes 65,536 nodes in one process take seconds. Routing then runs the real protocol code.
import type { ChordNode } from '../../node/protocol/chord-node.js'
import type { Peer } from '../../node/protocol/types.js'
import type { Id, IdSpace } from '../../node/ring.js'
import type { SimRing } from './sim-ring.js'
import { SortedIds } from './sorted-ids.js'

export async function buildConvergedRing(sim: SimRing, count: number): Promise<ChordNode[]> {
  for (let i = 0; i < count; i++) sim.nodes.push(sim.createNode())
  const ring = sim.sorted()
  const n = ring.length
  const ids = ring.map((node) => node.self.id)
  for (let i = 0; i < n; i++) {
    const node = ring[i]!
    await node.setPredecessor({ predecessor: ring[(i - 1 + n) % n]!.self })
    await node.setSuccessor({ successor: ring[(i + 1) % n]!.self })
  }
  // Successor lists, built backwards so each node copies an already complete list from its successor.
  for (let i = n - 1; i >= 0; i--) await ring[i]!.stabilize()
  for (let i = n - 1; i >= 0; i--) await ring[i]!.stabilize()
  const fingers = new ConvergedFingers(sim.space, ids)
  for (const node of ring) fingers.fill(node.self.id, (i) => ring[i]!.self, (first, end, peer) => node.fingers.setRange(first, end, peer))
  return ring
}

/**
 * The finger tables of a converged ring, from its sorted ids: finger i of n is the first node at or
 * after n + 2^i. A finger's node f serves every i with 2^i ≤ distance(n, f), so a table costs one
 * search per distinct finger (about log2 N), not one per finger (the id space's bits).
 */
export class ConvergedFingers {
  readonly #space: IdSpace
  readonly #ids: SortedIds
  /** 2^i for every finger index. */
  readonly #powers: bigint[]

  constructor(space: IdSpace, sortedIds: readonly Id[]) {
    this.#space = space
    this.#ids = new SortedIds(space.bits, sortedIds)
    this.#powers = Array.from({ length: space.bits }, (_, i) => 1n << BigInt(i))
  }

  /**
   * Calls set(first, end, peer) for each distinct finger of the node with id `self`, in order: fingers
   * first … end-1 are `peer`. peerAt(k) is the k-th node in id order.
   */
  fill(self: Id, peerAt: (index: number) => Peer, set: (first: number, end: number, peer: Peer) => void): void {
    const bits = this.#space.bits
    for (let i = 0; i < bits; ) {
      const k = this.#ids.successorIndex(this.#space.fingerStart(self, i))
      const end = Math.min(bits, Math.max(i, this.#highestPowerAtMost(this.#space.distance(self, this.#ids.ids[k]!))) + 1)
      set(i, end, peerAt(k))
      i = end
    }
  }

  /** The largest i with 2^i ≤ d (-1 for d = 0). */
  #highestPowerAtMost(d: bigint): number {
    let lo = -1
    let hi = this.#powers.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.#powers[mid]! <= d) lo = mid
      else hi = mid - 1
    }
    return lo
  }
}
