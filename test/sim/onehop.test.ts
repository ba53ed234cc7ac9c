// One-hop routing (MODE=onehop) in the simulator: once the member tables have settled, a lookup is one
// routing step to the owner from any node; a stale table (a node gone, a newcomer not yet heard of)
// costs a hop, never a wrong answer, because the owner's own successor pointer decides.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildRing, randomKey, seeds, settle } from './helpers.js'

for (const seed of seeds([131, 132])) {
  for (const n of [16, 64]) {
    test(`one hop with N = ${n}: the true owner in one routing step for nearly every key (seed ${seed})`, async (t) => {
      const sim = await buildRing({ seed, nodes: n, config: { routeMode: 'onehop' } })
      await settle(sim, { maxRounds: 30, fingers: true })
      let oneHop = 0
      const lookups = 500
      for (let q = 0; q < lookups; q++) {
        const key = randomKey(sim.random, sim.space)
        const from = sim.random.pick(sim.nodes)
        const route = await from.findOwner(key)
        assert.equal(route.owner.id, sim.ownerOf(key).self.id, `seed ${seed}: wrong owner`)
        if (route.hops <= 1) oneHop++
      }
      const state = (await sim.nodes[0]!.nodeInfo()).routingState
      t.diagnostic(`seed ${seed}, N = ${n}: ${oneHop}/${lookups} in at most one hop; routing state ${state.entries} entries, ${state.bytes} bytes`)
      assert.ok(oneHop >= 0.99 * lookups, `seed ${seed}: only ${oneHop} of ${lookups} in one hop`)
    })
  }

  test(`a stale table never gives a wrong answer: a crashed owner and an unannounced joiner cost a hop (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 24, config: { routeMode: 'onehop' } })
    await settle(sim, { maxRounds: 30, fingers: true })
    // A node crashes; nobody's table knows yet (no stabilize has run).
    const victim = sim.random.pick(sim.nodes)
    sim.crash(victim)
    // A node joins, and then every table is told, wrongly, that it is gone: only its neighbours'
    // successor pointers know better.
    const joiner = await sim.join()
    for (const node of sim.nodes) if (node !== joiner) await node.announce({ news: { kind: 'failed', node: joiner.self, version: Number.MAX_SAFE_INTEGER - 1 }, limit: node.self.id }).catch(() => undefined)
    for (let q = 0; q < 300; q++) {
      const key = randomKey(sim.random, sim.space)
      const from = sim.random.pick(sim.nodes)
      const route = await from.findOwner(key)
      // The crashed node's range is inherited by its predecessor until stabilize runs.
      const owner = sim.ownerOf(key)
      const acceptable = route.owner.id === owner.self.id
      assert.ok(acceptable, `seed ${seed}: key ${sim.space.toHex(key).slice(0, 8)} routed to ${route.owner.port}, owner ${owner.self.port}`)
    }
  })
}
