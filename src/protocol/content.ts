// The ring's content: STORE, LOOKUP and delete as the coordinating node runs them (findNode, then the
// owner), and the handlers the owner and its copies answer (insert, get, delete, range) with the chain
// of copies down the owner's predecessors.
import { DhtError, errorMessage, isDhtError } from '../errors.js'
import type { Id } from '../ring.js'
import { preview } from '../text.js'
import type { Answer, NodeContext } from './context.js'
import { digestOf } from './key-store.js'
import type { RemoteNode } from './remote.js'
import { findOwner } from './routing.js'
import type { Entry, InsertRole, Peer, RangeAnswer } from './types.js'

/** How many times a STORE re-routes when the ring moved under it (a join or a failure). */
const STORE_ATTEMPTS = 4

export interface ValueResult {
  key: Id
  value: string
  node: Peer
  hops: number
  path: Peer[]
}

/** STORE: findNode(hash(value)) then insert on the owner, which copies it to its predecessors. */
export async function storeValue(context: NodeContext, value: string): Promise<ValueResult> {
  const { state } = context
  checkValue(context, value)
  const key = state.space.hash(value)
  let lastError: unknown
  for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
    const route = await findOwner(context, key, state.config.routeMode)
    let stored: Answer<void>
    try {
      stored = await context.ask(route.owner, (owner) => owner.insert([{ key, value }], route.inherited ? 'handoff' : 'store', state.config.replicas))
    } catch (error) {
      lastError = error
      if (isDhtError(error, 'NOT_OWNER')) continue // the ring moved under us: route again
      throw error
    }
    if (stored.answered) return { key, value, node: route.owner, hops: route.hops, path: route.path }
    lastError = stored.error
    // The owner is gone: the node that inherits its range is the next holder.
    const heir = route.holders[1]
    if (!heir) continue
    try {
      await context.node(heir).insert([{ key, value }], 'handoff', state.config.replicas)
      return { key, value, node: heir, hops: route.hops, path: route.path }
    } catch (heirError) {
      lastError = heirError
    }
  }
  throw new DhtError('ROUTE_FAILED', `could not store: ${errorMessage(lastError)}`)
}

/** LOOKUP: findNode(hash(value)) then get(key) on the owner, or on a copy when the owner does not answer. */
export async function lookupValue(context: NodeContext, value: string): Promise<ValueResult> {
  const { state } = context
  checkValue(context, value)
  const key = state.space.hash(value)
  // The owner answers the last routing step with its values, which saves a round trip to get them.
  const route = await findOwner(context, key, state.config.routeMode, { withValues: true })
  const notStored = (holder: Peer) => new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${state.space.toHex(key)}, owner ${state.short(holder)})`)
  if (route.values) {
    if (!route.values.includes(value)) throw notStored(route.owner)
    return { key, value, node: route.owner, hops: route.hops, path: route.path }
  }
  let lastError: unknown
  for (const holder of route.holders) {
    const answer = await context.ask(holder, (node) => node.get(key))
    if (!answer.answered) {
      lastError = answer.error
      continue
    }
    if (!answer.value.includes(value)) throw notStored(holder)
    return { key, value, node: holder, hops: route.hops, path: route.path }
  }
  throw new DhtError('ROUTE_FAILED', `no holder of ${state.space.toHex(key)} answered: ${errorMessage(lastError)}`)
}

/** delete(value) through the ring: the owner and its copies drop it. */
export async function deleteValue(context: NodeContext, value: string): Promise<ValueResult & { deleted: number }> {
  const { state } = context
  checkValue(context, value)
  const key = state.space.hash(value)
  const route = await findOwner(context, key, state.config.routeMode)
  const deleted = await context.node(route.owner).delete(key, value, state.config.replicas)
  if (deleted === 0) throw new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${state.space.toHex(key)})`)
  return { key, value, node: route.owner, hops: route.hops, path: route.path, deleted }
}

/** insert: keep the entries and pass them to our predecessor while copies remain. */
export async function insert(context: NodeContext, entries: Entry[], role: InsertRole, copies: number): Promise<void> {
  const { state } = context
  if (role === 'store') {
    const stray = entries.find((e) => !state.owns(e.key))
    if (stray) throw new DhtError('NOT_OWNER', `key ${state.space.toHex(stray.key)} is not in this node's range`)
  }
  const added = entries.filter((e) => state.store.insert(e))
  // Stop when nothing was new: the chain has wrapped round a small ring, or a copy was already there.
  if (copies > 1 && added.length > 0) await replicateToPredecessor(context, (p) => p.insert(added, 'replica', copies - 1))
}

export async function get(context: NodeContext, key: Id): Promise<string[]> {
  return context.state.store.get(key)
}

export async function deleteEntries(context: NodeContext, key: Id, value: string | undefined, copies: number): Promise<number> {
  const deleted = context.state.store.delete(key, value)
  if (copies > 1 && deleted > 0) await replicateToPredecessor(context, (p) => p.delete(key, value, copies - 1))
  return deleted
}

/** The entries of [from, to), for a predecessor keeping its copy of our range up to date. */
export async function rangeEntries(context: NodeContext, from: Id, to: Id, digest?: string): Promise<RangeAnswer> {
  const { state } = context
  if (state.status !== 'ready') throw new DhtError('NOT_READY', `node is ${state.status}`)
  if (from !== state.self.id || !state.holds(to)) throw new DhtError('NOT_OWNER', 'range is not held here')
  const entries = state.store.entriesIn(from, to)
  if (digest !== undefined && digest === digestOf(entries)) return { unchanged: true }
  return { unchanged: false, entries }
}

async function replicateToPredecessor(context: NodeContext, send: (predecessor: RemoteNode) => Promise<unknown>): Promise<void> {
  const predecessor = context.state.predecessor
  if (!predecessor) return
  // Best effort: a missing copy is restored by the predecessor's next replica sync.
  await send(context.node(predecessor)).catch((error: unknown) => context.log(`replica to ${context.state.short(predecessor)} failed: ${errorMessage(error)}`))
}

function checkValue(context: NodeContext, value: string): void {
  const limit = context.state.config.maxValueBytes
  if (Buffer.byteLength(value, 'utf8') > limit) throw new DhtError('PAYLOAD_TOO_LARGE', `value is larger than ${limit} bytes`)
}
