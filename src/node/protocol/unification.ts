// Ring unification: when a partition heals, the two rings it left behind merge back into one. Plain
// Chord cannot do this (each ring is consistent on its own, and no node points across), so, after
// Shafaat, Ghodsi and Haridi (2009), every node keeps the peers it stopped reaching and tries them
// again now and then. When one answers, each side looks the other up in its own ring and offers it
// there; a node offered a closer successor takes it and offers the node it displaced to the other ring
// in turn, so the two rings zip together, one pointer at a time, while stabilize and notify tidy up.
// Keys follow the pointers: a node taking a closer successor hands it the range it no longer owns.
import { between } from '../ring.js'
import type { NodeContext } from './context.js'
import { adoptSuccessor } from './handoff.js'
import { findOwner } from './routing.js'
import { sameNode, type Peer } from './types.js'

/** Peers unreachable for longer than this are not tried again (a node that left, or crashed). */
export const RETRY_UNREACHABLE_MS = 15 * 60 * 1000
/** The longest wait between two tries of one peer: a healed partition is noticed within about this long. */
const RETRY_WAIT_MAX_MS = 4000

/**
 * The maintenance task: try the peers this node stopped reaching; each that answers again may be in
 * another ring now (a healed partition), so both look each other up in their own ring.
 */
export async function retryUnreachable(context: NodeContext): Promise<boolean> {
  const { state } = context
  for (const peer of state.unreachablePeers(RETRY_UNREACHABLE_MS)) {
    const alive = await context.remote(peer).ping().then(
      () => true,
      () => false,
    )
    if (!alive) {
      state.retryLater(peer, 2 * state.config.stabilizeIntervalMs, RETRY_WAIT_MAX_MS)
      continue
    }
    state.reachable(peer)
    context.log(`${state.short(peer)} answers again: merging rings if it is in another`)
    // Where it belongs among the nodes we know, and where we belong among the nodes it knows.
    await unify(context, peer).catch(() => undefined)
    await context.remote(peer).unify({ candidate: state.self }).catch(() => undefined)
  }
  // While a peer is listed the task keeps its period; with none, it backs off like the others.
  return state.anyUnreachable
}

/** unify (the paper's mlookup): find where `candidate` belongs in this node's ring, and offer it there. */
export async function unify(context: NodeContext, candidate: Peer): Promise<void> {
  const { state } = context
  if (sameNode(candidate, state.self)) return
  const route = await findOwner(context, candidate.id, state.config.routeMode)
  // The candidate owns its own id in this ring: it is in this ring already.
  if (sameNode(route.owner, candidate)) return
  await context.node(route.owner).offer({ candidate })
}

/**
 * offer (the paper's trymerge): `candidate`, from another ring, may be a closer successor or
 * predecessor than ours. A closer successor is taken (with the keys it owns now), and the successor
 * it displaces is offered to the candidate's ring to find its own place there.
 */
export async function offer(context: NodeContext, candidate: Peer): Promise<void> {
  const { state } = context
  if (sameNode(candidate, state.self)) return
  await context.mustAnswer(candidate, 'offered node')
  const displaced = await state.exclusive(async () => {
    const old = state.successor
    const closer = sameNode(old, state.self) || between(candidate.id, state.self.id, old.id)
    if (!closer) return undefined
    await adoptSuccessor(context, candidate, [])
    return sameNode(old, state.self) ? undefined : old
  })
  if (!state.predecessor || between(candidate.id, state.predecessor.id, state.self.id)) state.predecessor = candidate
  if (displaced) {
    context.log(`merged ${state.short(candidate)} in as successor; offering ${state.short(displaced)} to its ring`)
    await context.remote(candidate).unify({ candidate: displaced }).catch(() => undefined)
  }
}
