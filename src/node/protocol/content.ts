// The ring's content: STORE, LOOKUP and delete as the coordinating node runs them (findNode, then the
// owner), and the handlers the owner and its copies answer (insert, get, delete, range) with the chain
// of copies down the owner's predecessors.
//
// Every write is stamped with a version by the node that applies it as the key's owner, newer than any
// version it holds for that value; a delete writes a tombstone. So of a store and a delete of one value
// racing each other, the one the owner applies last wins; copies that meet keep the newer version, and
// at equal versions (two owners at once, during a change of ownership) the delete.
import { DhtError, errorMessage, isDhtError } from '../errors.js'
import type { Id } from '../ring.js'
import { preview } from '../text.js'
import type { Answer, NodeContext } from './context.js'
import { digestOf, isNewer } from './key-store.js'
import { findOwner, type RouteResult } from './routing.js'
import { processOf } from './placement.js'
import { Unanswered } from './unanswered.js'
import { sameNode, type DeleteOptions, type InsertRole, type KeyRead, type Peer, type RangeAnswer, type StoredRecord } from './types.js'

/** How many times a write re-routes when the ring moved under it (a join or a failure). */
const WRITE_ATTEMPTS = 4
/** How many nodes a read walks back through looking for the key's holders (virtual nodes of one process hold one copy between them). */
const MAX_HOLDER_WALK = 64

export interface ValueResult {
  key: Id
  value: string
  /** The node that applied the write, or where the value was found. */
  node: Peer
  hops: number
  path: Peer[]
}

/**
 * STORE: findNode(hash(value)) then insert on the owner, which stamps it and copies it to its predecessors.
 * An insert that got no answer may have been applied: a store that ends without one says so (PEER_TIMEOUT,
 * an unknown outcome) instead of claiming it failed.
 */
export async function storeValue(context: NodeContext, value: string): Promise<ValueResult> {
  const { state } = context
  const key = keyOf(context, value)
  const write: StoredRecord = { key, value, version: 0, deleted: false }
  const unanswered = new Unanswered('store', state.space.toHex(key))
  let lastError: unknown
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const route = await unanswered.during(() => findOwner(context, key, state.config.routeMode))
    let stored: Answer<{ inserted: number }>
    try {
      stored = await context.ask(route.owner, (owner) => owner.insert({ records: [write], role: route.inherited ? 'heir' : 'store', copies: state.config.replicas }))
    } catch (error) {
      lastError = error
      if (isDhtError(error, 'NOT_OWNER')) continue // the ring moved under us: route again
      throw unanswered.or(error)
    }
    if (stored.answered) return { key, value, node: route.owner, hops: route.hops, path: route.path }
    lastError = unanswered.note(stored.error)
    // The owner is gone: the node that inherits its range is the next holder.
    const heir = route.holders[1]
    if (!heir) continue
    try {
      const inherited = await context.ask(heir, (node) => node.insert({ records: [write], role: 'heir', copies: state.config.replicas }))
      if (inherited.answered) return { key, value, node: heir, hops: route.hops, path: route.path }
      lastError = unanswered.note(inherited.error)
    } catch (heirError) {
      lastError = heirError
    }
  }
  throw unanswered.or(new DhtError('ROUTE_FAILED', `could not store: ${errorMessage(lastError)}`))
}

/**
 * LOOKUP: findNode(hash(value)); the owner answers the last routing step with its values. Only when it
 * lacks the value are the key's other holders asked (a handoff may still be on its way): if one has a
 * live copy newer than any delete seen, the owner is repaired with it and the value is found.
 */
export async function lookupValue(context: NodeContext, value: string): Promise<ValueResult> {
  const key = keyOf(context, value)
  return lookupOnRoute(context, key, value, await findOwner(context, key, context.state.config.routeMode, { withValues: true }))
}

/** LOOKUP once the owner is known (found by routing, or this node itself: direct.ts), with its values when it answered them. */
export async function lookupOnRoute(context: NodeContext, key: Id, value: string, route: RouteResult): Promise<ValueResult> {
  const { state } = context
  const found = (node: Peer): ValueResult => ({ key, value, node, hops: route.hops, path: route.path })
  if (route.values?.includes(value)) return found(route.owner)
  const tombstone = route.tombstones?.find((t) => t.value === value)
  const ownerRecord: StoredRecord | undefined = tombstone ? { key, value, version: tombstone.version, deleted: true } : undefined
  const newest = await newestAmongHolders(context, key, value, route, ownerRecord)
  if (!newest || newest.record.deleted) {
    throw new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${state.space.toHex(key)}, owner ${state.short(route.owner)})`)
  }
  // Read repair: the owner gets the copy it lacked (best effort; replica sync would bring it too).
  if (newest.holder.id !== route.owner.id) {
    await context.ask(route.owner, (owner) => owner.insert({ records: [newest.record], role: 'handoff', copies: state.config.replicas })).catch(() => undefined)
  }
  return found(newest.holder)
}

/**
 * delete(value) through the ring: the owner writes a tombstone and copies it to its predecessors. When the
 * owner holds no live copy, the key's other holders are asked first, so a delete racing a handoff deletes
 * the value instead of answering NOT_FOUND.
 */
export async function deleteValue(context: NodeContext, value: string): Promise<ValueResult & { deleted: number }> {
  const { state } = context
  const key = keyOf(context, value)
  const unanswered = new Unanswered('delete', state.space.toHex(key))
  let lastError: unknown
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const route = await unanswered.during(() => findOwner(context, key, state.config.routeMode))
    let deleted: Answer<number>
    try {
      deleted = await deleteAtOwner(context, route, key, value, unanswered)
    } catch (error) {
      lastError = error
      if (isDhtError(error, 'NOT_OWNER')) continue // the ring moved under us: route again
      throw unanswered.or(error)
    }
    if (!deleted.answered) {
      lastError = unanswered.note(deleted.error) // the owner is gone and forgotten: the next route finds who holds its range
      continue
    }
    if (deleted.value === 0) throw unanswered.or(new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${state.space.toHex(key)})`))
    return { key, value, node: route.owner, hops: route.hops, path: route.path, deleted: deleted.value }
  }
  throw unanswered.or(new DhtError('ROUTE_FAILED', `could not delete: ${errorMessage(lastError)}`))
}

/** The owner's delete; when it holds no live copy, the other holders are asked whether one is on its way. */
export async function deleteAtOwner(context: NodeContext, route: RouteResult, key: Id, value: string, unanswered: Unanswered): Promise<Answer<number>> {
  const r = context.state.config.replicas
  const options: DeleteOptions = route.inherited ? { heir: true } : {}
  // A first attempt that went unanswered may have deleted the value: then "nothing to delete" is no NOT_FOUND.
  const noted = (answer: Answer<number>): Answer<number> => {
    if (answer.answered && answer.late) unanswered.note(answer.late)
    return answer
  }
  const first = noted(await context.ask(route.owner, async (owner) => (await owner.delete({ key, value, copies: r, ...options })).deleted))
  if (!first.answered || first.value > 0) return first
  const newest = await newestAmongHolders(context, key, value, route, undefined)
  if (!newest || newest.record.deleted) return first
  // A live copy elsewhere: the owner's tombstone must outdate it (unless the owner knows a newer delete).
  return noted(await context.ask(route.owner, async (owner) => (await owner.delete({ key, value, copies: r, ...options, after: newest.record.version })).deleted))
}

/**
 * The newest record of `value` on the key's holders: the owner (unless its answer came with the route)
 * and its predecessors, at least one and up to r-1 of them, walking back through each one's predecessor.
 */
async function newestAmongHolders(
  context: NodeContext,
  key: Id,
  value: string,
  route: RouteResult,
  ownerRecord: StoredRecord | undefined,
): Promise<{ record: StoredRecord; holder: Peer } | undefined> {
  const ownerAnswered = route.values !== undefined
  const queue: Peer[] = ownerAnswered ? route.holders.slice(1) : [...route.holders]
  const seen = new Set<Id>(ownerAnswered ? [route.owner.id] : [])
  let newest = ownerRecord ? { record: ownerRecord, holder: route.owner } : undefined
  let answered = ownerAnswered
  let asked = ownerAnswered ? 1 : 0
  const holders = Math.max(context.state.config.replicas, 2)
  // With virtual nodes a holder's predecessors may be its own process's, which hold no copy: they are
  // walked through (their predecessor pointer leads on) but not counted, up to a bound.
  const processes = new Set<string>(ownerAnswered ? [processOf(route.owner)] : [])
  let walked = 0
  let lastError: unknown
  // A holder that stayed silent may hold the newest copy: without it, "not stored" cannot be said.
  let silent: DhtError | undefined
  while (queue.length > 0 && asked < holders && walked++ < MAX_HOLDER_WALK) {
    const holder = queue.shift()!
    if (seen.has(holder.id)) continue
    seen.add(holder.id)
    const process = processOf(holder)
    if (!processes.has(process)) asked++
    processes.add(process)
    const read = await context.ask(holder, (node) => node.get({ key }))
    if (!read.answered) {
      lastError = read.error
      if (isDhtError(read.error, 'PEER_TIMEOUT')) silent ??= read.error
      continue
    }
    answered = true
    const record = read.value.records.find((r) => r.value === value)
    if (record && isNewer(record, newest?.record)) newest = { record, holder }
    const back = read.value.predecessor
    if (queue.length === 0 && back && !seen.has(back.id)) queue.push(back)
  }
  if (!answered) throw new DhtError('ROUTE_FAILED', `no holder of ${context.state.space.toHex(key)} answered: ${errorMessage(lastError)}`)
  if (silent && (!newest || newest.record.deleted)) {
    throw new DhtError('PEER_TIMEOUT', `a holder of ${context.state.space.toHex(key)} did not answer, so whether "${preview(value)}" is stored is unknown (${errorMessage(silent)})`)
  }
  return newest
}

/** insert: a client write the owner (or the heir) stamps, or copies it merges; then down the chain of copies. */
export async function insert(context: NodeContext, records: StoredRecord[], role: InsertRole, copies: number): Promise<void> {
  const { state } = context
  let changed: StoredRecord[]
  if (role === 'store' || role === 'heir') {
    const stray = role === 'store' ? records.find((r) => !state.owns(r.key)) : undefined
    if (stray) throw new DhtError('NOT_OWNER', `key ${state.space.toHex(stray.key)} is not in this node's range`)
    changed = records.map((r) => {
      const stamped = { key: r.key, value: r.value, version: state.versions.next(state.store.recordOf(r.key, r.value)?.version), deleted: false }
      state.store.merge(stamped)
      return stamped
    })
  } else {
    // A copy down the chain for a key whose copy another node of this process holds (virtual nodes)
    // is not ours to keep: it passes on to the next process, still owed the same number of copies.
    const holding = role === 'replica' ? state.holding() : undefined
    const passing = holding ? records.filter((r) => holding(r.key) === 'sibling') : []
    if (passing.length > 0) await replicate(context, passing, copies)
    const cutoff = state.tombstoneCutoff()
    for (const r of records) state.versions.observe(r.version)
    changed = records.filter((r) => !passing.includes(r) && state.store.merge(r, cutoff))
  }
  // Stop when nothing was new: the chain has wrapped round a small ring, or a copy was already there.
  if (copies > 1 && changed.length > 0) await replicate(context, changed, copies - 1)
}

/** get(key): everything held for the key, and who holds it next (for a lookup that walks the holders). */
export async function get(context: NodeContext, key: Id): Promise<KeyRead> {
  return { records: context.state.store.records(key), predecessor: context.state.predecessor }
}

/**
 * A client delete at the owner: a tombstone for the value (every live value of the key when none is
 * given), newer than what we hold and than `after`, a live version seen on another holder.
 */
export async function deleteEntries(context: NodeContext, key: Id, value: string | undefined, copies: number, options: DeleteOptions = {}): Promise<number> {
  const { state } = context
  if (!options.heir && !state.owns(key)) throw new DhtError('NOT_OWNER', `key ${state.space.toHex(key)} is not in this node's range`)
  const targets = value === undefined ? state.store.get(key) : [value]
  const tombstones: StoredRecord[] = []
  for (const target of targets) {
    const current = state.store.recordOf(key, target)
    const liveHere = current !== undefined && !current.deleted
    const seenLive = options.after !== undefined && isNewer({ version: options.after, deleted: false }, current)
    if (!liveHere && !seenLive) continue
    const tombstone = { key, value: target, version: state.versions.next(Math.max(current?.version ?? 0, options.after ?? 0)), deleted: true }
    state.store.merge(tombstone)
    tombstones.push(tombstone)
  }
  if (copies > 1 && tombstones.length > 0) await replicate(context, tombstones, copies - 1)
  return tombstones.length
}

/** The records of [from, to), for a predecessor keeping its copy of our range up to date. */
export async function rangeEntries(context: NodeContext, from: Id, to: Id, digest?: string): Promise<RangeAnswer> {
  const { state } = context
  if (state.status !== 'ready') throw new DhtError('NOT_READY', `node is ${state.status}`)
  if (from !== state.self.id || !state.holds(to)) throw new DhtError('NOT_OWNER', 'range is not held here')
  const entries = state.store.recordsIn(from, to)
  if (digest !== undefined && digest === digestOf(entries)) return { unchanged: true }
  return { unchanged: false, entries }
}

/**
 * Copies down the chain: our predecessor holds the next copy. A predecessor we do not know (it failed and
 * the new one has not notified us yet) or that fails now is found by routing to the id just before ours,
 * so a write is not acknowledged with fewer copies only because our pointer lags behind the ring.
 */
async function replicate(context: NodeContext, records: StoredRecord[], copies: number): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const predecessor = context.state.predecessor ?? (await predecessorByRoute(context))
    if (!predecessor) return
    const sent = await context.ask(predecessor, (node) => node.insert({ records, role: 'replica', copies })).catch((error: unknown) => {
      context.log(`replica to ${context.state.short(predecessor)} refused: ${errorMessage(error)}`)
      return { answered: true as const }
    })
    if (sent.answered) return
  }
}

/** The node before us as routing finds it: the owner of the id just before ours. None when we are alone. */
async function predecessorByRoute(context: NodeContext): Promise<Peer | undefined> {
  const { state } = context
  if (sameNode(state.successor, state.self)) return undefined
  const justBefore = (state.self.id - 1n + state.space.size) % state.space.size
  const route = await findOwner(context, justBefore, state.config.routeMode).catch(() => undefined)
  return route && !sameNode(route.owner, state.self) ? route.owner : undefined
}

/** A value's key, once it is known to fit the ring's value limit. */
export function keyOf(context: NodeContext, value: string): Id {
  const limit = context.state.config.maxValueBytes
  if (Buffer.byteLength(value, 'utf8') > limit) throw new DhtError('PAYLOAD_TOO_LARGE', `value is larger than ${limit} bytes`)
  return context.state.space.hash(value)
}
