// What a node does when asked: the handlers other nodes call (RemoteNode) and the client operations it
// coordinates (STORE, LOOKUP, delete, findNode), each in the context of one call. ChordNode is these in
// its own base context; within(scope) gives the same handlers on behalf of a message or round, so the
// calls they make belong to it (tracing's parent span) without the protocol knowing why.
import type { RouteMode } from '../config.js'
import { DhtError } from '../errors.js'
import type { Id } from '../ring.js'
import * as announcements from './announcements.js'
import * as content from './content.js'
import type { NodeContext } from './context.js'
import * as direct from './direct.js'
import * as membership from './membership.js'
import * as unification from './unification.js'
import type { DeleteAsk, NeighborsAsk, StabilizeAsk } from '../api/rpcs.js'
import type { RemoteNode } from '../api/transport.js'
import { answerRouteStep, findOwner, type RouteResult } from './routing.js'
import type { Announcement, CallScope, Member, InsertRole, JoinResult, KeyRead, Neighbors, NodeInfo, Peer, RangeAnswer, RouteStep, StoredRecord } from './types.js'

export class NodeHandlers implements RemoteNode {
  constructor(protected readonly context: NodeContext) {}

  /** These handlers on behalf of `scope`: what they send is made within it. */
  within(scope: CallScope): NodeHandlers {
    return new NodeHandlers(this.context.within(scope))
  }

  // ---- handlers other nodes call (RemoteNode)

  async nodeInfo(): Promise<NodeInfo> {
    const state = this.context.state
    return {
      self: state.self,
      status: state.status,
      predecessor: state.predecessor,
      successor: state.successor,
      successors: state.successors,
      fingers: state.fingers.distinct(),
      keys: state.store.keyCount,
      values: state.store.valueCount,
      tombstones: state.store.tombstoneCount,
      bits: state.space.bits,
      replicas: state.config.replicas,
      routeMode: state.config.routeMode,
      routingState: state.routingState(),
    }
  }

  async ping(): Promise<void> {
    this.#open()
  }

  async neighbors(request: NeighborsAsk = {}): Promise<Neighbors> {
    this.#open()
    const state = this.context.state
    const neighbors: Neighbors = { predecessor: state.predecessor, successors: state.successors }
    const { digestOf } = request
    if (digestOf && state.status === 'ready' && digestOf.from === state.self.id && state.holds(digestOf.to)) {
      neighbors.digest = state.store.digest(digestOf.from, digestOf.to)
    }
    // One hop: a predecessor whose table differs from ours gets ours (stabilize is the anti-entropy).
    if (request.membersDigest !== undefined && state.members && request.membersDigest !== state.members.digest()) neighbors.members = state.members.entries()
    return neighbors
  }

  /** Stabilize's one call: notify, then the neighbours. A notify that fails (the candidate does not answer) changes nothing. */
  async neighborsAndNotify(request: StabilizeAsk): Promise<Neighbors> {
    this.#open()
    await membership.notify(this.context, request.notify).catch(() => undefined)
    return this.neighbors(request)
  }

  async members(): Promise<Member[]> {
    this.#open()
    return this.context.state.members?.entries() ?? []
  }

  async routeStep({ key, mode, withValues = false }: { key: Id; mode: RouteMode; withValues?: boolean }): Promise<RouteStep> {
    this.#open()
    return answerRouteStep(this.context.state, key, mode, withValues)
  }

  async setSuccessor({ successor, expected }: { successor: Peer; expected?: Peer }): Promise<{ successor: Peer }> {
    this.#open()
    await membership.setSuccessor(this.context, successor, expected)
    return { successor: this.context.state.successor }
  }

  async setPredecessor({ predecessor }: { predecessor: Peer | null }): Promise<{ predecessor: Peer | null }> {
    this.#open()
    await membership.setPredecessor(this.context, predecessor)
    return { predecessor: this.context.state.predecessor }
  }

  async notify({ candidate }: { candidate: Peer }): Promise<{ predecessor: Peer | null }> {
    this.#open()
    await membership.notify(this.context, candidate)
    return { predecessor: this.context.state.predecessor }
  }

  async join({ joiner }: { joiner: Peer }): Promise<JoinResult> { this.#open(); return membership.join(this.context, joiner) }

  async leave(): Promise<{ left: Peer; handedTo: Peer | null }> {
    this.#open()
    const { state } = this.context
    const handedTo = state.predecessor
    await membership.leave(this.context)
    state.onStop()
    return { left: state.self, handedTo }
  }

  async insert({ records, role, copies }: { records: StoredRecord[]; role: InsertRole; copies: number }): Promise<{ inserted: number }> {
    this.#open()
    await content.insert(this.context, records, role, copies)
    return { inserted: records.length }
  }

  async get({ key }: { key: Id }): Promise<KeyRead> { this.#open(); return content.get(this.context, key) }

  async delete({ key, value, copies, ...options }: DeleteAsk): Promise<{ deleted: number }> {
    this.#open()
    return { deleted: await content.deleteEntries(this.context, key, value, copies, options) }
  }

  async rangeEntries({ from, to, digest }: { from: Id; to: Id; digest?: string }): Promise<RangeAnswer> { this.#open(); return content.rangeEntries(this.context, from, to, digest) }
  async announce({ news, limit }: { news: Announcement; limit: Id }): Promise<void> { this.#open(); return announcements.receive(this.context, news, limit) }
  async unify({ candidate }: { candidate: Peer }): Promise<void> { this.#open(); return unification.unify(this.context, candidate) }

  async offer({ candidate }: { candidate: Peer }): Promise<{ successor: Peer }> {
    this.#open()
    await unification.offer(this.context, candidate)
    return { successor: this.context.state.successor }
  }

  // ---- client operations, coordinated by this node

  async storeValue(value: string): Promise<content.ValueResult> { this.#open(); return content.storeValue(this.context, value) }
  async lookupValue(value: string): Promise<content.ValueResult> { this.#open(); return content.lookupValue(this.context, value) }
  async deleteValue(value: string): Promise<content.ValueResult & { deleted: number }> { this.#open(); return content.deleteValue(this.context, value) }

  // ---- the same, asked of this node as the key's owner (a client that knows the ring): served, or MOVED

  async readValue(value: string): Promise<direct.DirectAnswer<content.ValueResult>> { this.#open(); return direct.readAtOwner(this.context, value) }
  async writeValue(value: string): Promise<direct.DirectAnswer<content.ValueResult>> { this.#open(); return direct.writeAtOwner(this.context, value) }
  async removeValue(value: string): Promise<direct.DirectAnswer<content.ValueResult & { deleted: number }>> { this.#open(); return direct.deleteHere(this.context, value) }

  async findOwner(key: Id, mode: RouteMode = this.context.state.config.routeMode, options: { withValues?: boolean } = {}): Promise<RouteResult> {
    this.#open()
    return findOwner(this.context, key, mode, options)
  }

  joinVia(bootstrap: Peer): Promise<JoinResult> { return membership.joinVia(this.context, bootstrap) }

  /** A node that has left (or failed to join) answers nothing more but its nodeinfo: to others it is gone. */
  #open(): void {
    const state = this.context.state
    if (state.status === 'stopped') throw new DhtError('NODE_LEFT', `${state.short(state.self)} has left the ring`)
  }
}
