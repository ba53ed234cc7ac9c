// A client's copy of the ring's membership: the nodes it knows, in id order, and which of them it
// believes owns a key (the last node at or before the key, wrapping round, as the lab defines ownership).
// A belief only: the node asked decides by its own successor pointer, and says MOVED when it is wrong.
import { ownerIndex, type Id } from '../node/ring.js'
import type { PeerJson } from '../node/wire.js'

interface Known {
  id: Id
  peer: PeerJson
}

export class RingMembers {
  /** In id order, one per id. */
  #nodes: Known[] = []
  /** Their ids, for the owner search; made again after a change. */
  #ids: Id[] | undefined

  get size(): number {
    return this.#nodes.length
  }

  list(): PeerJson[] {
    return this.#nodes.map((n) => n.peer)
  }

  has(peer: Pick<PeerJson, 'host' | 'port'>): boolean {
    return this.#nodes.some((n) => n.peer.host === peer.host && n.peer.port === peer.port)
  }

  /** Adds a node, or replaces the one with its id; answers whether the copy changed. */
  add(peer: PeerJson): boolean {
    const id = BigInt(`0x${peer.id}`)
    const at = this.#nodes.findIndex((n) => n.id >= id)
    const same = at >= 0 && this.#nodes[at]!.id === id
    if (same && this.#nodes[at]!.peer.host === peer.host && this.#nodes[at]!.peer.port === peer.port) return false
    const known = { id, peer: { id: peer.id, host: peer.host, port: peer.port } }
    if (same) this.#nodes[at] = known
    else if (at < 0) this.#nodes.push(known)
    else this.#nodes.splice(at, 0, known)
    this.#ids = undefined
    return true
  }

  /** Forgets a node (it did not answer); answers whether it was known. */
  remove(peer: Pick<PeerJson, 'host' | 'port'>): boolean {
    const before = this.#nodes.length
    this.#nodes = this.#nodes.filter((n) => n.peer.host !== peer.host || n.peer.port !== peer.port)
    this.#ids = undefined
    return this.#nodes.length !== before
  }

  /** The node this copy says owns `key`; none while the copy is empty. */
  ownerOf(key: Id): PeerJson | undefined {
    if (this.#nodes.length === 0) return undefined
    this.#ids ??= this.#nodes.map((n) => n.id)
    return this.#nodes[ownerIndex(this.#ids, key)]!.peer
  }

  /** A node picked at random, to route through when the copy cannot say. */
  any(random: () => number = Math.random): PeerJson | undefined {
    return this.#nodes[Math.floor(random() * this.#nodes.length)]?.peer
  }
}
