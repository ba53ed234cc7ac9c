// Zave's invariants of Chord's ring ("Reasoning about identifier spaces: How to make Chord correct", IEEE
// TSE 2017; "Using lightweight modeling to understand Chord", CCR 2012), over the same node views
// ring-invariants.ts checks. They speak of members only (live nodes that have joined) and of each one's
// best successor, the first entry of its successor list that is a member: ring members are the members
// a walk along best successors comes back to; the others are appendages. Unlike checkRing, which holds a
// ring to its ideal, these must hold in every state, in the middle of joins, leaves and failures.
// Pure: views in, violations out.
import type { Peer } from '../node/protocol/types.js'
import { between, type Id } from '../node/ring.js'
import { pointerCycles } from './ring-classification.js'
import type { NodeView } from './ring-invariants.js'

export type ZaveInvariant = 'AtLeastOneRing' | 'AtMostOneRing' | 'OrderedRing' | 'ConnectedAppendages'

export const ZAVE_INVARIANTS: readonly ZaveInvariant[] = ['AtLeastOneRing', 'AtMostOneRing', 'OrderedRing', 'ConnectedAppendages']

export interface ZaveViolation {
  invariant: ZaveInvariant
  node?: Peer
  message: string
}

/** The shape the best-successor pointers give the members. */
export interface RingStructure {
  /** Members by id. */
  members: Map<Id, NodeView>
  /** Each member's best successor; none when no entry of its list is a member. */
  best: Map<Id, Peer | undefined>
  /** The cycles of best successors, each from its smallest id. */
  cycles: Id[][]
  ringMembers: Set<Id>
  appendages: Id[]
}

/**
 * The members: nodes that have joined and not left. A node that stopped is none. A node still joining is
 * one once a member lists it among its successors: before that its join may still be routed again (a
 * JOIN links the joiner in with a compare-and-set on its predecessor), and nothing reaches it.
 */
export function memberViews(views: readonly NodeView[]): Map<Id, NodeView> {
  const members = new Map<Id, NodeView>()
  for (const view of views) if (view.status !== 'stopped' && view.status !== 'joining' && !members.has(view.self.id)) members.set(view.self.id, view)
  const joining = views.filter((view) => view.status === 'joining' && view.successors.some((p) => p.id !== view.self.id))
  for (let grew = true; grew; ) {
    grew = false
    for (const view of joining) {
      if (members.has(view.self.id)) continue
      if ([...members.values()].some((m) => m.successors.some((p) => p.id === view.self.id))) {
        members.set(view.self.id, view)
        grew = true
      }
    }
  }
  return members
}

export function ringStructure(views: readonly NodeView[]): RingStructure {
  const members = memberViews(views)
  const best = new Map<Id, Peer | undefined>()
  for (const view of members.values()) {
    // A node alone lists itself: its best successor is itself, a ring of one.
    best.set(view.self.id, view.successors.find((p) => members.has(p.id)))
  }
  // Each member has at most one best successor, so a walk from any member ends on a cycle or at a dead end.
  const cycles = pointerCycles(members.keys(), (id) => best.get(id)?.id)
  cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
  const ringMembers = new Set(cycles.flat())
  const appendages = [...members.keys()].filter((id) => !ringMembers.has(id))
  return { members, best, cycles, ringMembers, appendages }
}

const defaultName = (peer: Peer): string => `${peer.id.toString(16)}@${peer.port}`

/** Every violation of Zave's four ring invariants, [] when they hold (and when there are no members at all). */
export function checkZave(views: readonly NodeView[], name: (peer: Peer) => string = defaultName): ZaveViolation[] {
  const structure = ringStructure(views)
  const { members, best, cycles, ringMembers } = structure
  if (members.size === 0) return []
  const out: ZaveViolation[] = []
  const peerOf = (id: Id): Peer => members.get(id)!.self
  const walkText = (ids: readonly Id[]): string => ids.map((id) => name(peerOf(id))).join(' → ')

  if (cycles.length === 0) {
    out.push({ invariant: 'AtLeastOneRing', message: `no ring: no walk along best successors comes back to where it started (${deadEndText(structure, name)})` })
  }
  if (cycles.length > 1) {
    out.push({ invariant: 'AtMostOneRing', message: `${cycles.length} rings: ${cycles.map((c) => `[${walkText([...c, c[0]!])}]`).join(' and ')}` })
  }
  // OrderedRing: no ring member lies strictly between a ring member and its best successor.
  for (const id of ringMembers) {
    const next = best.get(id)!
    const skipped = [...ringMembers].filter((other) => other !== id && other !== next.id && between(other, id, next.id))
    if (skipped.length > 0) {
      out.push({
        invariant: 'OrderedRing',
        node: peerOf(id),
        message: `${name(peerOf(id))}'s best successor ${name(next)} skips ring member${skipped.length > 1 ? 's' : ''} ${skipped.map((s) => name(peerOf(s))).join(', ')}`,
      })
    }
  }
  // ConnectedAppendages: a walk from every appendage reaches the ring (it fails only at a dead end).
  for (const id of structure.appendages) {
    const walk: Id[] = [id]
    let at: Peer | undefined = best.get(id)
    while (at && !ringMembers.has(at.id) && !walk.includes(at.id)) {
      walk.push(at.id)
      at = best.get(at.id)
    }
    if (!at && cycles.length > 0) {
      const end = walk[walk.length - 1]!
      out.push({ invariant: 'ConnectedAppendages', node: peerOf(id), message: `appendage ${walkText(walk)} never reaches the ring: ${name(peerOf(end))} has no live successor (its list: ${listText(members.get(end)!, name)})` })
    }
  }
  return out
}

/** Zave's ideal: every member on one ordered ring, no appendages. */
export function isOneOrderedRing(views: readonly NodeView[]): boolean {
  const structure = ringStructure(views)
  return structure.members.size > 0 && structure.appendages.length === 0 && checkZave(views).length === 0
}

function listText(view: NodeView, name: (peer: Peer) => string): string {
  return view.successors.length === 0 ? 'empty' : `[${view.successors.map(name).join(', ')}]`
}

function deadEndText(structure: RingStructure, name: (peer: Peer) => string): string {
  const stuck = [...structure.members.values()].filter((view) => structure.best.get(view.self.id) === undefined)
  return stuck.map((view) => `${name(view.self)} has no live successor in ${listText(view, name)}`).join('; ') || 'every walk ends at a dead end'
}
