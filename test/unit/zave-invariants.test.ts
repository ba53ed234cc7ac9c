// Zave's ring invariants (src/tools/zave-invariants.ts) on hand-made views: members and best successors,
// rings and appendages, each invariant broken on its own, and a joiner that is a member only once a
// member lists it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Peer } from '../../src/node/protocol/types.js'
import type { NodeView } from '../../src/tools/ring-invariants.js'
import { checkZave, isOneOrderedRing, memberViews, ringStructure } from '../../src/tools/zave-invariants.js'

const peer = (id: number): Peer => ({ id: BigInt(id), host: '127.0.0.1', port: 5000 + id })
const [A, B, C, D] = [peer(10), peer(20), peer(30), peer(40)]
const view = (self: Peer, successors: Peer[], status = 'ready', predecessor: Peer | null = null): NodeView => ({ self, successors, status, predecessor, keys: [] })
const rules = (views: NodeView[]) => checkZave(views).map((v) => v.invariant)

test('an ordered ring breaks nothing, and a node alone is a ring of one', () => {
  const ring = [view(A, [B, C]), view(B, [C, A]), view(C, [A, B])]
  assert.deepEqual(checkZave(ring), [])
  assert.ok(isOneOrderedRing(ring))
  assert.deepEqual(checkZave([view(A, [A])]), [])
  assert.deepEqual(ringStructure([view(A, [A])]).cycles, [[A.id]])
})

test('the best successor is the first entry that is a member: crashed (absent) and stopped nodes are skipped', () => {
  const views = [view(A, [B, C]), view(C, [D, A]), view(D, [A]), view(B, [C], 'stopped')]
  const structure = ringStructure(views)
  assert.equal(structure.best.get(A.id)?.id, C.id)
  assert.deepEqual(structure.cycles, [[A.id, C.id, D.id]])
  assert.deepEqual(checkZave(views), [])
})

test('AtLeastOneRing: every walk ends at a member with no live successor', () => {
  const views = [view(A, [B]), view(C, [A])]
  assert.deepEqual(rules(views), ['AtLeastOneRing'])
  assert.match(checkZave(views)[0]!.message, /5010 has no live successor in \[.*5020\]/)
})

test('AtMostOneRing: two cycles (and, as Zave defines it over all ring members, each ring skips the other\'s)', () => {
  assert.deepEqual(rules([view(A, [B]), view(B, [A]), view(C, [D]), view(D, [C])]), ['AtMostOneRing', 'OrderedRing', 'OrderedRing'])
})

test('OrderedRing: a cycle that winds round the circle twice skips ring members', () => {
  const violations = checkZave([view(A, [C]), view(C, [B]), view(B, [A])])
  assert.deepEqual(violations.map((v) => v.invariant), ['OrderedRing', 'OrderedRing', 'OrderedRing'])
  assert.ok(violations.some((v) => v.node?.id === A.id && /best successor 1e@5030 skips ring member 14@5020/.test(v.message)))
})

test('ConnectedAppendages: an appendage whose walk ends at a dead end while a ring exists', () => {
  const views = [view(A, [C]), view(C, [A]), view(B, [D])]
  assert.deepEqual(rules(views), ['ConnectedAppendages'])
  // An appendage that reaches the ring is fine, even pointing past a member.
  assert.deepEqual(rules([view(A, [C]), view(C, [A]), view(B, [C])]), [])
})

test('a joining node is a member once a member lists it, not before', () => {
  const joiner = view(B, [D], 'joining')
  assert.ok(!memberViews([view(A, [C]), view(C, [A]), joiner]).has(B.id))
  assert.deepEqual(rules([view(A, [C]), view(C, [A]), joiner]), [])
  assert.ok(memberViews([view(A, [B]), view(C, [A]), joiner]).has(B.id))
  assert.deepEqual(rules([view(A, [B]), view(C, [A]), joiner]), ['AtLeastOneRing'])
  // Still joining, with no successor of its own: never a member.
  assert.ok(!memberViews([view(A, [B]), view(B, [B], 'joining')]).has(B.id))
})
