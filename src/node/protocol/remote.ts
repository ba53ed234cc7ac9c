// The handlers a node offers to others. A Transport call `t.get(peer, key)` arrives at the peer as
// `node.get(key)`; RemoteNode is that second shape, so a node can call itself without a round trip.
import type { RouteMode } from '../config.js'
import type { Id } from '../ring.js'
import type { Announcement, DeleteOptions, InsertRole, NeighborsRequest, Peer, StoredRecord, Transport } from './types.js'

export type RemoteNode = {
  [K in Exclude<keyof Transport, 'within'>]: Transport[K] extends (peer: Peer, ...args: infer A) => infer R ? (...args: A) => R : never
}

/** The node at `peer`, reached through `transport`. */
export class RemotePeer implements RemoteNode {
  readonly #transport: Transport
  readonly #peer: Peer

  constructor(transport: Transport, peer: Peer) {
    this.#transport = transport
    this.#peer = peer
  }

  nodeInfo() { return this.#transport.nodeInfo(this.#peer) }
  ping() { return this.#transport.ping(this.#peer) }
  routeStep(key: Id, mode: RouteMode, withValues?: boolean) { return this.#transport.routeStep(this.#peer, key, mode, withValues) }
  neighbors(request?: NeighborsRequest) { return this.#transport.neighbors(this.#peer, request) }
  notify(candidate: Peer) { return this.#transport.notify(this.#peer, candidate) }
  setSuccessor(successor: Peer, expected?: Peer) { return this.#transport.setSuccessor(this.#peer, successor, expected) }
  setPredecessor(predecessor: Peer | null) { return this.#transport.setPredecessor(this.#peer, predecessor) }
  join(joiner: Peer) { return this.#transport.join(this.#peer, joiner) }
  leave() { return this.#transport.leave(this.#peer) }
  insert(records: StoredRecord[], role: InsertRole, copies: number) { return this.#transport.insert(this.#peer, records, role, copies) }
  get(key: Id) { return this.#transport.get(this.#peer, key) }
  delete(key: Id, value: string | undefined, copies: number, options?: DeleteOptions) { return this.#transport.delete(this.#peer, key, value, copies, options) }
  rangeEntries(from: Id, to: Id, digest?: string) { return this.#transport.rangeEntries(this.#peer, from, to, digest) }
  members() { return this.#transport.members(this.#peer) }
  announce(news: Announcement, limit: Id) { return this.#transport.announce(this.#peer, news, limit) }
  unify(candidate: Peer) { return this.#transport.unify(this.#peer, candidate) }
  offer(candidate: Peer) { return this.#transport.offer(this.#peer, candidate) }
}
