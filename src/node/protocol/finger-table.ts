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
    if (index < 0 || index >= this.size) return
    const run = this.#runAt(index)
    if (this.#nodeOf(run) === node) return
    const runs = this.#runs
    const first = runs[2 * run] as number
    const end = this.#endOf(run)
    // Split the run around `index`: [first, index) keeps its node, [index] takes `node`, (index, end) keeps it again.
    const pieces: Array<number | Peer | undefined> = []
    if (first < index) pieces.push(first, runs[2 * run + 1])
    pieces.push(index, node)
    if (index + 1 < end) pieces.push(index + 1, runs[2 * run + 1])
    runs.splice(2 * run, 2, ...pieces)
    this.#merge()
  }

  /** Forgets a node that failed, so routing stops choosing it until fix_fingers finds a replacement. */
  forget(id: Id): void {
    this.#rewrite((node) => (node?.id === id ? undefined : node))
  }

  /** Points the fingers that named `id` (a node that failed or left) at `successor`, the next node after it. */
  replace(id: Id, successor: Peer): number {
    let replaced = 0
    for (let run = 0; run < this.#runCount; run++) if (this.#nodeOf(run)?.id === id) replaced += this.#endOf(run) - (this.#runs[2 * run] as number)
    this.#rewrite((node) => (node?.id === id ? (successor.id === this.#owner.id ? undefined : successor) : node))
    return replaced
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

  /** Every run's node through `change`, then neighbours naming the same node (the same object) become one run. */
  #rewrite(change: (node: Peer | undefined) => Peer | undefined): void {
    for (let run = 0; run < this.#runCount; run++) this.#runs[2 * run + 1] = change(this.#nodeOf(run))
    this.#merge()
  }

  #merge(): void {
    const runs = this.#runs
    let kept = 2
    for (let read = 2; read < runs.length; read += 2) {
      if (runs[read + 1] === runs[kept - 1]) continue
      runs[kept] = runs[read]
      runs[kept + 1] = runs[read + 1]
      kept += 2
    }
    runs.length = kept
  }
}
