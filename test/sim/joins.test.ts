// Sequential joins: after every join the lab's rewiring alone leaves one ordered ring, and maintenance
// (stabilize, replica sync) completes the successor lists and keeps the ring exactly as it is.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { check, only, POINTER_KINDS, seeds, settle, show } from './helpers.js'

const MAX_NODES = 64

for (const bits of [160, 8]) {
  for (const seed of seeds([1, 2, 3])) {
    test(`sequential joins, r = 1, bits ${bits}: perfect ring right after every join (seed ${seed})`, async () => {
      const sim = new SimRing({ seed, bits, config: { replicas: 1 } })
      sim.bootstrap()
      for (let n = 1; n <= MAX_NODES; n++) {
        if (n > 1) await sim.join()
        assert.equal(sim.nodes.length, n)
        const ids = new Set(sim.nodes.map((x) => x.self.id))
        assert.equal(ids.size, n, `seed ${seed}: ids collide at N = ${n}`)
        // With one copy a successor list is one long, so the rewiring is the whole story.
        const violations = check(sim)
        assert.deepEqual(violations, [], `seed ${seed}, bits ${bits}, N = ${n}, right after the join: ${show(violations)}`)
      }
      await sim.maintain({ fingers: true })
      const after = check(sim)
      assert.deepEqual(after, [], `seed ${seed}, bits ${bits}, N = ${MAX_NODES}, after maintenance: ${show(after)}`)
    })

    test(`sequential joins, r = 3, bits ${bits}: ordered ring after every join, full lists after maintenance (seed ${seed})`, async (t) => {
      const sim = new SimRing({ seed, bits, config: { replicas: 3 } })
      sim.bootstrap()
      let maxRounds = 0
      for (let n = 1; n <= MAX_NODES; n++) {
        if (n > 1) await sim.join()
        // The rewiring sets successor and predecessor pointers; the predecessors' successor lists
        // are stabilize's job, so right after a join only the pointers are checked.
        const pointers = only(check(sim), POINTER_KINDS)
        assert.deepEqual(pointers, [], `seed ${seed}, bits ${bits}, N = ${n}, right after the join: ${show(pointers)}`)
        // Every few joins, let maintenance finish the lists; it must not take long, and must not undo anything.
        if (n <= 8 || n % 8 === 0) {
          const { rounds, violations } = await settle(sim, { maxRounds: 4 })
          assert.deepEqual(violations, [], `seed ${seed}, bits ${bits}, N = ${n}, after ${rounds} maintenance rounds: ${show(violations)}`)
          maxRounds = Math.max(maxRounds, rounds)
          await sim.maintain({ fingers: true })
          const stable = check(sim)
          assert.deepEqual(stable, [], `seed ${seed}, bits ${bits}, N = ${n}, one more round on a clean ring: ${show(stable)}`)
        }
      }
      t.diagnostic(`seed ${seed}, bits ${bits}: at most ${maxRounds} maintenance rounds to complete the successor lists`)
    })
  }
}
