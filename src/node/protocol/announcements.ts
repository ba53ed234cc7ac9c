// Membership news, spread to every node at once: a node that joined, left or failed is announced, and
// each node fixes its fingers (and its one-hop member table) right away instead of waiting for its next
// refresh, which an idle ring may put off for a minute. The announcement travels down the finger tree
// (El-Ansary, Alima, Brand and Haridi, "Efficient broadcast in structured P2P networks", 2003): a node
// hands it to each of its fingers with the part of the ring up to the next finger as that finger's
// share, so every node hears it once, in about log2 N steps and N-1 messages. News a node misses
// (a finger that was wrong) is caught up by its own maintenance, as before.
import { between, type Id } from '../ring.js'
import type { NodeContext } from './context.js'
import { findOwner } from './routing.js'
import { sameNode, type Announcement, type Peer } from './types.js'

/** Announces news from this node to the whole ring. */
export async function announce(context: NodeContext, news: Announcement): Promise<void> {
  context.announcements.first(news)
  await spread(context, news, context.state.self.id)
}

/** An announcement received: take it in, then pass it on within [self, limit). */
export async function receive(context: NodeContext, news: Announcement, limit: Id): Promise<void> {
  if (!context.announcements.first(news)) return
  apply(context, news)
  await spread(context, news, limit)
}

/** Hands the news to each node we know in (self, limit): each gets the ring up to the next as its share. */
async function spread(context: NodeContext, news: Announcement, limit: Id): Promise<void> {
  const { state } = context
  const self = state.self.id
  const inside = (p: Peer) => !sameNode(p, state.self) && !sameNode(p, news.node) && (limit === self || between(p.id, self, limit))
  const known = new Map<Id, Peer>()
  for (const p of [...state.successors, ...state.fingers.distinct().map((row) => row.node)]) if (inside(p)) known.set(p.id, p)
  const ordered = [...known.values()].sort((a, b) => (state.space.distance(self, a.id) < state.space.distance(self, b.id) ? -1 : 1))
  await Promise.all(ordered.map((peer, i) => handOn(context, news, peer, ordered[i + 1]?.id ?? limit)))
}

/** Relays tried in a row for one share, when the ones before did not answer. */
const RELAYS_PER_SHARE = 4

/**
 * Hands the news to `relay` for (relay, share). A relay that does not answer (it crashed beside the
 * node the news is about, say) would take its whole share's news with it, so the share goes to the first
 * live node after it instead, found by routing. Best effort beyond that: a node that still misses the
 * news catches up through its own maintenance.
 */
async function handOn(context: NodeContext, news: Announcement, relay: Peer, share: Id): Promise<void> {
  const { state } = context
  let next: Peer | undefined = relay
  for (let tries = 0; next && tries < RELAYS_PER_SHARE; tries++) {
    const target: Peer = next
    const sent = await context.ask(target, (node) => node.announce({ news, limit: share })).catch(() => ({ answered: true as const }))
    if (sent.answered) return
    const route = await findOwner(context, target.id, state.config.routeMode).catch(() => undefined)
    const after = route?.ownerSuccessor
    next = after && !sameNode(after, state.self) && !sameNode(after, target) && between(after.id, target.id, share) ? after : undefined
  }
}

/** What the news changes here: fingers (and the successor list) stop naming a node that is gone, or take a newcomer. */
function apply(context: NodeContext, news: Announcement): void {
  const { state } = context
  if (sameNode(news.node, state.self)) {
    // News that we are gone, while we are not: say otherwise, with newer news (SWIM's refutation).
    if (news.kind !== 'joined' && state.members) void refute(context)
    return
  }
  state.members?.apply({ peer: news.node, alive: news.kind === 'joined', version: news.version })
  if (news.kind === 'joined') {
    if (state.fingers.adopt(news.node) > 0) state.touch()
    // A newcomer among our successors: stabilize soon, to take it into the list.
    const last = state.successors[state.successors.length - 1]!
    if (between(news.node.id, state.self.id, last.id)) state.touch()
    return
  }
  // A successor already heard of as gone takes no finger: the finger is dropped, for fix_fingers to fill.
  const successor = news.successor && !sameNode(news.successor, news.node) && !context.announcements.isGone(news.successor.id) ? news.successor : undefined
  if (successor) state.fingers.replace(news.node.id, successor)
  else if (state.fingers.distinct().some((row) => sameNode(row.node, news.node))) {
    // Fingers left empty: the next fix_fingers refreshes the whole table rather than auditing one.
    state.fingers.forget(news.node.id)
    state.touch()
  }
  const neighbour = state.successors.some((p) => sameNode(p, news.node)) || sameNode(state.predecessor, news.node)
  if (!neighbour) return
  // A node that says it left is gone. A failure reported by another node is only a report: our own
  // successor pointers change on what our own stabilize sees, which we run at once.
  if (news.kind === 'left') state.forget(news.node)
  else state.touch()
}

/** Tells the ring we are alive, with news newer than the report of our failure. */
async function refute(context: NodeContext): Promise<void> {
  const { state } = context
  const version = state.versions.next()
  state.members?.apply({ peer: state.self, alive: true, version })
  await announce(context, { kind: 'joined', node: state.self, version })
}
