// An in-memory network: every node lives in this process and a call is a method call. Used by the
// simulation tests and `make simulate` to run the very same protocol code with thousands of nodes.
// A "process" is an address: several nodes added with one host and port are one process's virtual
// nodes (VNODES=v), reached by id as the x-chord-node header reaches them, and crashed together.
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
  /** The nodes at each address, in the order they were added. */
  nodes: Map<string, ChordNode[]>
  /** Addresses that have hosted several nodes: a call there must name a node it hosts (see #at). */
  shared: Set<string>
  crashed: Set<string>
  delayTurns: (() => number) | undefined
  messages: number
}

export class MemoryNetwork implements Transport {
  readonly #world: World
  /** A call made within a scope is handled within it at the receiver, as a traced request is over HTTP. */
  readonly #scope: CallScope | undefined

  constructor(options: MemoryNetworkOptions = {}, view?: { world: World; scope: CallScope }) {
    this.#world = view?.world ?? { nodes: new Map(), shared: new Set(), crashed: new Set(), delayTurns: options.delayTurns, messages: 0 }
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

  /**
   * A node at its address; another node with the same address and another id is a virtual node of the same
   * process. At a crashed address, a restart: the address hosts this node alone from now on.
   */
  add(node: ChordNode): void {
    const world = this.#world
    const address = peerAddress(node.self)
    const hosted = world.crashed.has(address) ? [] : (world.nodes.get(address) ?? []).filter((other) => other.self.id !== node.self.id)
    if (world.crashed.delete(address)) world.shared.delete(address)
    hosted.push(node)
    if (hosted.length > 1) world.shared.add(address)
    world.nodes.set(address, hosted)
  }

  /** A crash of the process at the peer's address: all its nodes stop answering at once and their timers stop, with no goodbye. */
  crash(peer: Peer): void {
    const address = peerAddress(peer)
    for (const node of this.#world.nodes.get(address) ?? []) node.stop()
    this.#world.crashed.add(address)
  }

  /** The node is gone from its address (it left); the process's other nodes stay. */
  remove(peer: Peer): void {
    const world = this.#world
    const address = peerAddress(peer)
    const node = this.#hostOf(address, peer)
    if (!node) return
    node.stop()
    const rest = (world.nodes.get(address) ?? []).filter((other) => other !== node)
    if (rest.length > 0) world.nodes.set(address, rest)
    else world.nodes.delete(address)
  }

  /**
   * The node a call to `peer` reaches. An address that only ever hosted one node reaches it whatever id the
   * call names (a VNODES=1 process ignores the header); one that hosted several, only the node of that id
   * (an id it does not host is NODE_LEFT over HTTP, which the caller sees as an unreachable peer).
   */
  #hostOf(address: string, peer: Peer): ChordNode | undefined {
    const hosted = this.#world.nodes.get(address)
    if (!hosted) return undefined
    if (!this.#world.shared.has(address)) return hosted[0]
    return hosted.find((node) => node.self.id === peer.id)
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
    const node = this.#hostOf(address, peer)
    if (!node || world.crashed.has(address) || node.status === 'stopped') {
      throw new DhtError('PEER_UNREACHABLE', `${address} does not answer`)
    }
    return node
  }
}
