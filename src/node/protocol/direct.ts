// Operations a client sends straight to the key's owner (GET, POST and DELETE /value), for clients that
// keep a copy of the ring. This node serves one only when it owns the key by its own successor pointer,
// the same test that ends every route, so a client's stale copy can cost a redirect but never a wrong
// answer; otherwise it answers with the node it believes owns the key, as Redis Cluster answers MOVED.
// Each operation is STORE's, LOOKUP's or delete's with the route replaced by "I own it": the owner's
// insert still copies down its r-1 predecessors, a lookup still asks the other holders when it lacks the value.
import { DhtError } from '../errors.js'
import type { Id } from '../ring.js'
import { preview } from '../text.js'
import { deleteAtOwner, insert, keyOf, lookupOnRoute, type ValueResult } from './content.js'
import type { NodeContext } from './context.js'
import type { NodeState } from './node-state.js'
import { answerRouteStep, type RouteResult } from './routing.js'
import { Unanswered } from './unanswered.js'
import { sameNode, type Peer } from './types.js'

/** Served here, or not this node's key: then the node it believes owns it. */
export type DirectAnswer<T> = { served: true; result: T } | { served: false; owner: Peer }

/** GET /value: LOOKUP at the owner. */
export async function readAtOwner(context: NodeContext, value: string): Promise<DirectAnswer<ValueResult>> {
  const key = keyOf(context, value)
  const route = ownRoute(context.state, key, true)
  if (!route) return moved(context.state, key)
  return { served: true, result: await lookupOnRoute(context, key, value, route) }
}

/** POST /value: STORE at the owner, which stamps the write and copies it to its predecessors. */
export async function writeAtOwner(context: NodeContext, value: string): Promise<DirectAnswer<ValueResult>> {
  const { state } = context
  const key = keyOf(context, value)
  ready(state)
  if (!state.owns(key)) return moved(state, key)
  // insert decides ownership again, at once, before anything is written (NOT_OWNER): no await lies between.
  await insert(context, [{ key, value, version: 0, deleted: false }], 'store', state.config.replicas)
  return { served: true, result: { key, value, node: state.self, hops: 0, path: [state.self] } }
}

/** DELETE /value: a tombstone at the owner and its copies. */
export async function deleteHere(context: NodeContext, value: string): Promise<DirectAnswer<ValueResult & { deleted: number }>> {
  const { state } = context
  const key = keyOf(context, value)
  const route = ownRoute(state, key, false)
  if (!route) return moved(state, key)
  const unanswered = new Unanswered('delete', state.space.toHex(key))
  const deleted = await deleteAtOwner(context, route, key, value, unanswered)
  // A call to ourselves always answers.
  const count = deleted.answered ? deleted.value : 0
  if (count === 0) throw unanswered.or(new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${state.space.toHex(key)})`))
  return { served: true, result: { key, value, node: state.self, hops: 0, path: [state.self], deleted: count } }
}

/**
 * The node this node believes owns `key`, when it does not: the one nearest before the key of all it
 * knows (successors, predecessor, fingers, and in one-hop mode its member table). Not owning the key,
 * its successor lies at or before the key, so some known node is nearer than itself.
 */
export function ownerGuess(state: NodeState, key: Id): Peer {
  const known = [...state.successors, ...(state.predecessor ? [state.predecessor] : []), ...state.fingers.distinct().map((row) => row.node), ...(state.members?.alive() ?? [])]
  let best = state.successor
  for (const peer of known) {
    if (sameNode(peer, state.self)) continue
    if (state.space.distance(peer.id, key) < state.space.distance(best.id, key)) best = peer
  }
  return best
}

/** This node's route to `key` when it owns it: no hops, its own holders, its values when asked. */
function ownRoute(state: NodeState, key: Id, withValues: boolean): RouteResult | undefined {
  ready(state)
  const step = answerRouteStep(state, key, state.config.routeMode, withValues)
  if (step.kind !== 'owner') return undefined
  const content = { ...(step.values ? { values: step.values } : {}), ...(step.tombstones ? { tombstones: step.tombstones } : {}) }
  return { owner: state.self, ownerSuccessor: step.ownerSuccessor, holders: step.holders, hops: 0, path: [state.self], inherited: false, ...content }
}

function moved<T>(state: NodeState, key: Id): DirectAnswer<T> {
  return { served: false, owner: ownerGuess(state, key) }
}

/** A node still joining (or leaving) knows no range of its own yet: the client routes instead. */
function ready(state: NodeState): void {
  if (state.status !== 'ready') throw new DhtError('NOT_READY', `node is ${state.status}: route the request instead`)
}
