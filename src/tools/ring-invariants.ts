// The ring's invariants as a pure function of what each node reports about itself (whether a finding
// is broken or settling: ring-classification.ts). Simulations build
// the views from ChordNode objects (viewOf); a checker of a live ring can build them from each node's
// HTTP answers. Nothing here does I/O, and nothing here trusts a node's own idea of where it stands:
// the truth is the sorted list of ids.
//
// The lab's ownership: a node owns [own id, successor id); a key lives on its owner and the owner's r-1
// predecessors, so node n holds [n, s_r) where s_r is its r-th successor (everything when N <= r). With
// virtual nodes, on the first predecessor of each further process instead (src/node/protocol/placement.ts).
import type { ChordNode } from '../node/protocol/chord-node.js'
import { holderPositions, processOf, successorList } from '../node/protocol/placement.js'
import type { Peer } from '../node/protocol/types.js'
import { ownerIndex, type Id, type IdSpace } from '../node/ring.js'

/** What one node says about itself. */
export interface NodeView {
  self: Peer
  predecessor: Peer | null
  successors: Peer[]
  /** One per stored entry: a key with several values appears several times. */
  keys: Id[]
  status?: string
  /** The finger table as the node lists it (one row per distinct finger), when known: see staleFingers. */
  fingers?: Array<{ index: number; start: Id; node: Peer }>
}

export type ViolationKind = 'ring' | 'order' | 'predecessor' | 'successor-list' | 'owner' | 'copies' | 'stray'

export interface Violation {
  kind: ViolationKind
  node?: Peer
  /** The key an owner, copies or stray violation is about. */
  key?: Id
  message: string
}

export interface CheckOptions {
  /** Copies of every key (owner + r-1 predecessors), also the length of a full successor list. */
  replicas: number
  /** Every key that was stored and not deleted: one missing from every node is data loss. */
  storedKeys?: Id[]
}

/** The view of an in-process node, as a live checker would read it from the node's HTTP answers. */
export function viewOf(node: ChordNode): NodeView {
  return {
    self: node.self,
    predecessor: node.predecessor,
    successors: node.successors,
    keys: node.store.liveRecords().map((e) => e.key),
    status: node.status,
  }
}

/** Every violation of the ring's invariants, [] for a healthy ring. */
export function checkRing(views: NodeView[], space: IdSpace, options: CheckOptions): Violation[] {
  const r = options.replicas
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`replicas must be a positive integer, got ${r}`)
  return new RingCheck(views, space, options).run()
}

const byIdOrder = (a: Id, b: Id): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * One check of a ring against the truth, the nodes in id order: exactly one ring of successor
 * pointers, every pointer where the order puts it, and every key on its owner and the owner's r-1
 * predecessors and nowhere else. Each part adds what it finds to the violations.
 */
class RingCheck {
  readonly #violations: Violation[] = []
  readonly #space: IdSpace
  readonly #options: CheckOptions
  /** The nodes in id order; two views with one id are one node reported twice (or an id clash). */
  readonly #ring: NodeView[]
  /** The ring's nodes in id order, as placement.ts reads a ring. */
  readonly #peers: Peer[]
  /** The most virtual nodes one process has here: how far a successor list may reach to span r processes. */
  readonly #perProcess: number
  readonly #byId = new Map<Id, NodeView>()

  constructor(views: NodeView[], space: IdSpace, options: CheckOptions) {
    this.#space = space
    this.#options = options
    for (const view of views) {
      if (this.#byId.has(view.self.id)) this.#add('ring', `two nodes report id ${this.#short(view.self.id)}`, { node: view.self })
      else this.#byId.set(view.self.id, view)
    }
    this.#ring = [...this.#byId.values()].sort((a, b) => byIdOrder(a.self.id, b.self.id))
    this.#peers = this.#ring.map((view) => view.self)
    const perAddress = new Map<string, number>()
    let most = 1
    for (const view of this.#ring) {
      const count = (perAddress.get(processOf(view.self)) ?? 0) + 1
      perAddress.set(processOf(view.self), count)
      if (count > most) most = count
    }
    this.#perProcess = most
  }

  run(): Violation[] {
    if (this.#ring.length === 0) {
      this.#add('ring', 'no nodes')
      for (const key of this.#options.storedKeys ?? []) this.#add('owner', `key ${this.#short(key)} is lost: there is no node to hold it`)
      return this.#violations
    }
    this.#successorsAreNodes()
    this.#oneCycle()
    this.#ring.forEach((view, i) => this.#pointersOf(view, i))
    this.#contents()
    return this.#violations
  }

  #add(kind: ViolationKind, message: string, about: { node?: Peer; key?: Id } = {}): void {
    this.#violations.push({ kind, ...about, message })
  }

  #short(id: Id): string {
    return this.#space.toHex(id).slice(0, 8)
  }

  #name(peer: Peer | null | undefined): string {
    return peer ? this.#short(peer.id) : 'none'
  }

  #names(peers: Peer[]): string {
    return `[${peers.map((p) => this.#name(p)).join(', ')}]`
  }

  /** The node i places after the smallest id, round the ring. */
  #at(i: number): NodeView {
    const n = this.#ring.length
    return this.#ring[((i % n) + n) % n]!
  }

  #successorOf(view: NodeView): Peer {
    return view.successors[0] ?? view.self
  }

  /** Every node's successor is a node of the ring. */
  #successorsAreNodes(): void {
    for (const view of this.#ring) {
      const s = this.#successorOf(view)
      if (!this.#byId.has(s.id)) this.#add('ring', `${this.#name(view.self)}'s successor ${this.#name(s)} is not a live node`, { node: view.self })
    }
  }

  /**
   * Exactly one ring: every node has one successor pointer, so the pointers form one cycle through all
   * N nodes exactly when a walk of N steps from any node meets N distinct nodes and comes back to where it started.
   */
  #oneCycle(): void {
    const n = this.#ring.length
    const start = this.#ring[0]!
    const seen = new Set<Id>([start.self.id])
    let current = start
    let problem: string | undefined
    for (let step = 1; step <= n; step++) {
      const next = this.#byId.get(this.#successorOf(current).id)
      if (!next) {
        problem = `the walk along successors from ${this.#name(start.self)} leaves the ring at ${this.#name(current.self)} after ${step - 1} steps`
        break
      }
      if (next === start) {
        if (step < n) problem = `following successors from ${this.#name(start.self)} comes back after ${step} of ${n} nodes`
        break
      }
      if (seen.has(next.self.id)) {
        problem = `following successors from ${this.#name(start.self)} runs into a loop at ${this.#name(next.self)} that does not contain it`
        break
      }
      seen.add(next.self.id)
      current = next
    }
    if (!problem) return
    const missed = this.#ring.filter((v) => !seen.has(v.self.id)).map((v) => v.self)
    const rest = missed.length > 0 ? `; not reached: ${this.#names(missed.slice(0, 10))}${missed.length > 10 ? ` and ${missed.length - 10} more` : ''}` : ''
    this.#add('ring', problem + rest)
  }

  /** Node i's successor, its follower's predecessor and its successor list, against the sorted order. */
  #pointersOf(view: NodeView, i: number): void {
    const n = this.#ring.length
    const me = view.self
    const expectedSuccessor = this.#at(i + 1).self
    const s = this.#successorOf(view)
    if (s.id !== expectedSuccessor.id) this.#add('order', `successor of ${this.#name(me)} is ${this.#name(s)}, expected ${this.#name(expectedSuccessor)}`, { node: me })
    // predecessor(successor(n)) == n, read at the node that really follows n.
    const follower = this.#at(i + 1)
    const expectedPredecessor = n === 1 ? null : me
    const p = follower.predecessor
    const pOk = expectedPredecessor === null ? p === null || p.id === follower.self.id : p !== null && p.id === expectedPredecessor.id
    if (!pOk) {
      this.#add('predecessor', `predecessor of ${this.#name(follower.self)} is ${this.#name(p)}, expected ${expectedPredecessor ? this.#name(expectedPredecessor) : 'none'}`, { node: follower.self })
    }
    // The list spans r processes (r nodes, unless virtual nodes of one process sit side by side).
    const ahead = Array.from({ length: Math.min(n - 1, this.#options.replicas * this.#perProcess) }, (_, k) => this.#at(i + 1 + k).self)
    const expectedList = n === 1 ? [] : successorList(me, ahead[0]!, ahead.slice(1), this.#options.replicas)
    // A node alone may list itself as its successor.
    const list = n === 1 ? view.successors.filter((q) => q.id !== me.id) : view.successors
    if (list.length !== expectedList.length || list.some((q, k) => q.id !== expectedList[k]!.id)) {
      this.#add('successor-list', `successor list of ${this.#name(me)} is ${this.#names(view.successors)}, expected ${this.#names(expectedList)}`, { node: me })
    }
  }

  /** Each key held or stored: on its owner and the owner's r-1 predecessors, and nowhere else. */
  #contents(): void {
    const holdersOf = new Map<Id, Set<number>>()
    this.#ring.forEach((view, i) => {
      for (const key of view.keys) {
        let set = holdersOf.get(key)
        if (!set) holdersOf.set(key, (set = new Set()))
        set.add(i)
      }
    })
    const keys = new Set<Id>(holdersOf.keys())
    for (const key of this.#options.storedKeys ?? []) keys.add(key)
    const ids = this.#ring.map((v) => v.self.id)
    for (const key of [...keys].sort(byIdOrder)) this.#placementOf(key, ids, holdersOf.get(key) ?? new Set<number>())
  }

  /** One key: in the id space, not lost, on its owner, with all its copies, and on no other node. */
  #placementOf(key: Id, ids: Id[], held: ReadonlySet<number>): void {
    const space = this.#space
    if (key < 0n || key >= space.size) {
      this.#add('stray', `key ${key.toString(16)} is outside the ${space.bits}-bit id space`, { key })
      return
    }
    const ownerAt = ownerIndex(ids, key)
    const owner = this.#ring[ownerAt]!.self
    const expected = holderPositions(this.#peers, ownerAt, this.#options.replicas)
    const copies = expected.length
    const nodesAt = (indexes: Iterable<number>) => [...indexes].map((k) => this.#ring[k]!.self)
    if (held.size === 0) {
      this.#add('owner', `key ${this.#short(key)} is lost: no node holds it (owner ${this.#name(owner)})`, { node: owner, key })
      return
    }
    const missing = nodesAt(expected.filter((k) => !held.has(k)))
    if (!held.has(ownerAt)) {
      this.#add('owner', `key ${this.#short(key)} is not on its owner ${this.#name(owner)}; held by ${this.#names(nodesAt(held))}`, { node: owner, key })
    } else if (missing.length > 0) {
      this.#add('copies', `key ${this.#short(key)} (owner ${this.#name(owner)}) has ${copies - missing.length} of ${copies} copies; missing on ${this.#names(missing)}`, { node: owner, key })
    }
    const expectedSet = new Set(expected)
    for (const k of held) {
      if (expectedSet.has(k)) continue
      const node = this.#ring[k]!.self
      this.#add('stray', `key ${this.#short(key)} is on ${this.#name(node)}, which should not hold it (owner ${this.#name(owner)}, holders ${this.#names(nodesAt(expected))})`, { node, key })
    }
  }
}

/** Violations one per line, for assertion messages. At most `limit` lines, then a count of the rest. */
export function formatViolations(violations: Violation[], limit = 20): string {
  const lines = violations.slice(0, limit).map((v) => `  ${v.kind}: ${v.message}`)
  if (violations.length > limit) lines.push(`  ... and ${violations.length - limit} more`)
  return lines.join('\n')
}
