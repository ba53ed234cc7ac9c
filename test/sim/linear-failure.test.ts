// Linear routing next to a failed successor: the route must not overshoot the key and walk the ring.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildConvergedRing } from '../../src/workbench/sim/converged.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'

test('linear mode routes round a failed successor in a few messages (it inherits the key)', async () => {
  for (const seed of [1, 2, 3]) {
    const sim = new SimRing({ seed, config: { routeMode: 'linear' } })
    const ring = await buildConvergedRing(sim, 40)
    const [asker, failed, next] = [ring[0]!, ring[1]!, ring[2]!]
    sim.crash(failed)
    const key = (failed.self.id + next.self.id) / 2n // in the failed node's range
    const before = sim.network.messages
    const route = await asker.findOwner(key)
    assert.equal(route.owner.id, asker.self.id, `seed ${seed}: the failed node's predecessor inherits its key`)
    assert.ok(route.inherited, `seed ${seed}`)
    assert.ok(sim.network.messages - before <= 3, `seed ${seed}: ${sim.network.messages - before} messages`)
  }
})
