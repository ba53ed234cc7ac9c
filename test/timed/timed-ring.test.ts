// The timed simulator's ring: a converged ring built from ids has every pointer maintenance would give
// it, lookups through the real routing code reach the key's owner in about ½·log2 N hops, and with a
// constant delay a lookup takes exactly one round trip per hop, plus the full timeout for every call to
// a crashed node (asked twice before it is given up). Joins and crashes under running maintenance leave a ring whose lookups are right.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { successorIndex } from '../../src/node/ring.js'
import { lookup, sequentialLookups, summarizeLookups } from '../../src/workbench/sim/lookups.js'
import { TimedRing } from '../../src/workbench/sim/timed-ring.js'

const CONSTANT = { kind: 'constant', meanMs: 50, per: 'message' } as const

test('a converged ring of 500: neighbours, successor lists and every finger as the sorted ids say', () => {
  const ring = new TimedRing({ seed: 3, latency: CONSTANT })
  ring.buildConverged(500)
  const nodes = [...ring.members].sort((a, b) => (a.self.id < b.self.id ? -1 : 1))
  const ids = nodes.map((node) => node.self.id)
  nodes.forEach((node, i) => {
    assert.equal(node.predecessor?.id, ids[(i + 499) % 500])
    assert.deepEqual(node.successors.map((p) => p.id), [1, 2, 3].map((k) => ids[(i + k) % 500]))
    for (let f = 0; f < node.fingers.size; f++) assert.equal(node.fingers.get(f)?.id, ids[successorIndex(ids, node.fingers.start(f))], `node ${i} finger ${f}`)
  })
})

test('lookups reach the owner in about ½·log2 N hops, each hop one round trip of two 50 ms delays', async () => {
  const ring = new TimedRing({ seed: 4, latency: CONSTANT })
  ring.buildConverged(1024)
  const samples = await sequentialLookups(ring, 300, 'exact')
  const summary = summarizeLookups(samples)
  assert.equal(summary.failed, 0)
  assert.ok(Math.abs(summary.hops.mean - 5) < 0.75, `mean hops ${summary.hops.mean}`)
  for (const s of samples) assert.equal(s.latencyMs, s.hops * 100, 'latency = hops × round trip')
  assert.equal(summary.timeouts.max, 0)
})

test('after a fifth of the nodes crash, lookups still reach live owners; each crashed node called costs two 500 ms timeouts', async () => {
  const ring = new TimedRing({ seed: 5, latency: CONSTANT, config: { replicas: 8 } })
  ring.buildConverged(400)
  for (let i = 0; i < 80; i++) ring.crash(ring.random.pick(ring.members))
  const samples = await sequentialLookups(ring, 300, 'crashed')
  const summary = summarizeLookups(samples)
  assert.equal(summary.failed, 0, 'with 8 successors every lookup finds the live owner')
  assert.ok(summary.timeouts.mean > 0.1, `timeouts per lookup ${summary.timeouts.mean}`)
  for (const s of samples) {
    assert.equal(s.timedOutCalls, 2 * s.timeouts, 'a silent peer is asked once more before it counts as failed')
    assert.ok(s.latencyMs >= s.hops * 100 + s.timedOutCalls * 500, `latency ${s.latencyMs} for ${s.hops} hops and ${s.timedOutCalls} timed-out calls`)
  }
})

test('joins and crashes while maintenance runs on simulated time: the ring stays right and a crashed caller hears nothing', async () => {
  const ring = new TimedRing({ seed: 6, latency: { kind: 'exponential', meanMs: 50, per: 'message' }, config: { replicas: 5, stabilizeIntervalMs: 2000, checkPredecessorIntervalMs: 2000, fingerIntervalMs: 4000 } })
  ring.buildConverged(40)
  ring.startMaintenance()
  const joined = await Promise.all([ring.timeline.settle(ring.join({ maintain: true })), ring.timeline.settle(ring.join({ maintain: true }))])
  assert.ok(joined.every((node) => node !== undefined), 'both joins complete')
  for (let i = 0; i < 6; i++) ring.crash(ring.random.pick(ring.members))
  // A lookup started by a node that then crashes never completes.
  const doomed = ring.members[0]!
  let heard = false
  void lookup(ring, doomed, 123n, 'doomed').then(() => (heard = true))
  ring.crash(doomed)
  await ring.timeline.runUntil(ring.timeline.time + 60_000)
  assert.equal(heard, false)
  assert.equal(ring.size, 35)
  const summary = summarizeLookups(await sequentialLookups(ring, 100, 'after'))
  assert.equal(summary.failed, 0)
  assert.equal(summary.timeouts.max, 0, 'a minute of maintenance has routed around every crashed node')
})
