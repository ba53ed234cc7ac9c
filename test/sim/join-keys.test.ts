// JOIN moves exactly the right keys: a joiner receives its range from its predecessor, the copies
// follow through replica sync, and nothing is lost, duplicated or left behind.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildRing, check, failedLookups, keysOf, lostValues, sample, seeds, settle, show, storeValues, valuesNotOnOwner } from './helpers.js'

const VALUES = 200
const JOINS = 10
const MAX_ROUNDS = 10

for (const bits of [160, 8]) {
  for (const replicas of [1, 2, 3]) {
    for (const seed of seeds([21, 22, 23])) {
      test(`join moves the right keys: r = ${replicas}, bits ${bits}, ${VALUES} values, ${JOINS} joins (seed ${seed})`, async (t) => {
        const label = `seed ${seed}, r = ${replicas}, bits ${bits}`
        const sim = await buildRing({ seed, nodes: 4, bits, config: { replicas } })
        await settle(sim, { maxRounds: MAX_ROUNDS })
        const values = await storeValues(sim, VALUES, `join-${seed}`)
        const keys = keysOf(sim, values)
        const before = check(sim, keys)
        assert.deepEqual(before, [], `${label}: ring not clean after the stores: ${show(before)}`)

        for (let j = 0; j < JOINS; j++) {
          await sim.join()
          // The joiner took its range from its predecessor before being linked in: every value is on its owner at once.
          const misplaced = valuesNotOnOwner(sim, values)
          assert.deepEqual(misplaced, [], `${label}, after join ${j + 1}: values not on their owner ${sample(misplaced)}`)
          if (replicas === 1) {
            // One copy: the handoff deletes what it hands over, so the ring is exactly right with no maintenance.
            const violations = check(sim, keys)
            assert.deepEqual(violations, [], `${label}, right after join ${j + 1}: ${show(violations)}`)
          }
        }

        const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
        t.diagnostic(`${label}: clean after ${rounds} maintenance rounds`)
        assert.deepEqual(violations, [], `${label}: not clean after ${rounds} rounds: ${show(violations)}`)
        assert.deepEqual(lostValues(sim, values), [], `${label}: values lost`)
        const notOnOwner = valuesNotOnOwner(sim, values)
        assert.deepEqual(notOnOwner, [], `${label}: values not on their owner ${sample(notOnOwner)}`)

        if (replicas === 1) {
          for (const value of values) {
            const key = sim.space.hash(value)
            const holders = sim.nodes.filter((n) => n.store.get(key).includes(value))
            assert.equal(holders.length, 1, `${label}: "${value}" is on ${holders.length} nodes`)
          }
        } else {
          // Every value (not only every key) on exactly min(r, N) nodes.
          for (const value of values) {
            const key = sim.space.hash(value)
            const holders = sim.nodes.filter((n) => n.store.get(key).includes(value)).length
            assert.equal(holders, Math.min(replicas, sim.nodes.length), `${label}: "${value}" is on ${holders} nodes`)
          }
        }

        const failed = await failedLookups(sim, values)
        assert.deepEqual(failed, [], `${label}: lookups failed ${sample(failed)}`)
        // One more round changes nothing.
        await sim.maintain({ fingers: true })
        const stable = check(sim, keys)
        assert.deepEqual(stable, [], `${label}: a round on a clean ring broke it: ${show(stable)}`)
      })
    }
  }
}

test('join into a ring of one and of two: the whole key space is split correctly', async () => {
  for (const seed of seeds([24, 25])) {
    for (const replicas of [1, 3]) {
      const label = `seed ${seed}, r = ${replicas}`
      const sim = await buildRing({ seed, nodes: 1, bits: 8, config: { replicas } })
      const values = await storeValues(sim, 60, `small-${seed}`)
      const keys = keysOf(sim, values)
      for (let n = 2; n <= 4; n++) {
        await sim.join()
        assert.deepEqual(valuesNotOnOwner(sim, values), [], `${label}, N = ${n}: values not on their owner`)
        const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
        assert.deepEqual(violations, [], `${label}, N = ${n}, after ${rounds} rounds: ${show(violations)}`)
      }
      assert.deepEqual(await failedLookups(sim, values), [], `${label}: lookups failed`)
    }
  }
})
