// The ring's invariants as a pure function of what each node reports about itself. Simulations build
// the views from ChordNode objects (viewOf); a checker of a live ring can build them from each node's
// HTTP answers. Nothing here does I/O, and nothing here trusts a node's own idea of where it stands:
// the truth is the sorted list of ids.
//
// The lab's ownership: a node owns [own id, successor id); a key lives on its owner and the owner's r-1
// predecessors, so node n holds [n, s_r) where s_r is its r-th successor (everything when N <= r).
import type { ChordNode } from '../node/protocol/chord-node.js'
import type { Peer } from '../node/protocol/types.js'
import { ownerIndex, successorIndex, type Id, type IdSpace } from '../node/ring.js'

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
  const out: Violation[] = []
  const short = (id: Id): string => space.toHex(id).slice(0, 8)
  const name = (peer: Peer | null | undefined): string => (peer ? short(peer.id) : 'none')
  const names = (peers: Peer[]): string => `[${peers.map(name).join(', ')}]`
  const r = options.replicas
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`replicas must be a positive integer, got ${r}`)

  // The truth: the nodes in id order. Two views with one id are one node reported twice (or an id clash).
  const byId = new Map<Id, NodeView>()
  for (const view of views) {
    if (byId.has(view.self.id)) out.push({ kind: 'ring', node: view.self, message: `two nodes report id ${short(view.self.id)}` })
    else byId.set(view.self.id, view)
  }
  const ring = [...byId.values()].sort((a, b) => (a.self.id < b.self.id ? -1 : a.self.id > b.self.id ? 1 : 0))
  const N = ring.length
  if (N === 0) {
    out.push({ kind: 'ring', message: 'no nodes' })
    for (const key of options.storedKeys ?? []) out.push({ kind: 'owner', message: `key ${short(key)} is lost: there is no node to hold it` })
    return out
  }
  const index = new Map<Id, number>(ring.map((v, i) => [v.self.id, i]))
  const at = (i: number): NodeView => ring[((i % N) + N) % N]!

  // ---- exactly one ring: every node has one successor pointer, so the pointers form one cycle
  // through all N nodes exactly when a walk of N steps from any node meets N distinct nodes and
  // comes back to where it started.
  const successorOf = (view: NodeView): Peer => view.successors[0] ?? view.self
  for (const view of ring) {
    const s = successorOf(view)
    if (!index.has(s.id)) out.push({ kind: 'ring', node: view.self, message: `${name(view.self)}'s successor ${name(s)} is not a live node` })
  }
  {
    const start = ring[0]!
    const seen = new Set<Id>([start.self.id])
    let current = start
    let problem: string | undefined
    for (let step = 1; step <= N; step++) {
      const next = byId.get(successorOf(current).id)
      if (!next) {
        problem = `the walk along successors from ${name(start.self)} leaves the ring at ${name(current.self)} after ${step - 1} steps`
        break
      }
      if (next === start) {
        if (step < N) problem = `following successors from ${name(start.self)} comes back after ${step} of ${N} nodes`
        break
      }
      if (seen.has(next.self.id)) {
        problem = `following successors from ${name(start.self)} runs into a loop at ${name(next.self)} that does not contain it`
        break
      }
      seen.add(next.self.id)
      current = next
    }
    if (problem) {
      const missed = ring.filter((v) => !seen.has(v.self.id)).map((v) => v.self)
      const rest = missed.length > 0 ? `; not reached: ${names(missed.slice(0, 10))}${missed.length > 10 ? ` and ${missed.length - 10} more` : ''}` : ''
      out.push({ kind: 'ring', message: problem + rest })
    }
  }

  // ---- pointers against the sorted order
  const listLength = Math.min(r, N - 1)
  ring.forEach((view, i) => {
    const me = view.self
    const expectedSuccessor = at(i + 1).self
    const s = successorOf(view)
    if (s.id !== expectedSuccessor.id) {
      out.push({ kind: 'order', node: me, message: `successor of ${name(me)} is ${name(s)}, expected ${name(expectedSuccessor)}` })
    }
    // predecessor(successor(n)) == n, read at the node that really follows n.
    const follower = at(i + 1)
    const expectedPredecessor = N === 1 ? null : me
    const p = follower.predecessor
    const pOk = expectedPredecessor === null ? p === null || p.id === follower.self.id : p !== null && p.id === expectedPredecessor.id
    if (!pOk) {
      out.push({
        kind: 'predecessor',
        node: follower.self,
        message: `predecessor of ${name(follower.self)} is ${name(p)}, expected ${expectedPredecessor ? name(expectedPredecessor) : 'none'}`,
      })
    }
    const expectedList = Array.from({ length: listLength }, (_, k) => at(i + 1 + k).self)
    // A node alone may list itself as its successor.
    const list = N === 1 ? view.successors.filter((p) => p.id !== me.id) : view.successors
    if (list.length !== expectedList.length || list.some((p, k) => p.id !== expectedList[k]!.id)) {
      out.push({
        kind: 'successor-list',
        node: me,
        message: `successor list of ${name(me)} is ${names(view.successors)}, expected ${names(expectedList)}`,
      })
    }
  })

  // ---- content: each key on its owner and the owner's r-1 predecessors, and nowhere else
  const holdersOf = new Map<Id, Set<number>>()
  ring.forEach((view, i) => {
    for (const key of view.keys) {
      let set = holdersOf.get(key)
      if (!set) holdersOf.set(key, (set = new Set()))
      set.add(i)
    }
  })
  const keys = new Set<Id>(holdersOf.keys())
  for (const key of options.storedKeys ?? []) keys.add(key)
  const copies = Math.min(r, N)
  const ids = ring.map((v) => v.self.id)
  for (const key of [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (key < 0n || key >= space.size) {
      out.push({ kind: 'stray', key, message: `key ${key.toString(16)} is outside the ${space.bits}-bit id space` })
      continue
    }
    const ownerAt = ownerIndex(ids, key)
    const owner = ring[ownerAt]!.self
    const expected = Array.from({ length: copies }, (_, k) => ((ownerAt - k) % N + N) % N)
    const held = holdersOf.get(key) ?? new Set<number>()
    if (held.size === 0) {
      out.push({ kind: 'owner', node: owner, key, message: `key ${short(key)} is lost: no node holds it (owner ${name(owner)})` })
      continue
    }
    const missing = expected.filter((k) => !held.has(k)).map((k) => ring[k]!.self)
    if (!held.has(ownerAt)) {
      const holders = [...held].map((k) => ring[k]!.self)
      out.push({ kind: 'owner', node: owner, key, message: `key ${short(key)} is not on its owner ${name(owner)}; held by ${names(holders)}` })
    } else if (missing.length > 0) {
      out.push({
        kind: 'copies',
        node: owner,
        key,
        message: `key ${short(key)} (owner ${name(owner)}) has ${copies - missing.length} of ${copies} copies; missing on ${names(missing)}`,
      })
    }
    const expectedSet = new Set(expected)
    for (const k of held) {
      if (expectedSet.has(k)) continue
      const node = ring[k]!.self
      out.push({
        kind: 'stray',
        node,
        key,
        message: `key ${short(key)} is on ${name(node)}, which should not hold it (owner ${name(owner)}, holders ${names(expected.map((e) => ring[e]!.self))})`,
      })
    }
  }
  return out
}

/** Violations one per line, for assertion messages. At most `limit` lines, then a count of the rest. */
export function formatViolations(violations: Violation[], limit = 20): string {
  const lines = violations.slice(0, limit).map((v) => `  ${v.kind}: ${v.message}`)
  if (violations.length > limit) lines.push(`  ... and ${violations.length - limit} more`)
  return lines.join('\n')
}

// ---- classification: broken, or settling (a ring that clears it by itself within a few periods)
//
// Right after joins, leaves and crashes a healthy ring passes through states checkRing reports: copies
// not yet cleaned up or not yet made, pointers and successor lists catching up, fingers not yet
// refreshed, a joiner's keys still on the nodes that held them before. Those are settling. Broken is
// what maintenance does not repair: the successor pointers do not form one cycle in id order, or a key
// is missing from its owner with no node about to hand it over (replica sync then drops the copies too).

export type Severity = 'broken' | 'settling'
/** checkRing's kinds, and the findings of other checks: fingers, silent nodes, versions (src/tools/ring-versions.ts). */
export type FindingKind = ViolationKind | 'rings' | 'fingers' | 'unreachable' | 'conflict' | 'tombstone'

export interface Finding {
  kind: FindingKind
  severity: Severity
  node?: Peer
  key?: Id
  message: string
}

/**
 * The shape of the successor pointers, following each node's first successor that is a node of the ring
 * (stabilize skips the others):
 * - whole: one cycle through every node, in id order;
 * - closing: one cycle in id order that some nodes only lead into (joined, not yet stabilized into place);
 * - broken: no cycle, several, one that winds round the circle more than once, or two nodes with one id.
 */
export type RingShape = 'whole' | 'closing' | 'broken'

export function ringShape(views: NodeView[]): RingShape {
  const ids = new Set<Id>()
  for (const view of views) {
    if (ids.has(view.self.id)) return 'broken'
    ids.add(view.self.id)
  }
  const cycles = cyclesOf(views)
  if (cycles.length !== 1) return 'broken'
  const cycle = cycles[0]!
  // In id order, going round once the ids fall exactly once: where the cycle wraps past zero.
  const falls = cycle.filter((id, i) => cycle[(i + 1) % cycle.length]! <= id).length
  if (falls !== 1) return 'broken'
  return cycle.length === ids.size ? 'whole' : 'closing'
}

/**
 * The cycles the successor pointers form, following each node's first successor that is a node of the
 * ring (stabilize skips the others), each from its smallest id: one for a ring, two after a partition.
 */
export function cyclesOf(views: NodeView[]): Id[][] {
  const byId = new Map<Id, NodeView>(views.map((v) => [v.self.id, v]))
  const next = new Map<Id, Id>()
  for (const view of byId.values()) {
    const successor = view.successors.length === 0 ? view.self : view.successors.find((p) => byId.has(p.id))
    if (successor) next.set(view.self.id, successor.id)
  }
  // Each node has at most one pointer, so a walk from any node ends on a cycle, or at a node with none.
  const done = new Set<Id>()
  const cycles: Id[][] = []
  for (const start of byId.keys()) {
    const walk: Id[] = []
    const onWalk = new Set<Id>()
    let at: Id | undefined = start
    while (at !== undefined && !done.has(at) && !onWalk.has(at)) {
      walk.push(at)
      onWalk.add(at)
      at = next.get(at)
    }
    if (at !== undefined && onWalk.has(at)) {
      const cycle = walk.slice(walk.indexOf(at))
      const smallest = cycle.indexOf(cycle.reduce((a, b) => (b < a ? b : a)))
      cycles.push([...cycle.slice(smallest), ...cycle.slice(0, smallest)])
    }
    for (const id of walk) done.add(id)
  }
  return cycles.sort((a, b) => a.length - b.length)
}

/**
 * Whether a violation is one the ring repairs by itself, given the shape of its pointers and the keys
 * held where they should not be (a node holding a key outside its share hands it to the key's owner).
 */
export function severityOf(violation: Violation, shape: RingShape, strayKeys: ReadonlySet<Id> = new Set()): Severity {
  switch (violation.kind) {
    case 'ring':
    case 'order':
      return shape === 'broken' ? 'broken' : 'settling'
    case 'owner':
      return violation.key !== undefined && strayKeys.has(violation.key) ? 'settling' : 'broken'
    case 'stray':
      // A key outside the id space is no copy waiting to be cleaned up.
      return violation.node === undefined ? 'broken' : 'settling'
    case 'predecessor':
    case 'successor-list':
    case 'copies':
      return 'settling'
  }
}

/** checkRing's violations, each marked broken or settling. */
export function classifyViolations(violations: Violation[], shape: RingShape): Finding[] {
  const strayKeys = new Set(violations.flatMap((v) => (v.kind === 'stray' && v.node && v.key !== undefined ? [v.key] : [])))
  return violations.map((v) => ({ ...v, severity: severityOf(v, shape, strayKeys) }))
}

/**
 * Fingers that do not point at successor(n + 2^i) among the nodes: fix_fingers has not run since the
 * ring changed. Always settling (stale fingers cost hops, never correctness); one finding per node.
 */
export function staleFingers(views: NodeView[], space: IdSpace): Finding[] {
  const ids = [...new Set(views.map((v) => v.self.id))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (ids.length < 2) return []
  const short = (id: Id): string => space.toHex(id).slice(0, 8)
  const out: Finding[] = []
  for (const view of views) {
    if (!view.fingers) continue
    if (view.fingers.length === 0) {
      out.push({ kind: 'fingers', severity: 'settling', node: view.self, message: `fingers of ${short(view.self.id)} are not built yet` })
      continue
    }
    const wrong = view.fingers.filter((row) => row.node.id !== ids[successorIndex(ids, row.start)])
    if (wrong.length === 0) continue
    const first = wrong[0]!
    const expected = ids[successorIndex(ids, first.start)]!
    out.push({
      kind: 'fingers',
      severity: 'settling',
      node: view.self,
      message: `${wrong.length} of ${view.fingers.length} fingers of ${short(view.self.id)} not yet refreshed (finger ${first.index} is ${short(first.node.id)}, expected ${short(expected)})`,
    })
  }
  return out
}
