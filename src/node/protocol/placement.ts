// Where a key's copies live. A key's owner is the node whose range [id, successor) holds it; its copies
// go to the owner and then, walking back along predecessors, to the first node of each process that holds
// none yet, until r processes hold one. A process is an address: the virtual nodes it hosts (VNODES=v)
// share their host and port. With one node per process this is the lab's rule (the owner and its r-1
// predecessors); with several, no process ever holds two copies of a key, so a crash, which takes all
// of a process's virtual nodes at once, loses at most one copy of each.
//
// Pure functions of a view: a node applies them to itself and its successor list, the tools to a whole ring.
import { betweenLeftIncl, ownerIndex, type Id } from '../ring.js'
import { sameNode, type Peer } from './types.js'

/** The process a node lives in: its address, which its process's other virtual nodes share. */
export function processOf(peer: Pick<Peer, 'host' | 'port'>): string {
  return `${peer.host}:${peer.port}`
}

export function sameProcess(a: Pick<Peer, 'host' | 'port'>, b: Pick<Peer, 'host' | 'port'>): boolean {
  return a.host === b.host && a.port === b.port
}

/**
 * A successor list: `successor`, then as many of its own successors as it takes for the list to span r
 * processes (no us, no repeats). With one node per process that is r nodes; with v per process at most
 * (r-1)·v + 1, so the list always reaches past the next r-1 processes and a node still knows a live
 * successor after any one process crashes.
 */
export function successorList(self: Peer, successor: Peer, itsSuccessors: readonly Peer[], replicas: number): Peer[] {
  const list: Peer[] = [successor]
  if (sameNode(successor, self)) return list
  // One node of each process seen (at most r): no strings built, as a simulation sets millions of lists.
  const processes: Peer[] = [successor]
  for (const peer of itsSuccessors) {
    if (processes.length >= replicas || sameNode(peer, self)) break
    if (list.some((known) => sameNode(known, peer))) continue
    list.push(peer)
    if (!processes.some((seen) => sameProcess(seen, peer))) processes.push(peer)
  }
  return list
}

/** Why a node's holding ends where it does: the r-th process, another node of its own process, or nowhere (a small ring). */
type HoldingStop = { end: Id; why: 'replicas' | 'sibling' } | { end: Id; why: 'everything' }

function holdingStop(self: Peer, successors: readonly Peer[], replicas: number): HoldingStop {
  const processes: Peer[] = []
  for (const next of successors) {
    if (sameNode(next, self)) break
    // From `next` on, a node of our own process is nearer every key's owner than we are: it holds the copy.
    if (sameProcess(next, self)) return { end: next.id, why: 'sibling' }
    if (!processes.some((seen) => sameProcess(seen, next))) processes.push(next)
    // From `next` on, r processes between us and the owner hold the copies already.
    if (processes.length >= replicas) return { end: next.id, why: 'replicas' }
  }
  return { end: self.id, why: 'everything' }
}

/**
 * Where the keys a node holds end: it holds [self, end), its own range and copies of its successors'
 * ranges. `self`'s id itself means the whole ring (fewer than r processes).
 */
export function holdEnd(self: Peer, successors: readonly Peer[], replicas: number): Id {
  return holdingStop(self, successors, replicas).end
}

/**
 * What a node is to a key, by its own view: one of its holders; or not, because a node of its own process
 * lies between it and the key's owner ('sibling', so a copy passing down the chain skips it and still
 * counts), or because r other processes lie there ('beyond').
 */
export function holdingOf(self: Peer, successors: readonly Peer[], replicas: number, key: Id): Holding {
  return holdingTest(self, successors, replicas)(key)
}

export type Holding = 'holder' | 'sibling' | 'beyond'

/** holdingOf for many keys: the view is read once. */
export function holdingTest(self: Peer, successors: readonly Peer[], replicas: number): (key: Id) => Holding {
  const stop = holdingStop(self, successors, replicas)
  const beyond: Holding = stop.why === 'sibling' ? 'sibling' : 'beyond'
  return (key) => (stop.why === 'everything' || betweenLeftIncl(key, self.id, stop.end) ? 'holder' : beyond)
}

/** A part of a node's replica range and the node that holds all of it (the part's first node, which owns its start). */
export interface ReplicaSegment {
  holder: Peer
  from: Id
  to: Id
}

/**
 * The copies a node holds of its successors' ranges, [s1, end), cut where each part can be reconciled
 * with one node: a part runs from a node to the next node of that node's process (which holds the rest,
 * not it). With one node per process that is one part, [s1, s_r), held by the successor. None with r = 1.
 */
export function replicaSegments(self: Peer, successors: readonly Peer[], replicas: number): ReplicaSegment[] {
  const first = successors[0]
  const end = holdEnd(self, successors, replicas)
  if (replicas <= 1 || !first || sameNode(first, self) || end === first.id) return []
  const segments: ReplicaSegment[] = []
  let holder = first
  for (const next of successors.slice(1)) {
    if (next.id === end || sameNode(next, self)) break
    if (!sameProcess(next, holder)) continue
    segments.push({ holder, from: holder.id, to: next.id })
    holder = next
  }
  segments.push({ holder, from: holder.id, to: end })
  return segments
}

/**
 * The holders of `key` in a whole ring (sorted by id): the owner, then one node of each further process
 * walking back, r processes in all (fewer when the ring has fewer).
 */
export function holdersOf(ring: readonly Peer[], key: Id, replicas: number): Peer[] {
  if (ring.length === 0) return []
  const owner = ownerIndex(
    ring.map((peer) => peer.id),
    key,
  )
  return holderPositions(ring, owner, replicas).map((at) => ring[at]!)
}

/** The positions in a whole ring (sorted by id) of the holders of a key owned at `owner`: what make check expects to find. */
export function holderPositions(ring: readonly Peer[], owner: number, replicas: number): number[] {
  const positions: number[] = []
  for (let step = 0; step < ring.length && positions.length < replicas; step++) {
    const at = (owner - step + ring.length) % ring.length
    if (!positions.some((held) => sameProcess(ring[held]!, ring[at]!))) positions.push(at)
  }
  return positions
}
