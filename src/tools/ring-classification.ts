// Whether what the ring's checks find is broken or settling: a ring right after joins, leaves and
// crashes passes through states checkRing (ring-invariants.ts) reports and clears them by itself within
// a few periods; broken is what maintenance does not repair. Also the shape of the successor pointers
// (one cycle, closing, broken) and the fingers not yet refreshed. Pure: views in, findings out.
import type { Peer } from '../node/protocol/types.js'
import { successorIndex, type Id, type IdSpace } from '../node/ring.js'
import type { NodeView, Violation, ViolationKind } from './ring-invariants.js'

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
  const cycles = pointerCycles(byId.keys(), (id) => next.get(id))
  return cycles.sort((a, b) => a.length - b.length)
}

/**
 * The cycles that one pointer per node makes (`next` answers a node's pointer, or none), each starting
 * at its smallest id. Each node has at most one pointer, so a walk from any node ends on a cycle, or at
 * a node with none; every node is walked once.
 */
export function pointerCycles(starts: Iterable<Id>, next: (id: Id) => Id | undefined): Id[][] {
  const done = new Set<Id>()
  const cycles: Id[][] = []
  for (const start of starts) {
    const walk: Id[] = []
    const onWalk = new Set<Id>()
    let at: Id | undefined = start
    while (at !== undefined && !done.has(at) && !onWalk.has(at)) {
      walk.push(at)
      onWalk.add(at)
      at = next(at)
    }
    if (at !== undefined && onWalk.has(at)) {
      const cycle = walk.slice(walk.indexOf(at))
      const smallest = cycle.indexOf(cycle.reduce((a, b) => (b < a ? b : a)))
      cycles.push([...cycle.slice(smallest), ...cycle.slice(0, smallest)])
    }
    for (const id of walk) done.add(id)
  }
  return cycles
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
