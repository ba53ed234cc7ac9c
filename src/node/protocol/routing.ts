// findNode: one routing step answered from a node's own state (a pure function), and the iterative
// driver that asks node after node until the key's owner answers, routing around nodes that fail.
import type { RouteMode } from '../config.js'
import { DhtError } from '../errors.js'
import { between, betweenLeftIncl, type Id } from '../ring.js'
import type { NodeContext } from './context.js'
import type { NodeState } from './node-state.js'
import { sameNode, type Peer, type RouteStep } from './types.js'

/** How many candidates a routing step offers; the extra ones are for routing around a failed peer. */
const ROUTE_CANDIDATES = 3

export interface RouteResult {
  owner: Peer
  ownerSuccessor: Peer
  /** The owner first, then its predecessor, which holds a copy (just the owner when it inherited the key). */
  holders: Peer[]
  hops: number
  /** Every node the route visited, from the asking node to the owner. */
  path: Peer[]
  /** The owner's successor failed and it has not noticed yet: it holds the key's copy and will own it after stabilize. */
  inherited: boolean
  /** The owner's values for the key, when asked for (withValues) and the owner answered the route itself. */
  values?: string[]
  /** With values: the owner's tombstones for the key. */
  tombstones?: Array<{ value: string; version: number }>
}

/** One step of iterative routing: this node owns the key, or these are the nodes to ask next, best first. */
export function answerRouteStep(state: NodeState, key: Id, mode: RouteMode, withValues = false): RouteStep {
  const self = state.self
  if (state.owns(key)) {
    const holders = state.predecessor ? [self, state.predecessor] : [self]
    const step: RouteStep = { kind: 'owner', holders: holders.slice(0, state.config.replicas), ownerSuccessor: state.successor }
    if (!withValues) return step
    const tombstones = state.store.records(key).flatMap((r) => (r.deleted ? [{ value: r.value, version: r.version }] : []))
    return { ...step, values: state.store.get(key), ...(tombstones.length > 0 ? { tombstones } : {}) }
  }
  const list = state.successors
  // Successors at or before the key: each is a step forward that cannot overshoot it. (Not owning the
  // key, our first successor lies there, so the list is empty only when that successor was forgotten.)
  const forward = list.filter((p) => p.id === key || between(p.id, self.id, key))
  if (mode === 'linear') return { kind: 'next', candidates: forward.slice(0, ROUTE_CANDIDATES), successors: list }
  // One hop: the member table names the owner; it is asked first, and its own successor pointer
  // decides. A stale table costs a hop more, through the candidates fingers and successors add after it.
  const guess = mode === 'onehop' ? state.members?.ownerOf(key) : undefined
  const first = guess && !sameNode(guess, self) && (guess.id === key || between(guess.id, self.id, key)) ? [guess] : []
  // Only the owner's own successor pointer is authoritative, so the route always ends at the owner.
  // On the way: the closest preceding nodes we know, fingers and successors alike, nearest the key first.
  const seen = new Set<Id>(first.map((p) => p.id))
  const candidates = [
    ...first,
    ...[...state.fingers.preceding(key), ...forward]
      .filter((p) => !seen.has(p.id) && seen.add(p.id))
      .sort((a, b) => (state.space.distance(a.id, key) < state.space.distance(b.id, key) ? -1 : 1))
      .slice(0, ROUTE_CANDIDATES),
  ]
  // Fall back on the successors: each is always a step forward, and unlike fingers they are kept
  // right by leave and stabilize, so fingers that point at departed or failed nodes never strand a route.
  for (const p of forward) if (!candidates.some((q) => sameNode(q, p))) candidates.push(p)
  return { kind: 'next', candidates, successors: list }
}

interface Alternatives {
  /** The node that offered these. */
  from: Peer
  options: Peer[]
  successors: Peer[]
  /** How long the path was when these were offered: taking one backtracks the path to there. */
  pathLength: number
}

type NextHop = { peer: Peer; pathLength: number } | { heir: Peer; successor: Peer; pathLength: number }

/**
 * findNode, driven by this node: each step asks the current node for the owner or for better nodes to
 * try; a node that does not answer is routed around through the alternatives other nodes offered.
 */
export async function findOwner(context: NodeContext, key: Id, mode: RouteMode, options: { withValues?: boolean } = {}): Promise<RouteResult> {
  const { state } = context
  const withValues = options.withValues === true
  const path: Peer[] = [state.self]
  // Alternatives still untried at each step, so a dead node costs a detour rather than the lookup.
  const pending: Alternatives[] = []
  const failed = new Set<Id>()
  // A node asked once answers the same way again: never ask it twice in one lookup.
  const asked = new Set<Id>()
  for (;;) {
    const current = path[path.length - 1]!
    const answer = await context.ask(current, (node) => node.routeStep({ key, mode, withValues }))
    asked.add(current.id)
    if (!answer.answered) failed.add(current.id)
    const step = answer.answered ? answer.value : undefined
    if (step?.kind === 'owner') {
      const owner = step.holders[0]!
      const content = { ...(step.values ? { values: step.values } : {}), ...(step.tombstones ? { tombstones: step.tombstones } : {}) }
      return { owner, ownerSuccessor: step.ownerSuccessor, holders: step.holders, hops: path.length - 1, path, inherited: false, ...content }
    }
    if (step) {
      if (path.length > state.config.maxHops) {
        throw new DhtError('ROUTE_FAILED', `route to ${state.space.toHex(key)} exceeded ${state.config.maxHops} hops`)
      }
      pending.push({ from: current, options: step.candidates.filter((p) => !sameNode(p, current)), successors: step.successors, pathLength: path.length })
    }
    const next = nextHop(key, pending, failed, asked)
    if (!next) throw new DhtError('ROUTE_FAILED', `no live route to ${state.space.toHex(key)}: every candidate failed`)
    path.length = next.pathLength
    if ('heir' in next) {
      // Every node between `heir` and the key has failed: until stabilize catches up, the key is the heir's.
      return { owner: next.heir, ownerSuccessor: next.successor, holders: [next.heir], hops: path.length - 1, path, inherited: true }
    }
    path.push(next.peer)
  }
}

/** The next candidate to ask, from the latest step that still has one, or the node that inherited the key. */
function nextHop(key: Id, pending: Alternatives[], failed: Set<Id>, asked: Set<Id>): NextHop | undefined {
  while (pending.length > 0) {
    const top = pending[pending.length - 1]!
    const peer = top.options.shift()
    if (peer) {
      if (!failed.has(peer.id) && !asked.has(peer.id)) return { peer, pathLength: top.pathLength }
      continue
    }
    // Out of candidates: if the asked node's first live successor lies past the key, the asked node owns it now.
    const successor = top.successors.find((p) => !failed.has(p.id) && !sameNode(p, top.from))
    if (!successor || betweenLeftIncl(key, top.from.id, successor.id)) {
      return { heir: top.from, successor: successor ?? top.from, pathLength: top.pathLength }
    }
    pending.pop()
  }
  return undefined
}
