// The vocabulary the protocol speaks, and the one interface through which it reaches other nodes.
import type { RouteMode } from '../config.js'
import type { Id } from '../ring.js'

/** A node as others know it: its id and the address that reaches it. */
export interface Peer {
  id: Id
  host: string
  port: number
}

/** One stored value under its key. Several values may share a key in a small id space. */
export interface Entry {
  key: Id
  value: string
}

/**
 * One routing step, answered by the node being asked: either it owns the key (only a node's own
 * successor pointer can say so), or it hands back the nodes to try next, best first.
 */
export type RouteStep =
  | {
      kind: 'owner'
      /** holders[0] owns the key (the node asked); then its predecessor, which holds a copy. */
      holders: Peer[]
      ownerSuccessor: Peer
      /** The values stored under the key, when the route asked for them: a LOOKUP then needs no extra get. */
      values?: string[]
    }
  | {
      kind: 'next'
      candidates: Peer[]
      /** The asked node's successor list: if every candidate has failed, it tells whether the asked node inherited the key. */
      successors: Peer[]
    }

export interface Neighbors {
  predecessor: Peer | null
  successors: Peer[]
  /** Fingerprint of the asked range, when one was asked for and is held: replica sync rides on stabilize. */
  digest?: string
}

/** A range [from, to) of keys. */
export interface KeyRange {
  from: Id
  to: Id
}

/** Why an insert arrives: a client STORE (checked against ownership), a replica copy, or a handoff. */
export type InsertRole = 'store' | 'replica' | 'handoff'

export type RangeAnswer = { unchanged: true } | { unchanged: false; entries: Entry[] }

export type NodeStatus = 'joining' | 'ready' | 'leaving' | 'stopped'

export interface NodeInfo {
  self: Peer
  status: NodeStatus
  predecessor: Peer | null
  successor: Peer
  successors: Peer[]
  /** Distinct fingers in table order, each with the first finger index that points at it. */
  fingers: Array<{ index: number; start: Id; node: Peer }>
  keys: number
  values: number
  bits: number
  replicas: number
  routeMode: RouteMode
}

export interface JoinResult {
  predecessor: Peer
  successor: Peer
}

/**
 * Everything the protocol may ask of another node. Implemented over HTTP between processes
 * (src/transport/http-client.ts) and in memory for simulations (src/transport/memory.ts).
 * A call to a dead or slow peer rejects with PEER_UNREACHABLE or PEER_TIMEOUT; a peer that
 * refuses rejects with its own error code.
 */
export interface Transport {
  nodeInfo(peer: Peer): Promise<NodeInfo>
  ping(peer: Peer): Promise<void>
  routeStep(peer: Peer, key: Id, mode: RouteMode, withValues?: boolean): Promise<RouteStep>
  neighbors(peer: Peer, digestOf?: KeyRange): Promise<Neighbors>
  notify(peer: Peer, candidate: Peer): Promise<void>
  setSuccessor(peer: Peer, successor: Peer): Promise<void>
  setPredecessor(peer: Peer, predecessor: Peer | null): Promise<void>
  join(peer: Peer, joiner: Peer): Promise<JoinResult>
  leave(peer: Peer): Promise<void>
  insert(peer: Peer, entries: Entry[], role: InsertRole, copies: number): Promise<void>
  get(peer: Peer, key: Id): Promise<string[]>
  delete(peer: Peer, key: Id, value: string | undefined, copies: number): Promise<number>
  rangeEntries(peer: Peer, from: Id, to: Id, digest?: string): Promise<RangeAnswer>
}

export function sameNode(a: Peer | null | undefined, b: Peer | null | undefined): boolean {
  return a != null && b != null && a.id === b.id
}

export function peerAddress(peer: Pick<Peer, 'host' | 'port'>): string {
  return `${peer.host}:${peer.port}`
}
