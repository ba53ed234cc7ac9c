// Ring unification in the simulator: two rings that grew apart (as the two sides of a partition do)
// become one ordered ring once a node of each learns of a node of the other, with every value of both
// rings on its owner and its copies afterwards, and lookups finding them all.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { check, failedLookups, keysOf, lostValues, sample, seeds, settle, show } from './helpers.js'

/** A ring of `size` nodes inside `sim` but apart from its other nodes: each joins through the first. */
async function separateRing(sim: SimRing, size: number): Promise<ChordNode[]> {
  const first = sim.createNode()
  sim.nodes.push(first)
  const ring = [first]
  for (let i = 1; i < size; i++) {
    const node = sim.createNode()
    await node.joinVia(sim.random.pick(ring).self)
    sim.nodes.push(node)
    ring.push(node)
  }
  return ring
}

async function storeIn(sim: SimRing, ring: ChordNode[], count: number, tag: string): Promise<string[]> {
  const values = Array.from({ length: count }, (_, i) => `${tag}-${i}`)
  for (const value of values) await sim.random.pick(ring).storeValue(value)
  return values
}

for (const [sizeA, sizeB] of [[5, 7], [1, 6], [12, 12]] as const) {
  for (const seed of seeds([111, 112, 113])) {
    test(`two rings of ${sizeA} and ${sizeB} nodes merge into one with every value of both (seed ${seed})`, async (t) => {
      const sim = new SimRing({ seed, config: { replicas: 3 } })
      const a = await separateRing(sim, sizeA)
      const b = await separateRing(sim, sizeB)
      // Each ring settles on its own first, as the two sides of a partition do.
      for (let round = 0; round < 10; round++) await sim.maintain({ fingers: true })
      const values = [...(await storeIn(sim, a, 40, `a-${seed}`)), ...(await storeIn(sim, b, 40, `b-${seed}`))]
      // What the retry of unreachable peers does when a node of the other ring answers again.
      const [x, y] = [sim.random.pick(a), sim.random.pick(b)]
      await x.unify({ candidate: y.self })
      await y.unify({ candidate: x.self })
      assert.deepEqual(lostValues(sim, values), [], `seed ${seed}: nothing lost by the merge itself`)
      const { rounds, violations } = await settle(sim, { storedKeys: keysOf(sim, values), maxRounds: 40, fingers: true })
      t.diagnostic(`seed ${seed}: ${sizeA} + ${sizeB} nodes one ring after ${rounds} maintenance rounds`)
      assert.deepEqual(violations, [], `seed ${seed}: not one healthy ring after ${rounds} rounds: ${show(violations)}`)
      const failed = await failedLookups(sim, values)
      assert.deepEqual(failed, [], `seed ${seed}: lookups failed ${sample(failed)}`)
      assert.deepEqual(check(sim, keysOf(sim, values)), [])
    })
  }
}
