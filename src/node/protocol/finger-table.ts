// The finger table as plain data: finger i is the first node at or after n + 2^i. It never does I/O;
// the node's fix_fingers decides what goes in it.
//
// Stored as runs, not one slot per finger: neighbouring fingers mostly name the same node (a ring of
// N nodes has about log2 N distinct fingers among the id space's 160), so a table is a few dozen
// entries rather than 160, which is what lets one process simulate millions of nodes. A run is
// [first finger index, node]: it covers the fingers up to the next run's first index.
import { between, type Id, type IdSpace } from '../ring.js'
import type { Peer } from './types.js'

export class FingerTable {
  readonly #owner: Peer
  readonly #space: IdSpace
  /** Alternately a run's first finger index and its node (undefined: no finger there); the first run starts at 0. */
  #runs: Array<number | Peer | undefined> = [0, undefined]

  constructor(owner: Peer, space: IdSpace) {
    this.#owner = owner
    this.#space = space
  }

  get size(): number {
    return this.#space.bits
  }

  start(index: number): Id {
    return this.#space.fingerStart(this.#owner.id, index)
  }

  get(index: number): Peer | undefined {
    return this.#nodeOf(this.#runAt(index))
  }

  set(index: number, node: Peer | undefined): void {
    this.setRange(index, index + 1, node)
  }

  /** Fingers first … end-1 all name `node` (a converged table is filled one distinct finger at a time). */
  setRange(first: number, end: number, node: Peer | undefined): void {
    first = Math.max(0, first)
    end = Math.min(this.size, end)
    if (first >= end) return
    const runs = this.#runs
    const from = this.#runAt(first)
    const to = this.#runAt(end - 1)
    if (from === to && this.#nodeOf(from) === node) return
    // The runs from..to give way to [first, end) naming `node`, with what they covered before and after it kept.
    const pieces: Array<number | Peer | undefined> = []
    if ((runs[2 * from] as number) < first) pieces.push(runs[2 * from], runs[2 * from + 1])
    pieces.push(first, node)
    if (end < this.#endOf(to)) pieces.push(end, runs[2 * to + 1])
    this.#runs = merged(runs.slice(0, 2 * from).concat(pieces, runs.slice(2 * (to + 1))))
  }

  /**
   * The whole table at once, as runs in finger order: each row's node from its first finger up to the
   * next row's (the first row starts at finger 0). One array, the exact size: how a simulator loads the
   * tables of a converged ring of millions.
   */
  assign(rows: ReadonlyArray<{ first: number; node: Peer | undefined }>): void {
    const runs: Array<number | Peer | undefined> = new Array<number | Peer | undefined>(2 * rows.length)
    rows.forEach((row, i) => {
      const previous = rows[i - 1]?.first ?? -1
      if (row.first <= previous || row.first >= this.size || (i === 0 && row.first !== 0)) throw new RangeError(`finger rows must start at 0 and rise within 0…${this.size - 1}`)
      runs[2 * i] = row.first
      runs[2 * i + 1] = row.node
    })
    this.#runs = rows.length === 0 ? [0, undefined] : merged(runs)
  }

  /** Forgets a node that failed, so routing stops choosing it until fix_fingers finds a replacement. */
  forget(id: Id): void {
    this.#rewrite((node) => (node?.id === id ? undefined : node))
  }

  /** Points the fingers that named `id` (a node that failed or left) at `successor`, the next node after it. */
  replace(id: Id, successor: Peer): number {
    const spans: Array<[number, number]> = []
    for (let run = 0; run < this.#runCount; run++) if (this.#nodeOf(run)?.id === id) spans.push([this.#runs[2 * run] as number, this.#endOf(run)])
    let replaced = 0
    for (const [first, end] of spans) {
      replaced += end - first
      // Only fingers whose start `successor` lies at or after may name it (news naming the wrong node must
      // not leave a finger before its start); the rest are left empty for fix_fingers.
      let valid = first
      while (valid < end && this.fits(valid, successor)) valid++
      this.setRange(first, valid, successor.id === this.#owner.id ? undefined : successor)
      this.setRange(valid, end, undefined)
    }
    return replaced
  }

  /** Whether `node` may be finger `index`: it lies at or after the finger's start, before the owner. */
  fits(index: number, node: Peer): boolean {
    return node.id !== this.#owner.id && this.#space.distance(this.#owner.id, this.start(index)) <= this.#space.distance(this.#owner.id, node.id)
  }

  /** A node that joined: every finger whose start it falls at or after, and before the finger's node, is now it. */
  adopt(joiner: Peer): number {
    let adopted = 0
    for (let i = 0; i < this.size; i++) {
      const current = this.get(i)
      if (!current || current.id === joiner.id) continue
      const start = this.start(i)
      if (joiner.id === start || between(joiner.id, start, current.id)) {
        this.set(i, joiner)
        adopted++
      }
    }
    return adopted
  }

  /** Each distinct node once, with the first index that points at it (the table as people read it). */
  distinct(): Array<{ index: number; start: Id; node: Peer }> {
    const rows: Array<{ index: number; start: Id; node: Peer }> = []
    let previous: Id | undefined
    for (let run = 0; run < this.#runCount; run++) {
      const node = this.#nodeOf(run)
      if (!node || node.id === previous) continue
      previous = node.id
      const index = this.#runs[2 * run] as number
      rows.push({ index, start: this.start(index), node })
    }
    return rows
  }

  /** Fingers that lie strictly between the owner and the key, or on the key itself: the candidates to route through. */
  preceding(key: Id): Peer[] {
    const out: Peer[] = []
    let previous: Id | undefined
    for (let run = this.#runCount - 1; run >= 0; run--) {
      const node = this.#nodeOf(run)
      if (!node || node.id === previous) continue
      previous = node.id
      if (node.id === key || between(node.id, this.#owner.id, key)) out.push(node)
    }
    return out
  }

  get #runCount(): number {
    return this.#runs.length / 2
  }

  #nodeOf(run: number): Peer | undefined {
    return this.#runs[2 * run + 1] as Peer | undefined
  }

  /** One past the last finger index of a run. */
  #endOf(run: number): number {
    return run + 1 < this.#runCount ? (this.#runs[2 * run + 2] as number) : this.size
  }

  /** The run that holds finger `index`: the last one starting at or before it. */
  #runAt(index: number): number {
    let lo = 0
    let hi = this.#runCount - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.#runs[2 * mid] as number) <= index) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** Every run's node through `change`. */
  #rewrite(change: (node: Peer | undefined) => Peer | undefined): void {
    this.#runs = merged(this.#runs.map((entry, i) => (i % 2 === 1 ? change(entry as Peer | undefined) : entry)))
  }
}

/**
 * Runs where neighbours naming the same node (the same object) are one run. The array is the exact
 * size (slice and concat allocate no spare room, where push would): millions of tables add up.
 */
function merged(runs: Array<number | Peer | undefined>): Array<number | Peer | undefined> {
  let same = false
  for (let i = 3; i < runs.length && !same; i += 2) same = runs[i] === runs[i - 2]
  if (!same) return runs
  const out: Array<number | Peer | undefined> = [runs[0], runs[1]]
  for (let i = 2; i < runs.length; i += 2) if (runs[i + 1] !== out[out.length - 1]) out.push(runs[i], runs[i + 1])
  return out.slice()
}
