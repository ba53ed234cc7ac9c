// Deletes in the simulator: the rule for a store and a delete of one value racing each other (the one
// the owner applies last wins, and every copy ends the same), a delete that never comes undone while a
// join hands its range over, and tombstones that expire after the grace period so memory comes back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { buildRing, lookup, seeds, settle, show, storeValues } from './helpers.js'
import type { SimRing } from '../../src/workbench/sim/sim-ring.js'

/** Every node's record of the value: 'live', 'deleted' or absent, in ring order. */
function copiesOf(sim: SimRing, value: string): string[] {
  const key = sim.space.hash(value)
  return sim.sorted().flatMap((node) => {
    const record = node.store.recordOf(key, value)
    return record ? [record.deleted ? 'deleted' : 'live'] : []
  })
}

for (const seed of seeds([81, 82, 83])) {
  for (const order of ['store, then delete', 'delete, then store'] as const) {
    test(`a store and a delete of one value reaching its owner in turn: the later wins on every copy (${order}, seed ${seed})`, async () => {
      const sim = await buildRing({ seed, nodes: 8, config: { replicas: 3 } })
      await settle(sim, { maxRounds: 20, fingers: true })
      const value = `raced-${seed}`
      const key = sim.space.hash(value)
      await sim.random.pick(sim.nodes).storeValue(value)
      const owner = sim.ownerOf(key)
      const before = owner.store.recordOf(key, value)!.version
      // Both handed to the owner at once: it stamps each as it applies it, the second above the first.
      const store = () => owner.insert({ records: [{ key, value, version: 0, deleted: false }], role: 'store', copies: 3 })
      const del = () => owner.delete({ key, value, copies: 3 })
      await Promise.all(order === 'store, then delete' ? [store(), del()] : [del(), store()])
      const final = owner.store.recordOf(key, value)!
      assert.ok(final.version > before + 1, `seed ${seed}: both wrote a newer version`)
      const expectLive = order === 'delete, then store'
      assert.equal(final.deleted, !expectLive, `seed ${seed}: ${order}: the ${expectLive ? 'store' : 'delete'} came last and wins`)
      const { violations } = await settle(sim, { maxRounds: 10 })
      assert.deepEqual(violations, [], `seed ${seed}: ${show(violations)}`)
      assert.deepEqual(new Set(copiesOf(sim, value)), new Set([expectLive ? 'live' : 'deleted']), `seed ${seed}: every copy agrees`)
      for (const node of sim.nodes) assert.equal((await lookup(sim, value, node)).found, expectLive, `seed ${seed}: lookup from ${sim.space.toHex(node.self.id).slice(0, 8)}`)
    })
  }

  test(`a store and a delete of one value sent at once from two nodes: both acknowledged, and every copy and lookup ends as the owner decided (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 8, config: { replicas: 3 }, reorder: 4 })
    await settle(sim, { maxRounds: 20, fingers: true })
    for (let round = 0; round < 10; round++) {
      const value = `raced-${seed}-${round}`
      const key = sim.space.hash(value)
      await sim.random.pick(sim.nodes).storeValue(value)
      await Promise.all([sim.random.pick(sim.nodes).storeValue(value), sim.random.pick(sim.nodes).deleteValue(value)])
      await settle(sim, { maxRounds: 10 })
      const decided = sim.ownerOf(key).store.recordOf(key, value)!
      assert.deepEqual(new Set(copiesOf(sim, value)), new Set([decided.deleted ? 'deleted' : 'live']), `seed ${seed}, round ${round}: every copy agrees with the owner`)
      assert.equal((await lookup(sim, value)).found, !decided.deleted, `seed ${seed}, round ${round}: the lookup agrees with the owner`)
    }
  })

  test(`deletes while nodes join through the very ranges being deleted never come undone (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 10, config: { replicas: 3 }, reorder: 4 })
    await settle(sim, { maxRounds: 20, fingers: true })
    const values = await storeValues(sim, 200, `undone-${seed}`)
    // The deletes and four joins at once, their messages interleaved.
    const joiners: ChordNode[] = Array.from({ length: 4 }, () => sim.createNode())
    const via = [...sim.nodes]
    const [deletes] = await Promise.all([
      Promise.all(values.map((value) => sim.random.pick(via).deleteValue(value).then(() => 'deleted' as const, (error: unknown) => (isDhtError(error, 'NOT_FOUND') ? 'not found' : `${String(error)}`)))),
      Promise.all(joiners.map((node) => node.joinVia(sim.random.pick(via).self).then(() => sim.nodes.push(node)))),
    ])
    assert.deepEqual(deletes.filter((d) => d !== 'deleted'), [], `seed ${seed}: every delete of a stored value is acknowledged`)
    const { violations } = await settle(sim, { maxRounds: 20 })
    assert.deepEqual(violations, [], `seed ${seed}: ${show(violations)}`)
    const back = values.filter((value) => copiesOf(sim, value).includes('live'))
    assert.deepEqual(back, [], `seed ${seed}: deleted values back`)
  })
}

test('tombstones expire after the grace period everywhere, and memory comes back', async () => {
  const graceMs = 5000
  const sim = await buildRing({ seed: 91, nodes: 8, config: { replicas: 3, tombstoneGraceMs: graceMs } })
  await settle(sim, { maxRounds: 20, fingers: true })
  const values = await storeValues(sim, 60, 'expiring')
  for (const value of values) await sim.random.pick(sim.nodes).deleteValue(value)
  const tombstones = () => sim.nodes.reduce((sum, node) => sum + node.store.tombstoneCount, 0)
  const live = () => sim.nodes.reduce((sum, node) => sum + node.store.valueCount, 0)
  assert.equal(live(), 0)
  assert.equal(tombstones(), 60 * 3, 'each delete leaves a tombstone on the key\'s three holders')
  // Rounds within the grace period keep them (each round is one stabilize period of simulated time).
  for (let round = 0; round < graceMs / sim.config.stabilizeIntervalMs - 1; round++) await sim.maintain()
  assert.equal(tombstones(), 60 * 3, 'still within the grace period')
  for (let round = 0; round < 2; round++) await sim.maintain()
  assert.equal(tombstones(), 0, 'past the grace period every tombstone is gone')
  for (const value of values.slice(0, 5)) assert.equal((await lookup(sim, value)).found, false)
})
