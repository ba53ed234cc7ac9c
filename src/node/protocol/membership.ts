// Who is in the ring: the lab's rewiring PUTs (setSuccessor, setPredecessor), Chord's notify, JOIN
// (handled by any node for a joiner), joining through a bootstrap node, and the lab's LEAVE on request.
import { DhtError, isDhtError, isPeerFailure } from '../errors.js'
import { between, type IdSpace } from '../ring.js'
import type { NodeContext } from './context.js'
import { announce } from './announcements.js'
import { adoptSuccessor } from './handoff.js'
import { stabilize, syncReplicas, fixFingers } from './maintenance.js'
import { findOwner } from './routing.js'
import { sameNode, type JoinResult, type Peer } from './types.js'

/**
 * PUT /successor. If the new successor sits inside our range, the keys from it onwards are its now: hand
 * them over. With `expected`, only if our successor is still that one (a JOIN's compare-and-set).
 */
export async function setSuccessor(context: NodeContext, successor: Peer, expected?: Peer): Promise<void> {
  const { state } = context
  if (!sameNode(successor, state.successor)) await context.mustAnswer(successor, 'successor')
  await state.exclusive(async () => {
    if (expected && !sameNode(expected, state.successor)) {
      throw new DhtError('RING_CHANGED', `the successor of ${state.short(state.self)} is ${state.short(state.successor)} now, not ${state.short(expected)}`)
    }
    // The successors we knew past the new one stay behind it: a joiner that fails right after it is linked
    // in must not leave us with no live successor (make modelcheck SCENARIO=join-crash DEPTH=18 found it).
    await adoptSuccessor(context, successor, state.successors.filter((p) => between(p.id, successor.id, state.self.id)))
  })
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
  // A candidate farther away than our predecessor is taken only if that predecessor has failed (the
  // candidate skipped it): then repair need not wait for check_predecessor.
  if (current && !between(candidate.id, current.id, state.self.id) && (await context.ask(current, (node) => node.ping())).answered) return
  await context.mustAnswer(candidate, 'candidate predecessor')
  state.predecessor = candidate
  state.predecessorHeardFrom = true
}

/** How many times a JOIN finds its place again when another join got there first (each round one of them wins). */
const JOIN_ATTEMPTS = 32

/** POST /join, handled by any node: find the joiner's place, rewire around it, let its predecessor hand keys over. */
export async function join(context: NodeContext, joiner: Peer): Promise<JoinResult> {
  const { state } = context
  if (sameNode(joiner, state.self)) throw idTaken(joiner, state.space)
  await context.mustAnswer(joiner, 'joiner')
  for (let attempt = 1; ; attempt++) {
    try {
      return await rewireAround(context, joiner)
    } catch (error) {
      // Another node joined at the same place first: the joiner's place is next to that node now.
      if (!isDhtError(error, 'RING_CHANGED') || attempt >= JOIN_ATTEMPTS) throw error
    }
  }
}

/** One attempt at a JOIN: route to the joiner's place and rewire the four pointers around it. */
async function rewireAround(context: NodeContext, joiner: Peer): Promise<JoinResult> {
  const { state } = context
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
  // The lab's rewiring: four PUT requests, sent as messages even when this node is one of the parties,
  // so a join reads the same in every trace whichever node handles it.
  const rewire = (peer: Peer) => context.remote(peer)
  await rewire(joiner).setPredecessor({ predecessor })
  await rewire(joiner).setSuccessor({ successor })
  if (skipFailed && !sameNode(successor, predecessor)) await rewire(predecessor).setSuccessor({ successor })
  // The predecessor hands [joiner, successor) over as it takes the joiner as its successor, if its
  // successor is still the one we found (else another join came first: RING_CHANGED, and we route again).
  await rewire(predecessor).setSuccessor({ successor: joiner, expected: successor })
  await rewire(successor).setPredecessor({ predecessor: joiner })
  context.log(`joined ${state.short(joiner)} between ${state.short(predecessor)} and ${state.short(successor)}`)
  return { predecessor, successor }
}

/** Called on a new node: join the ring through `bootstrap`, then build successor list, replicas and fingers. */
export async function joinVia(context: NodeContext, bootstrap: Peer): Promise<JoinResult> {
  const { state } = context
  state.status = 'joining'
  let result: JoinResult
  try {
    result = await context.remote(bootstrap).join({ joiner: state.self })
  } catch (error) {
    // No answer (the bootstrap crashed, or the answer was lost) after the JOIN had wired us in, at least in
    // part: we have a successor, as Chord's own join leaves a node, and stabilize and notify do the rest.
    // Stopping would leave a predecessor that took us as its successor with a dead one (make modelcheck
    // SCENARIO=join-crash DEPTH=22 found it).
    if (!isPeerFailure(error) || sameNode(state.successor, state.self)) {
      state.status = 'stopped'
      throw error
    }
    result = { predecessor: state.predecessor ?? state.successor, successor: state.successor }
  }
  try {
    // One hop: the joiner starts from its bootstrap's table of the whole ring.
    if (state.members) state.members.merge(await context.remote(bootstrap).members())
    // The first maintenance rounds stay in the join's trace, marked as the tasks they are, so that a
    // diagram of the join shows them only when asked for (make add TRACE=1 ALL=1).
    const round = (task: string) => (context.scope ? context.within({ traceId: context.scope.traceId, spanId: context.scope.spanId, task }) : context)
    await stabilize(round('stabilize'))
    await syncReplicas(round('stabilize'), undefined, { force: true })
    await fixFingers(round('fix_fingers'))
    state.status = 'ready'
    // Every node's fingers take the newcomer at once, rather than at their next refresh.
    await announce(context, { kind: 'joined', node: state.self, version: state.versions.next() })
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
  await state.exclusive(async () => {
    state.status = 'leaving'
    const before = state.store.seq
    try {
      const ours = state.store.recordsIn(state.self.id, successor.id)
      if (ours.length > 0) await context.node(predecessor).insert({ records: ours, role: 'handoff', copies: 1 })
      await context.node(predecessor).setSuccessor({ successor })
      await context.node(successor).setPredecessor({ predecessor })
    } catch (error) {
      state.status = 'ready'
      throw error
    }
    // Writes we applied while our range travelled follow it; from now on we answer nothing (NODE_LEFT).
    const late = state.store.changedSince(before, state.self.id, successor.id)
    state.status = 'stopped'
    if (late.length > 0) await context.node(predecessor).insert({ records: late, role: 'handoff', copies: 1 })
    // Fingers that named us name our successor now.
    await announce(context, { kind: 'left', node: state.self, successor, version: state.versions.next() })
  })
  context.log(`left: handed keys to ${state.short(predecessor)}`)
}

function idTaken(joiner: Peer, space: IdSpace): DhtError {
  return new DhtError('ID_TAKEN', `id ${space.toHex(joiner.id)} of ${joiner.host}:${joiner.port} is already taken by a running node`)
}
