// The vocabulary the protocol speaks, and the one interface through which it reaches other nodes.
import type { RouteMode } from '../config.js'
import type { Id } from '../ring.js'
import type { Version } from './version-clock.js'

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

/** What a node holds for one value: the version of its last write, and whether that write deleted it. */
export interface StoredRecord extends Entry {
  version: Version
  /** A tombstone: the value was deleted at `version`; it is kept until the grace period ends so no old copy brings it back. */
  deleted: boolean
}

/** A holder's answer for a key: all it holds (tombstones too) and its predecessor, the next holder back. */
export interface KeyRead {
  records: StoredRecord[]
  predecessor: Peer | null
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
      /** With values: the key's tombstones, so a LOOKUP that misses knows which deletes it must not undo. */
      tombstones?: Array<{ value: string; version: Version }>
    }
  | {
      kind: 'next'
      candidates: Peer[]
      /** The asked node's successor list: if every candidate has failed, it tells whether the asked node inherited the key. */
      successors: Peer[]
    }

/** One node as a one-hop table knows it: alive or gone, as of the version of that news. */
export interface Member {
  peer: Peer
  alive: boolean
  version: Version
}

/** Membership news, spread to every node: a node joined, left (handing over to `successor`), or failed. */
export interface Announcement {
  kind: 'joined' | 'left' | 'failed'
  node: Peer
  /** For a node gone: the node after it, which takes its place in fingers. */
  successor?: Peer
  /** The announcing node's version clock when it saw this: the news's identity, with kind and node. */
  version: Version
}

export interface Neighbors {
  predecessor: Peer | null
  successors: Peer[]
  /** Fingerprint of the asked range, when one was asked for and is held: replica sync rides on stabilize. */
  digest?: string
  /** One-hop mode: this node's member table, when the caller's fingerprint of its own differed. */
  members?: Member[]
}

/** A range [from, to) of keys. */
export interface KeyRange {
  from: Id
  to: Id
}

/**
 * Why an insert arrives. A client write, which the receiver stamps with a new version: 'store' at the
 * owner (checked against its range), 'heir' at the node next in line when the owner has failed. Or
 * records that already have versions and are merged: 'replica' (a copy down the chain), 'handoff' (a
 * range moving on join, leave or re-homing, or read repair giving the owner what it lacked).
 */
export type InsertRole = 'store' | 'heir' | 'replica' | 'handoff'

/** A client delete at the owner: `after` is a live version seen elsewhere that the tombstone must outdate. */
export interface DeleteOptions {
  after?: Version
  /** The owner has failed and this node is next in line: it need not own the key by its own pointer yet. */
  heir?: boolean
}

export type RangeAnswer = { unchanged: true } | { unchanged: false; entries: StoredRecord[] }

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
  /** Deleted values still remembered (until the grace period ends). */
  tombstones: number
  bits: number
  replicas: number
  routeMode: RouteMode
  /** What routing keeps: nodes named (fingers, successors, predecessor, and in one-hop mode every member) and their size as JSON. */
  routingState: { entries: number; bytes: number }
}

export interface JoinResult {
  predecessor: Peer
  successor: Peer
}

/**
 * On whose behalf a call is made. The protocol only hands it on, from the message it handles (or the
 * maintenance round it runs) to the calls it makes meanwhile; the layers around it read it: tracing
 * makes one per message and round, so each message knows the trace and span it belongs to, and the
 * wire carries it to the receiver (headers over HTTP, the scope itself in memory).
 */
export interface CallScope {
  readonly traceId: string
  readonly spanId: string
  /** A maintenance round's task. */
  readonly task?: string
  /** What the wire sends of it (set per message by the traced transport for the one below). */
  readonly headers?: Readonly<Record<string, string>>
}

export function sameNode(a: Peer | null | undefined, b: Peer | null | undefined): boolean {
  return a != null && b != null && a.id === b.id
}

export function peerAddress(peer: Pick<Peer, 'host' | 'port'>): string {
  return `${peer.host}:${peer.port}`
}
