// What must hold after every step of every explored run: Zave's four ring invariants, over the live
// nodes' own views (src/tools/zave-invariants.ts, beside the project's ring checks), the content rules
// (no acknowledged value lost, no acknowledged delete undone) and no node throwing on a message. And
// what a run must come to when maintenance alone runs on: one ordered ring, every pointer right
// (src/tools/ring-invariants.ts's checkRing), and lookups that agree with what was acknowledged.
import { isNewer } from '../../node/protocol/key-store.js'
import type { Peer, StoredRecord } from '../../node/protocol/types.js'
import { checkRing } from '../../tools/ring-invariants.js'
import { checkZave, memberViews, type ZaveInvariant } from '../../tools/zave-invariants.js'
import type { World } from './world.js'

export type ContentRule = 'AcknowledgedValueLost' | 'AcknowledgedDeleteUndone'
export type RunRule = 'HandlerThrew' | 'Converges' | 'LookupAgrees'
export type Rule = ZaveInvariant | ContentRule | RunRule

export interface Finding {
  rule: Rule
  message: string
  /** The step after which it was seen. */
  step: number
}

/** Rules a run's end breaks (maintenance did not converge, a lookup disagreed): found by running on, not in one state. */
export const END_RULES: readonly Rule[] = ['Converges', 'LookupAgrees']

export const nameOf = (peer: Peer): string => `@${peer.port}`

/**
 * The first rule the world's present state breaks, if any. Zave's invariants assume a failure is never
 * suspected wrongly; with lost messages (LOSS=1) a live node that missed two answers in a row is taken
 * for failed, so then only the content rules hold in every state, and the ring must come back at the end.
 */
export function checkState(world: World): Finding | undefined {
  const step = world.step
  const thrown = world.network.thrown[0]
  if (thrown) return { rule: 'HandlerThrew', message: thrown, step }
  const zave = world.options.loss ? undefined : checkZave(world.views(), nameOf)[0]
  if (zave) return { rule: zave.invariant, message: zave.message, step }
  return world.options.variant.content ? checkContent(world) : undefined
}

/** The newest record of a value among the live nodes: what the ring will agree on once copies meet. */
export function newestRecord(world: World, value: string): { record: StoredRecord; holder: Peer } | undefined {
  let newest: { record: StoredRecord; holder: Peer } | undefined
  for (const node of world.live()) {
    for (const record of node.records(value)) if (isNewer(record, newest?.record)) newest = { record, holder: node.self }
  }
  return newest
}

/**
 * An acknowledged store must stay the newest thing the live nodes hold of its value (until its delete
 * starts), and an acknowledged delete must stay newer than any live copy: otherwise the copies that
 * remain would, as they meet, lose the value or bring it back.
 */
function checkContent(world: World): Finding | undefined {
  for (const value of world.values) {
    const progress = world.valueProgress(value)
    const newest = newestRecord(world, value)
    if (progress.store === 'done' && progress.delete === undefined && (!newest || newest.record.deleted)) {
      const where = newest ? `the newest record is a tombstone on ${nameOf(newest.holder)}` : 'no live node holds it'
      return { rule: 'AcknowledgedValueLost', message: `"${value}" was stored (acknowledged) and ${where}`, step: world.step }
    }
    if (progress.delete === 'done' && newest && !newest.record.deleted) {
      return { rule: 'AcknowledgedDeleteUndone', message: `"${value}" was deleted (acknowledged) but ${nameOf(newest.holder)} holds a live copy newer than every tombstone left`, step: world.step }
    }
  }
  return undefined
}

/** Whether the members form one ordered ring with every pointer right: the ring maintenance must come to. */
export function ringProblems(world: World): string[] {
  const members = [...memberViews(world.views()).values()]
  if (members.length === 0) return ['no members left']
  const kinds = new Set(['ring', 'order', 'predecessor', 'successor-list'])
  return checkRing(members, world.space, { replicas: world.options.replicas })
    .filter((v) => kinds.has(v.kind))
    .map((v) => v.message.replace(/\b([0-9a-f]{2})\b/g, (id) => labelOfId(world, id)))
}

/** checkRing names nodes by id; a checked ring's ids are two hex digits: say which port too. */
function labelOfId(world: World, hex: string): string {
  const peer = world.peers.find((p) => world.space.toHex(p.id) === hex)
  return peer ? `${hex}${nameOf(peer)}` : hex
}

/** What a lookup of each value must answer once the ring has settled: found after an acknowledged store, NOT_FOUND after an acknowledged delete. */
export function expectedLookup(world: World, value: string): 'found' | 'NOT_FOUND' | undefined {
  const progress = world.valueProgress(value)
  if (progress.delete === 'done') return 'NOT_FOUND'
  if (progress.store === 'done' && progress.delete === undefined) return 'found'
  return undefined // an operation that failed may or may not have been applied
}
