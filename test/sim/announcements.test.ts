// Membership news down the finger tree: when a node's predecessor notices it has failed, one stabilize
// round later no finger anywhere names it, at about one message per node, also when its neighbour failed
// with it and was one of the news's relays; a joiner is in every finger
// that should name it as soon as its join is done.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { between } from '../../src/node/ring.js'
import { buildRing, seeds, settle } from './helpers.js'

for (const seed of seeds([121, 122, 123])) {
  test(`a failure is announced to every node at once: no finger names the failed node after one round (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 64 })
    await settle(sim, { maxRounds: 20, fingers: true })
    const ring = sim.sorted()
    const i = sim.random.int(ring.length)
    const victim = ring[i]!
    const predecessor = ring[(i - 1 + ring.length) % ring.length]!
    const named = () => sim.nodes.filter((n) => n.fingers.distinct().some((row) => row.node.id === victim.self.id)).length
    assert.ok(named() > 1, `seed ${seed}: the victim is some nodes' finger`)
    sim.crash(victim)
    const before = sim.network.messages
    await predecessor.runTask('stabilize')
    const spent = sim.network.messages - before
    assert.equal(named(), 0, `seed ${seed}: fingers still naming the failed node`)
    assert.ok(spent < 3 * sim.nodes.length, `seed ${seed}: the news cost ${spent} messages for ${sim.nodes.length} nodes`)
  })

  test(`two adjacent nodes fail at once: the news of each reaches every node, though the other was a relay (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 64 })
    await settle(sim, { maxRounds: 20, fingers: true })
    const ring = sim.sorted()
    const i = sim.random.int(ring.length)
    const victims = [ring[i]!, ring[(i + 1) % ring.length]!]
    const predecessor = ring[(i - 1 + ring.length) % ring.length]!
    const gone = new Set(victims.map((v) => v.self.id))
    const naming = () => sim.nodes.filter((n) => n.fingers.distinct().some((row) => gone.has(row.node.id))).map((n) => n.self.id.toString(16).slice(0, 8))
    for (const victim of victims) sim.crash(victim)
    await predecessor.runTask('stabilize')
    assert.deepEqual(naming(), [], `seed ${seed}: fingers still naming a failed node`)
  })

  test(`a joiner is announced: every finger it should be is it once the join is done (seed ${seed})`, async () => {
    const sim = await buildRing({ seed, nodes: 64 })
    await settle(sim, { maxRounds: 20, fingers: true })
    const joiner = await sim.join()
    const ring = sim.sorted()
    const ids = ring.map((n) => n.self.id)
    const wrong = ring.flatMap((node) =>
      node === joiner
        ? []
        : Array.from({ length: node.fingers.size }, (_, k) => k).filter((k) => {
            const finger = node.fingers.get(k)
            const start = node.fingers.start(k)
            // The joiner is finger k's true node, but the finger names someone after it.
            return finger && finger.id !== joiner.self.id && (start === joiner.self.id || between(joiner.self.id, start, finger.id)) && ids.includes(finger.id)
          }),
    )
    assert.deepEqual(wrong, [], `seed ${seed}: fingers that should name the joiner`)
  })
}
