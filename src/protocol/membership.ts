// Who is in the ring: the lab's rewiring PUTs (setSuccessor, setPredecessor), Chord's notify, JOIN
// (handled by any node for a joiner), joining through a bootstrap node, and the lab's LEAVE on request.
import { DhtError } from '../errors.js'
import { between, type IdSpace } from '../ring.js'
import type { NodeContext } from './context.js'
import { adoptSuccessor } from './handoff.js'
import { stabilize, syncReplicas, fixFingers } from './maintenance.js'
import { findOwner } from './routing.js'
import { sameNode, type JoinResult, type Peer } from './types.js'

/** PUT /successor. If the new successor sits inside our range, the keys from it onwards are its now: hand them over. */
export async function setSuccessor(context: NodeContext, successor: Peer): Promise<void> {
  if (!sameNode(successor, context.state.successor)) await context.mustAnswer(successor, 'successor')
  await adoptSuccessor(context, successor, [])
}

/** PUT /predecessor. */
export async function setPredecessor(context: NodeContext, predecessor: Peer | null): Promise<void> {
  const { state } = context
  if (predecessor && !sameNode(predecessor, state.predecessor)) await context.mustAnswer(predecessor, 'predecessor')
  state.predecessor = predecessor && !sameNode(predecessor, state.self) ? predecessor : null
}

/** notify: `candidate` thinks it might be our predecessor. */
export async function notify(context: NodeContext, candidate: Peer): Promise<void> {
  const { state } = context
  if (sameNode(candidate, state.self)) return
  if (sameNode(candidate, state.predecessor)) {
    // A notify is proof of life: check_predecessor need not ping it this period.
    state.predecessorHeardFrom = true
    return
  }
  const current = state.predecessor
  if (current && !between(candidate.id, current.id, state.self.id)) return
  await context.mustAnswer(candidate, 'candidate predecessor')
  state.predecessor = candidate
  state.predecessorHeardFrom = true
}

/** POST /join, handled by any node: find the joiner's place, rewire around it, let its predecessor hand keys over. */
export async function join(context: NodeContext, joiner: Peer): Promise<JoinResult> {
  const { state } = context
  if (sameNode(joiner, state.self)) throw idTaken(joiner, state.space)
  await context.mustAnswer(joiner, 'joiner')
  const route = await findOwner(context, joiner.id, state.config.routeMode)
  const predecessor = route.owner
  if (sameNode(predecessor, joiner)) throw idTaken(joiner, state.space)
  // The owner may not have noticed yet that its successor failed (the route says it inherited the key, or
  // the successor it names does not answer). Then its first live successor becomes the joiner's, and the
  // owner first skips the failed ones as its stabilize would: their ranges are its own already, so the
  // handoff below gives the joiner all of [joiner, successor), not just the part before the failed node.
  let successor = route.ownerSuccessor
  let skipFailed = route.inherited
  if (!sameNode(successor, predecessor) && !(await context.firstAnswering([successor]))) {
    const live = await context.firstAnswering((await context.node(predecessor).neighbors()).successors)
    if (!live) throw new DhtError('NOT_READY', `no successor of ${state.short(predecessor)} answers; try again after the next stabilize`)
    successor = live
    skipFailed = true
  }
  await context.node(joiner).setPredecessor(predecessor)
  await context.node(joiner).setSuccessor(successor)
  if (skipFailed && !sameNode(successor, predecessor)) await context.node(predecessor).setSuccessor(successor)
  // The predecessor hands [joiner, successor) over as it takes the joiner as its successor.
  await context.node(predecessor).setSuccessor(joiner)
  await context.node(successor).setPredecessor(joiner)
  context.log(`joined ${state.short(joiner)} between ${state.short(predecessor)} and ${state.short(successor)}`)
  return { predecessor, successor }
}

/** Called on a new node: join the ring through `bootstrap`, then build successor list, replicas and fingers. */
export async function joinVia(context: NodeContext, bootstrap: Peer): Promise<JoinResult> {
  const { state } = context
  state.status = 'joining'
  try {
    const result = await context.transport.join(bootstrap, state.self)
    await stabilize(context)
    await syncReplicas(context, undefined, { force: true })
    await fixFingers(context)
    state.status = 'ready'
    return result
  } catch (error) {
    state.status = 'stopped'
    throw error
  }
}

/** LEAVE on request: hand our keys to our predecessor, link predecessor and successor. The caller stops the node. */
export async function leave(context: NodeContext): Promise<void> {
  const { state } = context
  if (sameNode(state.successor, state.self)) throw new DhtError('LAST_NODE', 'this is the last node of the ring; it cannot leave (use make killall)')
  const predecessor = state.predecessor
  if (!predecessor) throw new DhtError('NOT_READY', 'no predecessor known yet; try again after the next stabilize')
  // Neighbours that failed unnoticed: a failed predecessor cannot take our keys (wait for stabilize and
  // notify to bring the live one); a failed successor's range is ours until stabilize runs, so it goes
  // to the predecessor with ours, and our first successor that answers is linked in its place.
  if (!(await context.firstAnswering([predecessor]))) throw new DhtError('NOT_READY', 'the predecessor does not answer; try again after the next stabilize')
  const successor = await context.firstAnswering(state.successors)
  if (!successor || sameNode(successor, state.self)) throw new DhtError('NOT_READY', 'no successor answers; try again after the next stabilize')
  state.status = 'leaving'
  try {
    const ours = state.store.entriesIn(state.self.id, successor.id)
    if (ours.length > 0) await context.node(predecessor).insert(ours, 'handoff', 1)
    await context.node(predecessor).setSuccessor(successor)
    await context.node(successor).setPredecessor(predecessor)
  } catch (error) {
    state.status = 'ready'
    throw error
  }
  state.status = 'stopped'
  context.log(`left: handed keys to ${state.short(predecessor)}`)
}

function idTaken(joiner: Peer, space: IdSpace): DhtError {
  return new DhtError('ID_TAKEN', `id ${space.toHex(joiner.id)} of ${joiner.host}:${joiner.port} is already taken by a running node`)
}
