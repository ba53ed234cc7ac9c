// The periodic repairs: stabilize + notify, check_predecessor, fix_fingers and replica sync. Each is a
// plain function a timer (src/node/protocol/scheduler.ts), a test or the simulator calls; what stabilize
// learns for replica sync is returned, not left behind in the node.
import { DhtError, errorMessage, isDhtError, isPeerFailure } from '../errors.js'
import { between, betweenLeftIncl, type Id } from '../ring.js'
import type { NodeContext } from './context.js'
import { announce } from './announcements.js'
import { adoptSuccessor } from './handoff.js'
import { findOwner } from './routing.js'
import { isNewer } from './key-store.js'
import { sameNode, type KeyRange, type Neighbors, type Peer, type StoredRecord } from './types.js'

/** How far one stabilize may walk back along predecessor pointers. */
const STABILIZE_WALK_LIMIT = 32

/** The successor's fingerprint of our copy of its range, as stabilize heard it. */
export type ReplicaDigest = KeyRange & { digest: string }

/** What one stabilize learned that the replica sync after it can use. */
export interface StabilizeOutcome {
  /** Present when the successor did not change and it sent the fingerprint of our replica range. */
  replicaDigest?: ReplicaDigest
}

/** stabilize + notify: learn of a node that slipped in before our successor, refresh the successor list, skip dead ones. */
export async function stabilize(context: NodeContext): Promise<StabilizeOutcome> {
  const { state } = context
  for (const successor of state.successors) {
    if (sameNode(successor, state.self)) {
      // Alone, or everyone else failed: a predecessor that notified us is our way back into a ring.
      const predecessor = state.predecessor
      if (predecessor) await state.exclusive(() => adoptSuccessor(context, predecessor, [])).catch(() => {})
      return {}
    }
    // Ask for the fingerprint of our copy of its range too, so an unchanged replica costs no extra call,
    // and notify it on the same call: a settled ring's stabilize round is one exchange.
    const copied = state.replicaSegments()[0]
    const membersDigest = state.members?.digest()
    const answer = await context.ask(successor, (node) =>
      node.neighborsAndNotify({ ...(copied ? { digestOf: { from: copied.from, to: copied.to } } : {}), notify: state.self, ...(membersDigest ? { membersDigest } : {}) }),
    )
    if (!answer.answered) {
      context.log(`successor ${state.short(successor)} failed: ${errorMessage(answer.error)}`)
      continue
    }
    let neighbors: Neighbors = answer.value
    // One hop: the successor's table differed from ours; its newer entries are ours now.
    if (neighbors.members && state.members && state.members.merge(neighbors.members) > 0) state.touch()
    // Walk back along predecessor pointers while they point between us and our successor: one step is
    // Chord's stabilize; several let a node whose successors all failed find its true successor at once.
    let next = successor
    for (let walked = 0; walked < STABILIZE_WALK_LIMIT; walked++) {
      const candidate = neighbors.predecessor
      if (!candidate || !between(candidate.id, state.self.id, next.id)) break
      try {
        neighbors = await context.remote(candidate).neighbors()
        next = candidate
      } catch {
        break // the node in between does not answer: keep the successor we have
      }
    }
    // A join may have changed our successor while we asked around: then this round's view is stale.
    const adopted = await state.exclusive(async () => {
      if (!sameNode(state.successor, successor)) return false
      await adoptSuccessor(context, next, neighbors.successors)
      return true
    })
    if (!adopted) return {}
    // A closer successor found by walking back has not heard from us yet.
    if (!sameNode(next, successor)) await context.remote(next).notify({ candidate: state.self }).catch(() => {})
    await announceFailures(context)
    const unchanged = copied !== undefined && sameNode(next, successor) && neighbors.digest !== undefined
    return unchanged ? { replicaDigest: { from: copied.from, to: copied.to, digest: neighbors.digest! } } : {}
  }
  // Every successor failed (more than r in a row): the nearest live finger, then the predecessor, takes
  // over; it may skip live nodes, but their notify and the next stabilize rounds pull them back in.
  // Only with nobody left do we stand alone.
  const fallbacks = [...state.fingers.distinct().map((row) => row.node), ...(state.predecessor ? [state.predecessor] : [])]
  for (const candidate of fallbacks) {
    const answer = await context.ask(candidate, (node) => node.neighbors())
    if (answer.answered) {
      await state.exclusive(() => adoptSuccessor(context, candidate, answer.value.successors))
      await announceFailures(context)
      return {}
    }
  }
  state.standAlone()
  return {}
}

/** check_predecessor: forget a predecessor that no longer answers, so notify can replace it. */
export async function checkPredecessor(context: NodeContext): Promise<void> {
  const { state } = context
  const predecessor = state.predecessor
  const heardFrom = state.predecessorHeardFrom
  state.predecessorHeardFrom = false
  if (!predecessor || heardFrom) return
  if (!(await context.ask(predecessor, (node) => node.ping())).answered) await announceFailures(context)
}

/**
 * Tells the ring of the neighbours found failed since the last time, so every node's fingers skip them
 * at once: a failed node's place is the first node after it we know (of our successors, or ourselves
 * for our predecessor). Not simply our successor: a successor further down the list may be the one
 * that failed (a replica sync with it, or a process's virtual nodes crashing together).
 */
async function announceFailures(context: NodeContext): Promise<void> {
  const { state } = context
  for (const gone of state.takeFailedNeighbours()) {
    await announce(context, { kind: 'failed', node: gone, successor: firstKnownAfter(context, gone), version: state.versions.next() })
  }
}

function firstKnownAfter(context: NodeContext, gone: Peer): Peer {
  const { state } = context
  let first = state.self
  let distance = state.space.distance(gone.id, state.self.id)
  for (const peer of state.successors) {
    const d = state.space.distance(gone.id, peer.id)
    if (d > 0n && d < distance) [first, distance] = [peer, d]
  }
  return first
}

/**
 * fix_fingers: finger i = successor(n + 2^i). Starts that fall before the previous finger share it, so a
 * table costs ~log2 N lookups. Joins, leaves and failures reach the fingers as announcements, so once a
 * whole refresh found the table right and nothing has changed since, a round audits one finger (the
 * paper's fix_fingers, in turn) instead of all of them: an idle ring routes one lookup a round, not log N.
 * Answers how many fingers changed (none: the table was right).
 */
export async function fixFingers(context: NodeContext): Promise<number> {
  const { state } = context
  // One hop: every finger is read off the member table, without a message.
  if (state.members) return fingersFromMembers(context)
  if (state.fingersCheckedAt === state.changes) {
    const audit = await auditOneFinger(context)
    if (audit !== 'wrong') return 0
  }
  const before = state.changes
  const changed = await refreshAllFingers(context)
  state.fingersCheckedAt = changed === 0 ? before : -1
  return changed
}

function fingersFromMembers(context: NodeContext): number {
  const { state } = context
  const members = state.members!
  members.prune(state.tombstoneCutoff())
  let changed = 0
  for (let i = 0; i < state.fingers.size; i++) {
    const node = members.successorOf(state.fingers.start(i))
    if (!node || sameNode(node, state.self)) continue
    if (state.fingers.get(i)?.id !== node.id) changed++
    state.fingers.set(i, node)
  }
  return changed
}

/** The owner of a finger's start: the finger's node. */
async function fingerFor(context: NodeContext, start: Id): Promise<Peer> {
  const route = await findOwner(context, start, context.state.config.routeMode)
  return route.owner.id === start ? route.owner : route.ownerSuccessor
}

async function refreshAllFingers(context: NodeContext): Promise<number> {
  const { state } = context
  let previous = state.successor
  let changed = 0
  for (let i = 0; i < state.fingers.size; i++) {
    const start = state.fingers.start(i)
    if (start !== previous.id && !between(start, state.self.id, previous.id)) {
      try {
        const found = await fingerFor(context, start)
        // A route that ended at a node which inherited the start with no live successor it knows names a
        // node before the start: no finger; the next refresh asks again.
        if (!sameNode(found, state.self) && !state.fingers.fits(i, found)) throw new DhtError('ROUTE_FAILED', `the route named ${state.short(found)}, before the finger's start`)
        previous = found
      } catch (error) {
        changed++
        context.log(`finger ${i} not refreshed: ${errorMessage(error)}`)
        continue
      }
    }
    if (state.fingers.get(i)?.id !== previous.id) changed++
    state.fingers.set(i, previous)
  }
  return changed
}

/** Routes to the start of the next distinct finger in turn: 'wrong' when it names another node (or fails). */
async function auditOneFinger(context: NodeContext): Promise<'right' | 'wrong'> {
  const { state } = context
  const rows = state.fingers.distinct()
  if (rows.length === 0) return 'wrong'
  const row = rows[state.fingerAudits++ % rows.length]!
  try {
    return sameNode(await fingerFor(context, row.start), row.node) ? 'right' : 'wrong'
  } catch {
    return 'wrong'
  }
}

/**
 * Replica sync: we hold [self, end), our range and copies of our successors' ranges (up to r-1 of them;
 * placement.ts). Reconcile each part of our copy with the node that holds it too (our successor, unless
 * virtual nodes cut the range in parts); pass anything we hold outside our share to its owner before
 * dropping it; forget tombstones whose grace period is over. `known` is the fingerprint the last
 * stabilize brought of the first part; `force` fetches even when it matches. Answers whether there was
 * anything to do.
 */
export async function syncReplicas(context: NodeContext, known?: ReplicaDigest, options: { force?: boolean } = {}): Promise<boolean> {
  const { state } = context
  let busy = false
  const end = state.holdEnd()
  for (const part of state.replicaSegments()) {
    const digest = options.force ? undefined : state.store.digest(part.from, part.to)
    // The digest that came with stabilize says our copy is current: nothing to fetch.
    const current = digest !== undefined && known !== undefined && known.from === part.from && known.to === part.to && known.digest === digest
    if (current) continue
    busy = true
    try {
      const answer = await context.remote(part.holder).rangeEntries({ from: part.from, to: part.to, digest })
      if (!answer.unchanged) await reconcile(context, part.holder, part, answer.entries)
    } catch (error) {
      // A holder still joining, or whose view differs for a moment, is asked again next time.
      if (isPeerFailure(error)) state.failed(part.holder)
      else if (!isDhtError(error, 'NOT_READY') && !isDhtError(error, 'NOT_OWNER')) throw error
    }
  }
  if (await rehomeStrays(context, end)) busy = true
  if (state.store.expireTombstones(state.tombstoneCutoff()) > 0) busy = true
  return busy
}

/**
 * Two copies of one range become the newer of each record: theirs is merged here, and what we hold newer
 * (a write that reached us first, a delete they missed) goes to them. Absence deletes nothing: only a
 * tombstone does, so no copy can drop a value the other side has not heard of.
 */
async function reconcile(context: NodeContext, holder: Peer, range: KeyRange, theirs: StoredRecord[]): Promise<void> {
  const { state } = context
  const theirsByValue = new Map<string, StoredRecord>(theirs.map((r) => [`${r.key}:${r.value}`, r]))
  const cutoff = state.tombstoneCutoff()
  for (const record of theirs) {
    state.versions.observe(record.version)
    state.store.merge(record, cutoff)
  }
  const newer = state.store.recordsIn(range.from, range.to).filter((r) => isNewer(r, theirsByValue.get(`${r.key}:${r.value}`)))
  if (newer.length > 0) await context.remote(holder).insert({ records: newer, role: 'replica', copies: 1 })
}

/** Records we hold outside [self, end) go to their owner, then leave us. Answers whether there were any. */
async function rehomeStrays(context: NodeContext, end: Id): Promise<boolean> {
  const { state } = context
  let strays = state.store.recordsOutside(state.self.id, end)
  const any = strays.length > 0
  while (strays.length > 0) {
    const route = await findOwner(context, strays[0]!.key, state.config.routeMode).catch(() => undefined)
    if (!route || sameNode(route.owner, state.self)) return any
    const batch = strays.filter((r) => betweenLeftIncl(r.key, route.owner.id, route.ownerSuccessor.id))
    const sent = state.store.seq
    try {
      await context.remote(route.owner).insert({ records: batch, role: 'handoff', copies: state.config.replicas })
    } catch {
      return any // keep them until the owner answers
    }
    for (const r of batch) state.store.remove(r.key, r.value, sent)
    strays = strays.filter((r) => !batch.includes(r))
  }
  return any
}
