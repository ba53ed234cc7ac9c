// Crashes with r = 3: two adjacent nodes fail at once, with no goodbye. Their ranges go to the live
// predecessor, which holds copies; lookups must keep working during the repair, and maintenance must
// restore the ring and every copy without losing a value.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { Id } from '../../src/node/ring.js'
import type { SimRing } from '../../src/workbench/sim/sim-ring.js'
import {
  buildRing,
  check,
  failedLookups,
  keysOf,
  lostValues,
  sample,
  seeds,
  settle,
  show,
  storeValues,
  valuesNotOnOwner,
} from './helpers.js'

const VALUES = 300
const MAX_ROUNDS = 20

for (const seed of seeds([41, 42, 43, 44, 45, 46])) {
  test(`crash of 2 adjacent nodes with r = 3: lookups during repair, no value lost (seed ${seed})`, async (t) => {
    const sim = await buildRing({ seed, nodes: 12, config: { replicas: 3 } })
    // 12 to 40 nodes, chosen by the seed.
    const n = 12 + sim.random.int(29)
    while (sim.nodes.length < n) await sim.join()
    const label = `seed ${seed}, N = ${n}`
    await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
    for (let round = 0; round < 2; round++) await sim.maintain({ fingers: true })
    const values = await storeValues(sim, VALUES, `crash-${seed}`)
    const keys = keysOf(sim, values)
    const clean = check(sim, keys)
    assert.deepEqual(clean, [], `${label}: not clean before the crash: ${show(clean)}`)

    const ring = sim.sorted()
    const first = sim.random.int(ring.length)
    const victims = [ring[first]!, ring[(first + 1) % ring.length]!]
    const inVictimRanges = values.filter((v) => victims.some((x) => x.self.id === sim.ownerOf(sim.space.hash(v)).self.id))
    for (const victim of victims) sim.crash(victim)

    // During repair: no maintenance has run, every pointer to the victims is stale.
    const during = await failedLookups(sim, values)
    const rate = (100 * (values.length - during.length)) / values.length
    t.diagnostic(`${label}: lookups during repair ${values.length - during.length}/${values.length} (${rate.toFixed(1)}%); ${inVictimRanges.length} values were owned by the crashed nodes`)
    assert.deepEqual(during, [], `${label}: lookups failed during repair (${rate.toFixed(1)}% succeeded): ${sample(during)}`)

    const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    t.diagnostic(`${label}: clean after ${rounds} maintenance rounds`)
    assert.deepEqual(violations, [], `${label}: not clean after ${rounds} rounds: ${show(violations)}`)
    assert.deepEqual(lostValues(sim, values), [], `${label}: values lost`)
    assert.deepEqual(valuesNotOnOwner(sim, values), [], `${label}: values not on their owner`)
    for (const value of values) {
      const key = sim.space.hash(value)
      const holders = sim.nodes.filter((node) => node.store.get(key).includes(value)).length
      assert.equal(holders, 3, `${label}: "${value}" on ${holders} nodes after repair`)
    }
    const after = await failedLookups(sim, values)
    assert.deepEqual(after, [], `${label}: lookups failed after repair: ${sample(after)}`)
  })
}

/** A node with a chosen id (the simulator's nodes get theirs from their address). */
function nodeWithId(sim: SimRing, id: Id): ChordNode {
  const port = 60000 + Number(id % 5000n)
  const node = new ChordNode({ id, host: `10.255.${port >> 8}.${port & 255}`, port }, sim.space, sim.network, sim.config, () => {}, { clock: sim.clock })
  sim.network.add(node)
  return node
}

function midpoint(sim: SimRing, a: Id, b: Id): Id {
  return (a + sim.space.distance(a, b) / 2n) % sim.space.size
}

for (const seed of seeds([47, 48, 49])) {
  test(`joins into the gap of 2 crashed nodes before anyone noticed: nothing lost (r = 3, seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 20, config: { replicas: 3 } })
    await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
    const values = await storeValues(sim, VALUES, `gap-${seed}`)
    const keys = keysOf(sim, values)
    const ring = sim.sorted()
    const i = sim.random.int(ring.length)
    const [p, a, b, c] = [0, 1, 2, 3].map((k) => ring[(i + k) % ring.length]!)
    sim.crash(a!)
    sim.crash(b!)
    // One joiner where the dead a stood (p still names a as its successor), one inside a's range, one
    // inside b's (the route says p inherited those keys).
    const ids = [midpoint(sim, p!.self.id, a!.self.id), midpoint(sim, a!.self.id, b!.self.id), midpoint(sim, b!.self.id, c!.self.id)]
    for (const [k, id] of ids.entries()) {
      const label = `seed ${seed}, joiner ${k} (${sim.space.toHex(id).slice(0, 8)})`
      const node = nodeWithId(sim, id)
      await node.joinVia(sim.random.pick(sim.nodes).self)
      sim.nodes.push(node)
      assert.deepEqual(lostValues(sim, values), [], `${label}: values lost by the join`)
      const failed = await failedLookups(sim, values)
      assert.deepEqual(failed, [], `${label}: lookups failed right after the join: ${sample(failed)}`)
    }
    const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(violations, [], `seed ${seed}: not clean after ${rounds} rounds: ${show(violations)}`)
    assert.deepEqual(lostValues(sim, values), [], `seed ${seed}: values lost`)
  })

  test(`leave right after a neighbour crashed: refused or done without loss (r = 3, seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 20, config: { replicas: 3 } })
    await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
    const values = await storeValues(sim, VALUES, `neighbour-${seed}`)
    const keys = keysOf(sim, values)
    const ring = sim.sorted()
    const i = sim.random.int(ring.length)
    const [p, l, s] = [0, 1, 2].map((k) => ring[(i + k) % ring.length]!)
    // The successor failed unnoticed: the leaver hands its range and the failed one's to p, and links p to its next live successor.
    sim.crash(s!)
    await sim.leave(l!)
    assert.deepEqual(lostValues(sim, values), [], `seed ${seed}: values lost by the leave past a failed successor`)
    assert.equal(p!.successor.id, ring[(i + 3) % ring.length]!.self.id, `seed ${seed}: p must be linked to the first live successor`)
    let settled = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(settled.violations, [], `seed ${seed}: not clean after ${settled.rounds} rounds: ${show(settled.violations)}`)
    // The predecessor failed unnoticed: the leave is refused, and nothing changes.
    const now = sim.sorted()
    const j = now.indexOf(p!)
    const leaver = now[(j + 1) % now.length]!
    sim.crash(p!)
    await assert.rejects(() => sim.leave(leaver), (error: unknown) => isDhtError(error, 'NOT_READY'), `seed ${seed}: leave with a failed predecessor`)
    assert.equal(leaver.status, 'ready', `seed ${seed}: a refused leave leaves the node running`)
    assert.ok(sim.nodes.includes(leaver))
    settled = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(settled.violations, [], `seed ${seed}: not clean after ${settled.rounds} rounds: ${show(settled.violations)}`)
    await sim.leave(leaver)
    settled = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(settled.violations, [], `seed ${seed}: not clean after the leave: ${show(settled.violations)}`)
    assert.deepEqual(lostValues(sim, values), [], `seed ${seed}: values lost`)
  })
}

test('crashing a node twice takes only that node off the live list', async () => {
  const sim = await buildRing({ seed: 40, nodes: 5 })
  const victim = sim.nodes[2]!
  sim.crash(victim)
  sim.crash(victim)
  assert.equal(sim.nodes.length, 4)
  assert.ok(!sim.nodes.includes(victim))
  const { violations } = await settle(sim, { maxRounds: MAX_ROUNDS })
  assert.deepEqual(violations, [], show(violations))
})
