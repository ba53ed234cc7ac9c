// Joins hand keys over: after every join each node holds exactly its range [id, successor) (lab mode,
// one copy), or the owner + r-1 predecessors hold every key and nobody else does (r = 3).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { expectedOwnership, lookupAll, makeValues, storeAll, timedSettle } from './_support.js'

async function assertExactRanges(net: Testnet, values: readonly string[], label: string): Promise<void> {
  const snapshot = await net.snapshot()
  const owns = expectedOwnership(snapshot)
  const seen = new Map<string, string>()
  let total = 0
  for (const node of snapshot.nodes) {
    assert.ok(node.info && node.entries, `${label}: node @${node.port} answers (${node.error ?? ''})`)
    const inRange = owns.get(node.id)!
    const strays = node.entries.filter((e) => !inRange(e.key))
    assert.deepEqual(strays, [], `${label}: node @${node.port} holds only keys of its range [id, successor)`)
    for (const e of node.entries) {
      const other = seen.get(e.value)
      assert.equal(other, undefined, `${label}: ${JSON.stringify(e.value)} held by @${node.port} and by ${other}`)
      seen.set(e.value, `@${node.port}`)
    }
    total += node.entries.length
  }
  assert.equal(total, values.length, `${label}: ${values.length} values in the ring, one copy each`)
  const missing = values.filter((v) => !seen.has(v))
  assert.deepEqual(missing, [], `${label}: no value missing`)
}

test('replicas 1: every join hands exactly [joiner, successor) over, nothing lost or duplicated', async (t) => {
  const net = await startTestnet(t, { nodes: 4, replicas: 1 })
  const values = makeValues('handoff r1', 80)
  await storeAll(net, values)
  const settled = await timedSettle(net)
  assert.deepEqual(settled.problems, [])
  await assertExactRanges(net, values, 'before the joins')

  for (let i = 1; i <= 4; i++) {
    const joined = await net.add()
    // The handoff is part of JOIN itself, so the ranges are exact as soon as the joiner is ready,
    // before any stabilize or repair could have moved keys.
    await assertExactRanges(net, values, `right after join ${i}, before settling`)
    const { problems, ms } = await timedSettle(net)
    t.diagnostic(`r=1: join ${i} (@${joined.port}) settled in ${ms} ms`)
    assert.deepEqual(problems, [], `after join ${i}`)
    await assertExactRanges(net, values, `after join ${i} (${4 + i} nodes)`)
  }
  assert.equal(net.processes().length, 8)
  assert.deepEqual(await lookupAll(net, values), [])
})

test('replicas 3: after every join, owner + 2 predecessors hold each key and no one else', async (t) => {
  const net = await startTestnet(t, { nodes: 4, replicas: 3 })
  const values = makeValues('handoff r3', 80)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [])

  for (let i = 1; i <= 4; i++) {
    const joined = await net.add()
    const { problems, ms } = await timedSettle(net)
    t.diagnostic(`r=3: join ${i} (@${joined.port}) settled in ${ms} ms`)
    assert.deepEqual(problems, [], `after join ${i}`)
    const snapshot = await net.snapshot()
    const copies = new Map<string, number>()
    for (const node of snapshot.nodes) for (const e of node.entries ?? []) copies.set(e.value, (copies.get(e.value) ?? 0) + 1)
    assert.equal(copies.size, 80, `after join ${i}: 80 distinct values in the ring`)
    const wrong = [...copies].filter(([, n]) => n !== 3)
    assert.deepEqual(wrong, [], `after join ${i}: every value held exactly 3 times`)
  }
  assert.deepEqual(await lookupAll(net, values), [])
})
