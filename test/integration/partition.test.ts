// A partition and its healing with real processes: 12 nodes cut 5 + 7 with make partition; make check
// names the two rings and exits 1; each side takes writes through its own nodes; make heal, and the two
// rings merge into one on their own, within the time the README states, with every acknowledged value
// found and make check healthy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestnet } from '../helpers/testnet.js'
import { lookupAll, makeValues, replayHint, testRandom } from './_support.js'

/** The README's promise: one ring again, every value in place, within this long after make heal. */
const MERGE_WITHIN_MS = 15_000

for (const round of [1, 2]) {
  test(`12 nodes partitioned 5 + 7, written on both sides, healed: one ring again with every value (round ${round})`, async (t) => {
    const net = await startTestnet(t, { nodes: 12, replicas: 3 })
    const random = testRandom()
    const before = makeValues(`partition ${round} before`, 60)
    for (const value of before) await net.client.store(net.processes()[random.int(12)]!, value)
    assert.deepEqual(await net.settle(), [], replayHint)
    // Five random nodes against seven: the sides interleave around the ring.
    const nodes = [...net.processes()].sort(() => random.next() - 0.5)
    const side = nodes.slice(0, 5)
    const rest = nodes.slice(5)
    const cut = await net.runScript('partition', { PORTS: side.map((n) => n.port).join(',') })
    assert.equal(cut.code, 0, cut.stderr)
    // Each side repairs itself into a ring of its own: make check says what it sees.
    let check = await net.runScript('check', { WAIT: '0' })
    for (let tries = 0; tries < 60 && !/2 rings: 5 nodes .*, 7 nodes /.test(check.stderr); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      check = await net.runScript('check', { WAIT: '0' })
    }
    assert.equal(check.code, 1)
    assert.match(check.stderr, /2 rings: 5 nodes \(.*\), 7 nodes \(.*\)/, `make check during the partition (${replayHint})`)
    // Writes through each side's nodes, acknowledged by that side alone.
    const writes = { side: makeValues(`partition ${round} side`, 30), rest: makeValues(`partition ${round} rest`, 30) }
    for (const value of writes.side) await net.client.store(side[random.int(side.length)]!, value)
    for (const value of writes.rest) await net.client.store(rest[random.int(rest.length)]!, value)
    const healedAt = Date.now()
    const healed = await net.runScript('heal')
    assert.equal(healed.code, 0, healed.stderr)
    const problems = await net.settle(MERGE_WITHIN_MS)
    const mergeMs = Date.now() - healedAt
    t.diagnostic(`one healthy ring ${mergeMs} ms after make heal`)
    assert.deepEqual(problems, [], `not one healthy ring ${MERGE_WITHIN_MS} ms after heal (${replayHint})`)
    const missing = await lookupAll(net, [...before, ...writes.side, ...writes.rest])
    assert.deepEqual(missing, [], `every acknowledged value is found after the merge (${replayHint})`)
    // Fingers back off in a quiet ring (up to 12 periods): on a loaded machine they may need longer than 5 s.
    const after = await net.runScript('check', { WAIT: '20' })
    assert.equal(after.code, 0, after.stderr)
  })
}
