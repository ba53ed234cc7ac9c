// LEAVE on request: the leaving node hands its range to its predecessor and links its neighbours,
// so leaves and joins in a row lose nothing and every key stays on its owner.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'
import {
  buildRing,
  check,
  failedLookups,
  keysOf,
  lookup,
  lostValues,
  only,
  POINTER_KINDS,
  sample,
  seeds,
  settle,
  show,
  storeValues,
  valuesNotOnOwner,
  type LookupAnswer,
} from './helpers.js'

const VALUES = 300
const MAX_ROUNDS = 10

/** Each value's lookup answer, plus values never stored (which must stay NOT_FOUND). */
async function answers(sim: SimRing, values: string[]): Promise<Map<string, LookupAnswer>> {
  const out = new Map<string, LookupAnswer>()
  for (const value of values) out.set(value, await lookup(sim, value))
  return out
}

for (const replicas of [1, 3]) {
  for (const seed of seeds([31, 32, 33])) {
    test(`10 leaves then 10 joins in a row: nothing lost, same lookups (r = ${replicas}, seed ${seed})`, async (t) => {
      const label = `seed ${seed}, r = ${replicas}`
      const sim = await buildRing({ seed, nodes: 16, config: { replicas } })
      await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
      const values = await storeValues(sim, VALUES, `leave-${seed}`)
      const keys = keysOf(sim, values)
      const absent = Array.from({ length: 20 }, (_, i) => `never-stored-${seed}-${i}`)
      const before = await answers(sim, [...values, ...absent])
      for (const value of values) assert.equal(before.get(value)?.found, true, `${label}: "${value}" not found before the leaves`)
      for (const value of absent) assert.deepEqual(before.get(value), { found: false, code: 'NOT_FOUND' }, `${label}: "${value}" before`)

      // No maintenance in between: the rewiring and the handoffs alone must keep every key on its owner.
      const ops = [...Array<'leave'>(10).fill('leave'), ...Array<'join'>(10).fill('join')]
      for (const [i, op] of ops.entries()) {
        if (op === 'leave') await sim.leave(sim.random.pick(sim.nodes))
        else await sim.join()
        const violations = only(check(sim, keys), [...POINTER_KINDS, 'owner'])
        assert.deepEqual(violations, [], `${label}, after op ${i + 1} (${op}): ${show(violations)}`)
        const misplaced = valuesNotOnOwner(sim, values)
        assert.deepEqual(misplaced, [], `${label}, after op ${i + 1} (${op}): values not on their owner ${sample(misplaced)}`)
      }
      if (replicas === 1) {
        const violations = check(sim, keys)
        assert.deepEqual(violations, [], `${label}: with one copy the ring is exact with no maintenance: ${show(violations)}`)
      }
      const after = await answers(sim, [...values, ...absent])
      for (const [value, answer] of before) assert.deepEqual(after.get(value), answer, `${label}: lookup of "${value}" changed`)

      const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
      t.diagnostic(`${label}: clean after ${rounds} maintenance rounds`)
      assert.deepEqual(violations, [], `${label}: not clean after ${rounds} rounds: ${show(violations)}`)
      assert.deepEqual(lostValues(sim, values), [], `${label}: values lost`)
      const settled = await answers(sim, [...values, ...absent])
      for (const [value, answer] of before) assert.deepEqual(settled.get(value), answer, `${label}: lookup of "${value}" changed after maintenance`)
    })

    test(`leaves with maintenance in between, down to one node (r = ${replicas}, seed ${seed})`, async () => {
      const label = `seed ${seed}, r = ${replicas}`
      const sim = await buildRing({ seed, nodes: 12, bits: 8, config: { replicas } })
      const values = await storeValues(sim, 100, `down-${seed}`)
      const keys = keysOf(sim, values)
      while (sim.nodes.length > 1) {
        await sim.leave(sim.random.pick(sim.nodes))
        const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
        assert.deepEqual(violations, [], `${label}, N = ${sim.nodes.length}, after ${rounds} rounds: ${show(violations)}`)
      }
      const last = sim.nodes[0]!
      assert.equal(last.store.valueCount, values.length, `${label}: the last node holds every value`)
      assert.deepEqual(await failedLookups(sim, values), [], `${label}: lookups on the last node`)
      await assert.rejects(
        () => sim.leave(last),
        (error: unknown) => isDhtError(error, 'LAST_NODE'),
        `${label}: the last node may not leave`,
      )
      assert.equal(last.status, 'ready', `${label}: a refused leave leaves the node running`)
      assert.deepEqual(sim.nodes, [last])
    })
  }
}

test('leaving the only node of a fresh ring gives LAST_NODE', async () => {
  const sim = new SimRing({ seed: 34 })
  const only = sim.bootstrap()
  await assert.rejects(() => only.leave(), (error: unknown) => isDhtError(error, 'LAST_NODE'))
  await assert.rejects(() => sim.leave(only), (error: unknown) => isDhtError(error, 'LAST_NODE'))
  assert.equal(sim.nodes.length, 1)
})
