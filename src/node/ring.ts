// Pure identifier-space arithmetic: ids, clockwise distance, interval membership, finger starts.
// Nothing here knows about peers, HTTP or time; everything is a function of its arguments.
import { createHash } from 'node:crypto'

export type Id = bigint

export const SHA1_BITS = 160

/** An identifier space of 2^bits ids. SHA-1 ids are reduced mod 2^bits so small teaching rings (M=8) work. */
export class IdSpace {
  readonly bits: number
  readonly size: bigint
  /** Hex digits needed to print any id of this space; ids are always printed at this width. */
  readonly hexLength: number

  constructor(bits: number = SHA1_BITS) {
    if (!Number.isInteger(bits) || bits < 1 || bits > SHA1_BITS) {
      throw new RangeError(`bits must be an integer from 1 to ${SHA1_BITS}, got ${bits}`)
    }
    this.bits = bits
    this.size = 1n << BigInt(bits)
    this.hexLength = Math.ceil(bits / 4)
  }

  /** SHA-1 of the text, reduced to this space. */
  hash(text: string): Id {
    const digest = createHash('sha1').update(text, 'utf8').digest('hex')
    return BigInt('0x' + digest) % this.size
  }

  /**
   * A node's id is the hash of the address peers reach it at. A process hosting virtual nodes (VNODES=v)
   * gives its node `index` the hash of address and index; its first keeps the handout's id.
   */
  nodeId(host: string, port: number, index = 0): Id {
    return this.hash(index === 0 ? `${host}:${port}` : `${host}:${port}:${index}`)
  }

  toHex(id: Id): string {
    return id.toString(16).padStart(this.hexLength, '0')
  }

  /** Parses a lowercase or uppercase hex id; undefined when it is not hex or does not fit the space. */
  parseHex(text: string): Id | undefined {
    if (!/^[0-9a-fA-F]+$/.test(text) || text.length > this.hexLength) return undefined
    const id = BigInt('0x' + text)
    return id < this.size ? id : undefined
  }

  /** Clockwise distance from `from` to `to`: how far you walk forward round the ring. */
  distance(from: Id, to: Id): bigint {
    const d = (to - from) % this.size
    return d < 0n ? d + this.size : d
  }

  /** Start of finger i of node n: n + 2^i (mod 2^bits), for i = 0 .. bits-1. */
  fingerStart(n: Id, i: number): Id {
    return (n + (1n << BigInt(i))) % this.size
  }
}

// Interval membership on the ring. When a == b the interval wraps the whole ring: (a, a) is every id
// but a, while (a, a] and [a, a) are every id. That is what makes a one-node ring own everything.

/** x ∈ (a, b) */
export function between(x: Id, a: Id, b: Id): boolean {
  if (a < b) return a < x && x < b
  if (a > b) return x > a || x < b
  return x !== a
}

/** x ∈ (a, b] */
export function betweenRightIncl(x: Id, a: Id, b: Id): boolean {
  return x === b || between(x, a, b)
}

/** x ∈ [a, b) */
export function betweenLeftIncl(x: Id, a: Id, b: Id): boolean {
  return x === a || between(x, a, b)
}

// Positions on a ring given as its ids in ascending order: the truth simulations and checkers compare against.

/** Index of the first id at or after `id`, wrapping to the first: the node that succeeds `id`. */
export function successorIndex(sortedIds: readonly Id[], id: Id): number {
  return insertionIndex(sortedIds, id) % sortedIds.length
}

/** Index of the first id at or after `id`, or the length when there is none: where `id` goes to keep the ids sorted. */
export function insertionIndex(sortedIds: readonly Id[], id: Id): number {
  let lo = 0
  let hi = sortedIds.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sortedIds[mid]! < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the last id at or before `key`, wrapping to the last: the lab's owner of the key. */
export function ownerIndex(sortedIds: readonly Id[], key: Id): number {
  let lo = 0
  let hi = sortedIds.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sortedIds[mid]! <= key) lo = mid + 1
    else hi = mid
  }
  return (lo - 1 + sortedIds.length) % sortedIds.length
}
