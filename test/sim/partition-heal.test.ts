// A partition and its healing in the simulator: 12 nodes cut 5 + 7 (the sides interleaved around the
// ring), each side repairs itself and takes writes, deletes and lookups of its own; after heal, the
// nodes that stopped reaching each other try again, find the other ring, and the two merge into one
// ordered ring holding every value written on either side, with no delete undone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { buildRing, check, keysOf, lostValues, only, POINTER_KINDS, sample, seeds, settle, show, storeValues } from './helpers.js'


for (const seed of seeds([141, 142, 143, 144, 145])) {
  test(`12 nodes partitioned 5 + 7, written on both sides, healed: one ring with every value (seed ${seed})`, async (t) => {
    const sim = await buildRing({ seed, nodes: 12, config: { replicas: 3 } })
    await settle(sim, { maxRounds: 20, fingers: true })
    const before = await storeValues(sim, 60, `before-${seed}`)
    const side = [...sim.nodes].sort(() => sim.random.next() - 0.5).slice(0, 5)
    const rest = sim.nodes.filter((n) => !side.includes(n))
    sim.partition(side)
    for (let round = 0; round < 8; round++) await sim.maintain({ fingers: round % 2 === 1 })
    // Each side takes writes of its own while cut off, and deletes some of what it can still see.
    const write = async (nodes: ChordNode[], tag: string) => {
      const values: string[] = []
      for (let i = 0; i < 40; i++) {
        const value = `${tag}-${seed}-${i}`
        await sim.random.pick(nodes).storeValue(value)
        values.push(value)
      }
      return values
    }
    const a = await write(side, 'side-a')
    const b = await write(rest, 'side-b')
    const deleted: string[] = []
    for (const value of [...a.slice(0, 5), ...b.slice(0, 5)]) {
      const nodes = a.includes(value) ? side : rest
      await sim.random.pick(nodes).deleteValue(value)
      deleted.push(value)
    }
    sim.heal()
    const kept = [...before, ...a, ...b].filter((v) => !deleted.includes(v))
    let rounds = 0
    let violations = check(sim, keysOf(sim, kept))
    while (violations.length > 0 && rounds < 40) {
      await sim.maintain({ fingers: true })
      rounds++
      violations = check(sim, keysOf(sim, kept))
    }
    t.diagnostic(`seed ${seed}: one healthy ring ${rounds} maintenance rounds after heal`)
    assert.deepEqual(only(violations, POINTER_KINDS), [], `seed ${seed}: not one ordered ring after heal: ${show(violations)}`)
    assert.deepEqual(violations, [], `seed ${seed}: ${show(violations)}`)
    const lost = lostValues(sim, kept)
    assert.deepEqual(lost, [], `seed ${seed}: values lost ${sample(lost)}`)
    const undone = deleted.filter((v) => sim.nodes.some((n) => n.store.get(sim.space.hash(v)).includes(v)))
    assert.deepEqual(undone, [], `seed ${seed}: deletes undone ${sample(undone)}`)
    for (const value of kept) {
      try {
        await sim.random.pick(sim.nodes).lookupValue(value)
      } catch (error) {
        assert.fail(`seed ${seed}: lookup of ${value} failed after the merge: ${isDhtError(error) ? error.code : String(error)}`)
      }
    }
  })
}
