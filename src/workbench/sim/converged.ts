// A ring as it looks once maintenance has converged, built directly from the sorted ids instead of
// through N joins: how the Chord paper's simulator sets up its path-length experiments, and what
// makes 65,536 nodes in one process take seconds. Routing then runs the real protocol code.
import type { ChordNode } from '../../node/protocol/chord-node.js'
import { between, successorIndex } from '../../node/ring.js'
import type { SimRing } from './sim-ring.js'

export async function buildConvergedRing(sim: SimRing, count: number): Promise<ChordNode[]> {
  for (let i = 0; i < count; i++) sim.nodes.push(sim.createNode())
  const ring = sim.sorted()
  const n = ring.length
  const ids = ring.map((node) => node.self.id)
  const successorOf = (id: bigint): ChordNode => ring[successorIndex(ids, id)]!
  for (let i = 0; i < n; i++) {
    const node = ring[i]!
    await node.setPredecessor({ predecessor: ring[(i - 1 + n) % n]!.self })
    await node.setSuccessor({ successor: ring[(i + 1) % n]!.self })
  }
  // Successor lists, built backwards so each node copies an already complete list from its successor.
  for (let i = n - 1; i >= 0; i--) await ring[i]!.stabilize()
  for (let i = n - 1; i >= 0; i--) await ring[i]!.stabilize()
  for (const node of ring) {
    let previous = successorOf(sim.space.fingerStart(node.self.id, 0))
    for (let i = 0; i < node.fingers.size; i++) {
      const start = node.fingers.start(i)
      // Starts up to the previous finger share it; only the others need a search.
      if (start !== previous.self.id && !between(start, node.self.id, previous.self.id)) previous = successorOf(start)
      node.fingers.set(i, previous.self)
    }
  }
  return ring
}
