// Taking a new successor, and the keys that move with it: when a node's range shrinks because a node
// slipped in after it (a join, or stabilize finding one), [newcomer, old successor) is the newcomer's now.
import { between } from '../ring.js'
import type { NodeContext } from './context.js'
import { sameNode, type Peer } from './types.js'

/** Makes `successor` ours, first handing it the keys that are now its own. */
export async function adoptSuccessor(context: NodeContext, successor: Peer, itsSuccessors: readonly Peer[]): Promise<void> {
  const { state } = context
  const old = state.successor
  if (!sameNode(successor, state.self) && !sameNode(successor, old) && between(successor.id, state.self.id, old.id)) {
    // Our range shrinks to [self, successor): [successor, old) moves to the newcomer before it is linked in.
    const moving = state.store.entriesIn(successor.id, old.id)
    if (moving.length > 0) {
      await context.transport.insert(successor, moving, 'handoff', 1)
      context.log(`handed ${moving.length} values to new successor ${state.short(successor)}`)
      // With one copy per key the lab's delete follows; with more we keep them as a replica.
      if (state.config.replicas === 1) for (const e of moving) state.store.delete(e.key, e.value)
    }
  }
  state.setSuccessors(successor, itsSuccessors)
}
