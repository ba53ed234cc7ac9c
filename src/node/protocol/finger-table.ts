// The finger table as plain data: finger i is the first node at or after n + 2^i. It never does I/O;
// the node's fix_fingers decides what goes in it.
import { between, type Id, type IdSpace } from '../ring.js'
import type { Peer } from './types.js'

export class FingerTable {
  readonly #owner: Peer
  readonly #space: IdSpace
  readonly #fingers: Array<Peer | undefined>

  constructor(owner: Peer, space: IdSpace) {
    this.#owner = owner
    this.#space = space
    this.#fingers = new Array<Peer | undefined>(space.bits).fill(undefined)
  }

  get size(): number {
    return this.#fingers.length
  }

  start(index: number): Id {
    return this.#space.fingerStart(this.#owner.id, index)
  }

  get(index: number): Peer | undefined {
    return this.#fingers[index]
  }

  set(index: number, node: Peer | undefined): void {
    this.#fingers[index] = node
  }

  /** Forgets a node that failed, so routing stops choosing it until fix_fingers finds a replacement. */
  forget(id: Id): void {
    for (let i = 0; i < this.#fingers.length; i++) if (this.#fingers[i]?.id === id) this.#fingers[i] = undefined
  }

  /** Points the fingers that named `id` (a node that failed or left) at `successor`, the next node after it. */
  replace(id: Id, successor: Peer): number {
    let replaced = 0
    for (let i = 0; i < this.#fingers.length; i++) {
      if (this.#fingers[i]?.id !== id) continue
      this.#fingers[i] = successor.id === this.#owner.id ? undefined : successor
      replaced++
    }
    return replaced
  }

  /** A node that joined: every finger whose start it falls at or after, and before the finger's node, is now it. */
  adopt(joiner: Peer): number {
    let adopted = 0
    for (let i = 0; i < this.#fingers.length; i++) {
      const current = this.#fingers[i]
      if (!current || current.id === joiner.id) continue
      const start = this.start(i)
      if (joiner.id === start || between(joiner.id, start, current.id)) {
        this.#fingers[i] = joiner
        adopted++
      }
    }
    return adopted
  }

  /** Each distinct node once, with the first index that points at it (the table as people read it). */
  distinct(): Array<{ index: number; start: Id; node: Peer }> {
    const rows: Array<{ index: number; start: Id; node: Peer }> = []
    let previous: Id | undefined
    this.#fingers.forEach((node, index) => {
      if (!node || node.id === previous) return
      previous = node.id
      rows.push({ index, start: this.start(index), node })
    })
    return rows
  }

  /** Fingers that lie strictly between the owner and the key, or on the key itself: the candidates to route through. */
  preceding(key: Id): Peer[] {
    const out: Peer[] = []
    let previous: Id | undefined
    for (let i = this.#fingers.length - 1; i >= 0; i--) {
      const node = this.#fingers[i]
      if (!node || node.id === previous) continue
      previous = node.id
      if (node.id === key || between(node.id, this.#owner.id, key)) out.push(node)
    }
    return out
  }
}
