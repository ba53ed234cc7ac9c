// The Chord paper's load-balance experiments (ToN 2003, §V-B), computed from ids alone as the paper
// does: how many keys each node owns when N nodes hold K keys (Fig. 8), and how virtual nodes even it
// out (Fig. 9: each real node hosts v virtual nodes, each with its own id, and owns what they own).
// Node ids are the simulator's (SHA-1 of host:port); a virtual node's id is SHA-1 of host:port:index
// (index 0 is the node's own id), the rule VNODES uses on real processes.
import type { Id, IdSpace } from '../../node/ring.js'
import { summarize } from '../report/stats.js'
import { SortedIds } from './sorted-ids.js'
import { simAddress } from './timed-network.js'

export interface LoadRow {
  /** Keys in the ring (Fig. 8) or virtual nodes per real node (Fig. 9). */
  x: number
  keys: number
  nodes: number
  /** Keys per real node. */
  mean: number
  p1: number
  p99: number
  /** The percentiles over the mean: what the paper's figures show side by side. */
  p1OverMean: number
  p99OverMean: number
}

/** The ids of `count` keys, one per line of a seeded list. */
export function keyIds(space: IdSpace, count: number, seed: number): Id[] {
  return Array.from({ length: count }, (_, i) => space.hash(`key-${seed}-${i}`))
}

/** Fig. 8: keys per node for each total in `totals`, N nodes; the keys are the first `total` of `keys`. */
export function loadBalance(space: IdSpace, nodes: number, keys: readonly Id[], totals: readonly number[]): LoadRow[] {
  const owners = ownersOf(space, nodes, 1, keys)
  return totals.map((total) => row(total, total, perNode(owners.slice(0, total), nodes)))
}

/** Fig. 9: keys per real node with v virtual nodes each, for each v in `perNode`. */
export function virtualNodes(space: IdSpace, nodes: number, keys: readonly Id[], vnodes: readonly number[]): LoadRow[] {
  return vnodes.map((v) => row(v, keys.length, perNode(ownersOf(space, nodes, v, keys), nodes)))
}

/** For each key, the real node (0 … nodes-1) whose virtual node owns it (the last virtual node at or before it). */
function ownersOf(space: IdSpace, nodes: number, v: number, keys: readonly Id[]): Int32Array {
  const ring: Array<{ id: Id; node: number }> = []
  for (let node = 0; node < nodes; node++) {
    const { host, port } = simAddress(node)
    for (let index = 0; index < v; index++) ring.push({ id: space.nodeId(host, port, index), node })
  }
  ring.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const ids = new SortedIds(space.bits, ring.map((entry) => entry.id))
  return Int32Array.from(keys, (key) => ring[ids.ownerIndex(key)]!.node)
}

function perNode(owners: Int32Array, nodes: number): number[] {
  const counts = new Array<number>(nodes).fill(0)
  for (const owner of owners) counts[owner]!++
  return counts
}

function row(x: number, keys: number, counts: number[]): LoadRow {
  const s = summarize(counts)
  return { x, keys, nodes: counts.length, mean: s.mean, p1: s.p1, p99: s.p99, p1OverMean: s.p1 / s.mean, p99OverMean: s.p99 / s.mean }
}
