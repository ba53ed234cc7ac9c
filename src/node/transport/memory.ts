// An in-memory network: every node lives in this process and a call is a method call. Used by the
// simulation tests and `make simulate` to run the very same protocol code with thousands of nodes.
import { DhtError } from '../errors.js'
import type { ChordNode } from '../protocol/chord-node.js'
import type { ReplyOf, RequestOf, RpcName } from '../api/rpcs.js'
import type { RemoteNode, Transport } from '../api/transport.js'
import { peerAddress, type CallScope, type Peer } from '../protocol/types.js'

export interface MemoryNetworkOptions {
  /**
   * Microtask turns a message waits before it is delivered, drawn per message: with it, operations
   * running at once interleave at every message as they would between processes. Without it, none.
   */
  delayTurns?: () => number
}

/** What every view of one network shares: its nodes, and the count of messages. */
interface World {
  nodes: Map<string, ChordNode>
  crashed: Set<string>
  delayTurns: (() => number) | undefined
  messages: number
}

export class MemoryNetwork implements Transport {
  readonly #world: World
  /** A call made within a scope is handled within it at the receiver, as a traced request is over HTTP. */
  readonly #scope: CallScope | undefined

  constructor(options: MemoryNetworkOptions = {}, view?: { world: World; scope: CallScope }) {
    this.#world = view?.world ?? { nodes: new Map(), crashed: new Set(), delayTurns: options.delayTurns, messages: 0 }
    this.#scope = view?.scope
  }

  within(scope: CallScope): MemoryNetwork {
    return new MemoryNetwork({}, { world: this.#world, scope })
  }

  /** Messages sent so far: the simulator's measure of cost. */
  get messages(): number {
    return this.#world.messages
  }

  set messages(count: number) {
    this.#world.messages = count
  }

  add(node: ChordNode): void {
    this.#world.nodes.set(peerAddress(node.self), node)
    this.#world.crashed.delete(peerAddress(node.self))
  }

  /** A crash: the node stops answering at once and its timers stop, with no goodbye. */
  crash(peer: Peer): void {
    const address = peerAddress(peer)
    this.#world.nodes.get(address)?.stop()
    this.#world.crashed.add(address)
  }

  remove(peer: Peer): void {
    this.#world.nodes.get(peerAddress(peer))?.stop()
    this.#world.nodes.delete(peerAddress(peer))
  }

  /** A call is the receiver's handler of the same name, called with the same request. */
  call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    return this.#deliver(peer, (node) => {
      const handler = node[name] as (this: RemoteNode, request: RequestOf<N>) => Promise<ReplyOf<N>>
      return handler.call(node, request)
    })
  }

  /** One request and its reply: a node that crashed while handling it never sends the reply. */
  async #deliver<T>(peer: Peer, handle: (node: RemoteNode) => Promise<T>): Promise<T> {
    const node = await this.#at(peer)
    const reply = await handle(this.#scope ? node.within(this.#scope) : node)
    const address = peerAddress(peer)
    if (this.#world.crashed.has(address)) throw new DhtError('PEER_UNREACHABLE', `${address} crashed before it answered`)
    return reply
  }

  async #at(peer: Peer): Promise<ChordNode> {
    const world = this.#world
    world.messages++
    for (let turns = world.delayTurns?.() ?? 0; turns > 0; turns--) await undefined
    const address = peerAddress(peer)
    const node = world.nodes.get(address)
    if (!node || world.crashed.has(address) || node.status === 'stopped') {
      throw new DhtError('PEER_UNREACHABLE', `${address} does not answer`)
    }
    return node
  }
}
