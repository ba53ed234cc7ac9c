// Concurrent joins: 20 nodes join at once through random existing nodes, their join steps interleaving
// at every await. Pointers may be briefly wrong; stabilize and notify must turn them into one ordered
// ring, and the handoffs must not lose a key.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { buildRing, check, failedLookups, keysOf, lostValues, only, POINTER_KINDS, sample, seeds, settle, show, storeValues, valuesNotOnOwner } from './helpers.js'

const JOINERS = 20
const VALUES = 200
const MAX_ROUNDS = 20

for (const replicas of [1, 3]) {
  for (const [bits, start] of [[160, 10], [160, 2], [12, 5]] as const) {
    for (const seed of seeds([61, 62, 63])) {
      test(`${JOINERS} concurrent joins into ${start} nodes: one ordered ring, no key lost (r = ${replicas}, bits ${bits}, seed ${seed})`, async (t) => {
        const label = `seed ${seed}, r = ${replicas}, bits ${bits}, ${start} + ${JOINERS} nodes`
        const sim = await buildRing({ seed, nodes: start, bits, config: { replicas } })
        await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
        const values = await storeValues(sim, VALUES, `concurrent-${seed}`)
        const keys = keysOf(sim, values)
        assert.deepEqual(check(sim, keys), [], `${label}: not clean before the joins`)

        // All at once: each joiner through a random node that was in the ring before the burst.
        const existing = [...sim.nodes]
        const joiners: ChordNode[] = []
        while (joiners.length < JOINERS) {
          // createNode avoids the ids of live nodes; joiners not yet in the ring must not clash with each other either.
          const node = sim.createNode()
          if (!joiners.some((j) => j.self.id === node.self.id)) joiners.push(node)
        }
        const results = await Promise.allSettled(joiners.map((node) => node.joinVia(sim.random.pick(existing).self)))
        const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${i}: ${String(r.reason)}`] : []))
        assert.deepEqual(failures, [], `${label}: joins failed`)
        sim.nodes.push(...joiners)
        assert.deepEqual(lostValues(sim, values), [], `${label}: values lost by the concurrent handoffs`)
        const right = only(check(sim, keys), POINTER_KINDS).length

        const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
        t.diagnostic(`${label}: ${right} pointer violations right after the joins; clean after ${rounds} maintenance rounds`)
        assert.deepEqual(violations, [], `${label}: not clean after ${rounds} rounds: ${show(violations)}`)
        assert.deepEqual(lostValues(sim, values), [], `${label}: values lost`)
        assert.deepEqual(valuesNotOnOwner(sim, values), [], `${label}: values not on their owner`)
        for (const node of sim.nodes) assert.equal(node.status, 'ready', `${label}: node ${sim.space.toHex(node.self.id).slice(0, 8)} is ${node.status}`)
        const failed = await failedLookups(sim, values)
        assert.deepEqual(failed, [], `${label}: lookups failed ${sample(failed)}`)
      })
    }
  }
}
