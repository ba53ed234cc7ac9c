// Taking a new successor, and the keys that move with it: when a node's range shrinks because a node
// slipped in after it (a join, or stabilize finding one), [newcomer, old successor) is the newcomer's now.
import { errorMessage } from '../errors.js'
import { between } from '../ring.js'
import type { NodeContext } from './context.js'
import { sameNode, type Peer } from './types.js'

/** Makes `successor` ours, first handing it the keys that are now its own. Call it holding the state's lock. */
export async function adoptSuccessor(context: NodeContext, successor: Peer, itsSuccessors: readonly Peer[]): Promise<void> {
  const { state } = context
  const old = state.successor
  const shrinks = !sameNode(successor, state.self) && !sameNode(successor, old) && between(successor.id, state.self.id, old.id)
  if (!shrinks) {
    state.setSuccessors(successor, itsSuccessors)
    return
  }
  // [successor, old) moves to the newcomer before it is linked in, so no lookup finds it empty.
  const before = state.store.seq
  const moving = state.store.recordsIn(successor.id, old.id)
  if (moving.length > 0) await context.remote(successor).insert({ records: moving, role: 'handoff', copies: 1 })
  state.setSuccessors(successor, itsSuccessors)
  // Writes we applied while the range travelled were ours to apply then; they follow it now. From here
  // on a write for the range is refused (NOT_OWNER) and its coordinator routes again, to the newcomer.
  const late = state.store.changedSince(before, successor.id, old.id)
  const sent = state.store.seq
  let delivered = true
  if (late.length > 0) {
    await context.remote(successor).insert({ records: late, role: 'handoff', copies: 1 }).catch((error: unknown) => {
      delivered = false // kept here as strays: replica sync re-homes them to their owner
      context.log(`late handoff to ${state.short(successor)} failed: ${errorMessage(error)}`)
    })
  }
  if (moving.length + late.length > 0) context.log(`handed ${moving.length + late.length} records to new successor ${state.short(successor)}`)
  // With one copy per key the lab's delete follows; with more we keep them as a replica.
  if (state.config.replicas === 1 && delivered) for (const r of [...moving, ...late]) state.store.remove(r.key, r.value, sent)
}
