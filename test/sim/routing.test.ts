// Iterative routing: findOwner finds the true owner of random keys in both modes, with about
// ½·log2 N hops through converged fingers and about N/2 hops walking successors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RouteMode } from '../../src/node/config.js'
import { buildRing, check, randomKey, seeds, show } from './helpers.js'

const KEYS = 500

for (const seed of seeds([11, 12])) {
  for (const n of [8, 16, 32, 64]) {
    test(`findOwner with N = ${n}: true owner for ${KEYS} random keys, hop counts (seed ${seed})`, async (t) => {
      const sim = await buildRing({ seed, nodes: n })
      // Converged fingers: a few full rounds including fix_fingers.
      for (let round = 0; round < 3; round++) await sim.maintain({ fingers: true })
      assert.deepEqual(check(sim), [], `seed ${seed}, N = ${n}: ring not clean before routing: ${show(check(sim))}`)
      const mean: Record<RouteMode, number> = { fingers: 0, linear: 0, onehop: 0 }
      for (const mode of ['fingers', 'linear'] as const) {
        let hops = 0
        for (let q = 0; q < KEYS; q++) {
          const key = randomKey(sim.random, sim.space)
          const from = sim.random.pick(sim.nodes)
          const route = await from.findOwner(key, mode)
          const owner = sim.ownerOf(key)
          const label = `seed ${seed}, N = ${n}, ${mode}, key ${sim.space.toHex(key).slice(0, 8)} from ${sim.space.toHex(from.self.id).slice(0, 8)}`
          assert.equal(route.owner.id, owner.self.id, `${label}: wrong owner`)
          assert.equal(route.ownerSuccessor.id, owner.successor.id, `${label}: wrong owner successor`)
          assert.equal(route.holders[0]?.id, owner.self.id, `${label}: holders must start with the owner`)
          assert.equal(route.holders[1]?.id, owner.predecessor?.id, `${label}: the second holder is the owner's predecessor`)
          assert.equal(route.path[0]?.id, from.self.id, `${label}: the path starts at the asking node`)
          assert.equal(route.path[route.path.length - 1]?.id, owner.self.id, `${label}: the path ends at the owner`)
          assert.equal(route.hops, route.path.length - 1, `${label}: hops counts the path's edges`)
          hops += route.hops
        }
        mean[mode] = hops / KEYS
      }
      const half = Math.log2(n) / 2
      t.diagnostic(`seed ${seed}, N = ${n}: mean hops fingers ${mean.fingers.toFixed(2)} (½·log2 N = ${half.toFixed(2)}), linear ${mean.linear.toFixed(2)} (N/2 = ${n / 2})`)
      assert.ok(Math.abs(mean.fingers - half) <= 0.5, `seed ${seed}, N = ${n}: mean finger hops ${mean.fingers.toFixed(3)}, expected ${half.toFixed(3)} ± 0.5`)
      assert.ok(Math.abs(mean.linear - n / 2) <= n / 4, `seed ${seed}, N = ${n}: mean linear hops ${mean.linear.toFixed(3)}, expected ${n / 2} ± ${n / 4}`)
    })
  }

  test(`findOwner in an 8-bit ring (keys equal to node ids, wrap-around) (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 40, bits: 8 })
    for (let round = 0; round < 2; round++) await sim.maintain({ fingers: true })
    for (const mode of ['fingers', 'linear'] as const) {
      // Every id of the space, so node ids themselves and the ids just before and after them are all asked.
      for (let key = 0n; key < sim.space.size; key++) {
        const from = sim.random.pick(sim.nodes)
        const route = await from.findOwner(key, mode)
        assert.equal(route.owner.id, sim.ownerOf(key).self.id, `seed ${seed}, ${mode}, key ${key}: wrong owner`)
      }
    }
  })

  test(`findOwner right after joins, before any maintenance (stale fingers) (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 48 })
    for (const mode of ['fingers', 'linear'] as const) {
      for (let q = 0; q < KEYS; q++) {
        const key = randomKey(sim.random, sim.space)
        const route = await sim.random.pick(sim.nodes).findOwner(key, mode)
        assert.equal(route.owner.id, sim.ownerOf(key).self.id, `seed ${seed}, ${mode}, key ${sim.space.toHex(key).slice(0, 8)}: wrong owner`)
      }
    }
  })
}
