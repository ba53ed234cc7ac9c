// What every protocol module works with: the node's state and its calls to other nodes. This is the
// one place where a peer's failure (unreachable, timed out) turns into forgetting that peer.
import { TIMEOUT_RETRIES } from '../config.js'
import { DhtError, isDhtError, isPeerFailure } from '../errors.js'
import { AnnouncementLog } from './announcement-log.js'
import type { NodeState, Logger } from './node-state.js'
import { RemotePeer, type RemoteNode, type Transport } from '../api/transport.js'
import { peerAddress, sameNode, type CallScope, type Peer } from './types.js'

/**
 * What a call to a peer came to: its answer, or the failure that made us forget it. `late`: an earlier
 * attempt of the call got no answer in time, so what it carried may have been applied too (a delete
 * answering "nothing left to delete" may be answering after its own first attempt).
 */
export type Answer<T> = { answered: true; value: T; late?: DhtError } | { answered: false; error: DhtError }

/** This node's own handlers working in `context`, so a call to ourselves needs no round trip and stays in its scope. */
export type LocalHandlers = (context: NodeContext) => RemoteNode

export class NodeContext {
  readonly state: NodeState
  readonly log: Logger
  /** Membership news this node has heard, so each is passed on once (one log, whatever the scope). */
  readonly announcements: AnnouncementLog
  /** On whose behalf this context's calls are made (see CallScope); none for the node's own base context. */
  readonly scope: CallScope | undefined
  readonly #local: LocalHandlers
  #transport: Transport | undefined
  /** The node's own transport, of which a scoped context makes its view when it first calls out. */
  readonly #base: Transport

  constructor(state: NodeState, transport: Transport, local: LocalHandlers, log: Logger, shared: { announcements?: AnnouncementLog; scope?: CallScope } = {}) {
    this.state = state
    this.#base = transport
    this.#transport = shared.scope ? undefined : transport
    this.#local = local
    this.log = log
    this.announcements = shared.announcements ?? new AnnouncementLog()
    this.scope = shared.scope
  }

  /** The same node working on behalf of `scope`: its calls go through the transport's view of that scope. */
  within(scope: CallScope): NodeContext {
    return new NodeContext(this.state, this.#base, this.#local, this.log, { announcements: this.announcements, scope })
  }

  /** How this context reaches other nodes; made on first use, since most handlers answer without a call. */
  get transport(): Transport {
    this.#transport ??= this.#base.within?.(this.scope!) ?? this.#base
    return this.#transport
  }

  /** The node at `peer`: ourselves directly, anyone else through the transport. */
  node(peer: Peer): RemoteNode {
    return sameNode(peer, this.state.self) ? this.#local(this) : new RemotePeer(this.transport, peer)
  }

  /** The node at `peer` through the transport, even when it is this one: a failure throws, and is not forgotten. */
  remote(peer: Peer): RemoteNode {
    return new RemotePeer(this.transport, peer)
  }

  /**
   * Calls `peer`. A peer that fails is forgotten, so routing and maintenance stop using it, and the
   * failure comes back as data; a peer that answers with an error of its own (it said no) throws.
   * A timeout may be one lost message: the peer is asked again (TIMEOUT_RETRIES) before it counts as failed.
   */
  async ask<T>(peer: Peer, call: (node: RemoteNode) => Promise<T>): Promise<Answer<T>> {
    let late: DhtError | undefined
    for (let attempt = 0; ; attempt++) {
      try {
        const value = await call(this.node(peer))
        return late ? { answered: true, value, late } : { answered: true, value }
      } catch (error) {
        if (!isPeerFailure(error)) throw error
        if (isDhtError(error, 'PEER_TIMEOUT') && attempt < TIMEOUT_RETRIES) {
          late = error
          continue
        }
        this.state.failed(peer)
        return { answered: false, error: error as DhtError }
      }
    }
  }

  /** The first of `peers` that answers a ping; those that do not are forgotten. */
  async firstAnswering(peers: readonly Peer[]): Promise<Peer | undefined> {
    for (const peer of peers) {
      if ((await this.ask(peer, (node) => node.ping())).answered) return peer
    }
    return undefined
  }

  /** We link to no node we cannot reach: a request naming a node that does not exist changes nothing. */
  async mustAnswer(peer: Peer, role: string): Promise<void> {
    if (sameNode(peer, this.state.self)) return
    try {
      await this.remote(peer).ping()
    } catch (error) {
      if (!isPeerFailure(error)) throw error
      throw new DhtError('BAD_REQUEST', `${role} ${peerAddress(peer)} does not answer`)
    }
  }
}
