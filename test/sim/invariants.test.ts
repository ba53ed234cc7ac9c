// The checker itself, on hand-made views: a healthy ring passes, and each kind of damage is reported
// with the short ids of the nodes involved. (The simulation tests are only as good as this.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Peer } from '../../src/node/protocol/types.js'
import { IdSpace, type Id } from '../../src/node/ring.js'
import { checkRing, viewOf, type NodeView, type ViolationKind } from '../../src/tools/ring-invariants.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'

const space = new IdSpace(8)
const peer = (id: number): Peer => ({ id: BigInt(id), host: 'h', port: id })
const IDS = [10, 50, 100, 150, 200]

/** A perfect ring of IDS with r copies of each key in `keys`, placed by the lab's rule. */
function healthy(r: number, keys: Id[] = []): NodeView[] {
  const n = IDS.length
  return IDS.map((id, i) => {
    const successors = Array.from({ length: Math.min(r, n - 1) }, (_, k) => peer(IDS[(i + 1 + k) % n]!))
    // Node i holds [id_i, id_{i+r}) (everything when n <= r).
    const end = BigInt(IDS[(i + r) % n]!)
    const start = BigInt(id)
    const held = keys.filter((key) => (n <= r ? true : start < end ? key >= start && key < end : key >= start || key < end))
    return { self: peer(id), predecessor: peer(IDS[(i - 1 + n) % n]!), successors, keys: held }
  })
}

const kinds = (views: NodeView[], r: number, storedKeys?: Id[]): ViolationKind[] =>
  checkRing(views, space, storedKeys ? { replicas: r, storedKeys } : { replicas: r }).map((v) => v.kind)

const KEYS: Id[] = [0n, 10n, 11n, 49n, 50n, 120n, 199n, 200n, 255n]

test('a healthy ring has no violations, for r = 1, 2, 3 and r >= N', () => {
  for (const r of [1, 2, 3, 5, 8]) assert.deepEqual(checkRing(healthy(r, KEYS), space, { replicas: r, storedKeys: KEYS }), [], `r = ${r}`)
  // Duplicated entries of one key (several values) are fine.
  const views = healthy(2, KEYS)
  views[0]!.keys.push(...views[0]!.keys)
  assert.deepEqual(checkRing(views, space, { replicas: 2 }), [])
})

test('a ring of one node: successor itself or nothing, no predecessor', () => {
  const alone: NodeView = { self: peer(7), predecessor: null, successors: [peer(7)], keys: [1n, 200n] }
  assert.deepEqual(checkRing([alone], space, { replicas: 3, storedKeys: [1n, 200n] }), [])
  assert.deepEqual(checkRing([{ ...alone, successors: [] }], space, { replicas: 1 }), [])
  assert.deepEqual(kinds([{ ...alone, successors: [peer(9)] }], 1), ['ring', 'ring', 'order', 'successor-list'])
})

test('two rings, a node outside the ring, and a dead successor are ring violations', () => {
  // 10 -> 50 -> 10 and 100 -> 150 -> 200 -> 100: two cycles.
  const views = healthy(1)
  views[1]!.successors = [peer(10)]
  views[4]!.successors = [peer(100)]
  const violations = checkRing(views, space, { replicas: 1 })
  const ring = violations.filter((v) => v.kind === 'ring')
  assert.equal(ring.length, 1)
  assert.match(ring[0]!.message, /comes back after 2 of 5 nodes/)
  assert.match(ring[0]!.message, /not reached: \[64, 96, c8\]/)
  // Pointer to a node that is not among the views.
  const dead = healthy(1)
  dead[2]!.successors = [peer(123)]
  const messages = checkRing(dead, space, { replicas: 1 }).map((v) => `${v.kind}: ${v.message}`)
  assert.ok(messages.includes("ring: 64's successor 7b is not a live node"), messages.join('\n'))
  assert.ok(messages.some((m) => m.startsWith('ring: the walk along successors from 0a leaves the ring at 64')), messages.join('\n'))
})

test('a single cycle in the wrong order is an order violation only', () => {
  // 10 -> 100 -> 50 -> 150 -> 200 -> 10 visits everyone once, out of order.
  const views = healthy(1)
  views[0]!.successors = [peer(100)]
  views[2]!.successors = [peer(50)]
  views[1]!.successors = [peer(150)]
  const violations = checkRing(views, space, { replicas: 1 })
  assert.deepEqual([...new Set(violations.map((v) => v.kind))].sort(), ['order', 'successor-list'])
  assert.ok(violations.some((v) => v.message === 'successor of 0a is 64, expected 32'))
})

test('predecessor and successor-list damage', () => {
  const views = healthy(3)
  views[2]!.predecessor = peer(10)
  views[3]!.predecessor = null
  views[0]!.successors = [peer(50), peer(100)]
  const messages = checkRing(views, space, { replicas: 3 }).map((v) => `${v.kind}: ${v.message}`)
  assert.deepEqual(messages.sort(), [
    'predecessor: predecessor of 64 is 0a, expected 32',
    'predecessor: predecessor of 96 is none, expected 64',
    'successor-list: successor list of 0a is [32, 64], expected [32, 64, 96]',
  ])
})

test('keys: lost, not on the owner, too few copies, stray', () => {
  // r = 2: key 120 belongs to 100 and is copied on 50.
  const base = () => healthy(2, KEYS)
  const drop = (views: NodeView[], id: number, key: Id) => {
    const view = views.find((v) => v.self.id === BigInt(id))!
    view.keys = view.keys.filter((k) => k !== key)
  }
  // Lost: gone everywhere, noticed only through storedKeys.
  const lost = base()
  drop(lost, 100, 120n)
  drop(lost, 50, 120n)
  assert.deepEqual(kinds(lost, 2), [])
  const lostViolations = checkRing(lost, space, { replicas: 2, storedKeys: KEYS })
  assert.deepEqual(lostViolations.map((v) => v.message), ['key 78 is lost: no node holds it (owner 64)'])
  assert.equal(lostViolations[0]!.kind, 'owner')
  // Not on its owner.
  const notOwner = base()
  drop(notOwner, 100, 120n)
  assert.deepEqual(checkRing(notOwner, space, { replicas: 2 }).map((v) => `${v.kind}: ${v.message}`), ['owner: key 78 is not on its owner 64; held by [32]'])
  // A missing copy.
  const copies = base()
  drop(copies, 50, 120n)
  assert.deepEqual(checkRing(copies, space, { replicas: 2 }).map((v) => `${v.kind}: ${v.message}`), ['copies: key 78 (owner 64) has 1 of 2 copies; missing on [32]'])
  // Wrap-around: key 0 and key 255 belong to the last node (200) and are copied on 150.
  const wrap = base()
  drop(wrap, 150, 0n)
  assert.deepEqual(kinds(wrap, 2), ['copies'])
  // A stray: 10 should not hold 120.
  const stray = base()
  stray[0]!.keys.push(120n)
  assert.deepEqual(checkRing(stray, space, { replicas: 2 }).map((v) => `${v.kind}: ${v.message}`), [
    'stray: key 78 is on 0a, which should not hold it (owner 64, holders [64, 32])',
  ])
})

test('duplicate ids and an empty ring', () => {
  const views = healthy(1)
  views.push({ ...views[0]!, self: { ...views[0]!.self, port: 999 } })
  assert.deepEqual(kinds(views, 1), ['ring'])
  assert.deepEqual(kinds([], 1, [5n]), ['ring', 'owner'])
})

test('viewOf reads a ChordNode as the checker needs it', async () => {
  const sim = new SimRing({ seed: 1, bits: 16, config: { replicas: 2 } })
  const first = sim.bootstrap()
  await first.storeValue('a')
  await first.storeValue('b')
  const second = await sim.join()
  const view = viewOf(second)
  assert.equal(view.self, second.self)
  assert.equal(view.predecessor?.id, first.self.id)
  assert.deepEqual(view.successors.map((p) => p.id), [first.self.id])
  assert.equal(view.status, 'ready')
  assert.deepEqual([...view.keys].sort(), [sim.space.hash('a'), sim.space.hash('b')].sort())
  assert.deepEqual(checkRing(sim.nodes.map(viewOf), sim.space, { replicas: 2, storedKeys: [sim.space.hash('a'), sim.space.hash('b')] }), [])
})
