// A ring's ids in ascending order, searched fast: each id's top 52 bits as a double in one typed array
// (millions of bigints scattered over the heap make every comparison of a plain binary search a cache
// miss), with an exact comparison of the bigints only where the top bits tie. Answers what
// successorIndex and ownerIndex in src/node/ring.ts answer.
import type { Id } from '../../node/ring.js'

export class SortedIds {
  readonly ids: readonly Id[]
  readonly #positions: Float64Array
  readonly #shift: bigint

  /** `ids` must be in ascending order. */
  constructor(bits: number, ids: readonly Id[]) {
    this.ids = ids
    this.#shift = BigInt(Math.max(0, bits - 52))
    this.#positions = Float64Array.from(ids, (id) => this.position(id))
  }

  get length(): number {
    return this.ids.length
  }

  /** An id's top 52 bits: positions order as ids do, ties aside. */
  position(id: Id): number {
    return Number(id >> this.#shift)
  }

  /** Index of the first id at or after `id`, wrapping to the first: the node that succeeds `id`. */
  successorIndex(id: Id): number {
    const positions = this.#positions
    const target = this.position(id)
    let lo = 0
    let hi = positions.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (positions[mid]! < target) lo = mid + 1
      else hi = mid
    }
    // Ids before lo are below id's top bits, so below id, and ids above its top bits are above it.
    while (lo < positions.length && positions[lo] === target && this.ids[lo]! < id) lo++
    return lo % positions.length
  }

  /** Index of the last id at or before `key`, wrapping to the last: the lab's owner of the key. */
  ownerIndex(key: Id): number {
    const positions = this.#positions
    const target = this.position(key)
    let lo = 0
    let hi = positions.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (positions[mid]! <= target) lo = mid + 1
      else hi = mid
    }
    // Ids from lo on are above the key's top bits; those before it that tie need the exact test.
    while (lo > 0 && positions[lo - 1] === target && this.ids[lo - 1]! > key) lo--
    return (lo - 1 + positions.length) % positions.length
  }
}
