// Failures and churn: two adjacent nodes SIGKILLed at once while lookups keep coming, and 16 nodes
// joining a small ring all at the same time.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAlive } from '../../src/tools/network-state.js'
import { startTestnet } from '../helpers/testnet.js'
import { lookupAll, makeValues, pick, storeAll, testRandom, timedSettle } from './_support.js'

test('12 nodes, r=3: SIGKILL two adjacent nodes; every lookup during and after the repair succeeds', async (t) => {
  const net = await startTestnet(t, { nodes: 12, replicas: 3 })
  const values = makeValues('crash', 300)
  await storeAll(net, values, 8)
  assert.deepEqual(await net.settle(), [])

  // Two neighbours in id order (wrapping), killed together with no goodbye.
  const ring = [...net.processes()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const i = testRandom().int(ring.length)
  const victims = [ring[i]!, ring[(i + 1) % ring.length]!]
  for (const v of victims) process.kill(v.pid, 'SIGKILL')
  for (const v of victims) net.state.removeProcess(v.pid)
  const killedAt = Date.now()
  t.diagnostic(`killed adjacent ${victims.map((v) => `${v.id.slice(0, 8)}@${v.port}`).join(' and ')}`)

  // Lookups from random live nodes while the ring repairs: four workers cycle through the 300 values
  // from the moment of the kill until the ring has settled and every value was asked at least once.
  let attempts = 0
  const failures: Array<{ value: string; error: string; atMs: number }> = []
  let repaired = false
  let duringRepair = 0
  let next = 0
  const worker = async () => {
    while (!repaired || next < values.length) {
      const value = values[next++ % values.length]!
      attempts++
      if (!repaired) duringRepair++
      try {
        const found = await net.client.lookup(pick(net.processes()), value)
        if (found.value !== value) throw new Error(`answered ${JSON.stringify(found.value)}`)
      } catch (error) {
        const code = (error as { code?: string }).code ?? ''
        failures.push({ value, error: `${code} ${error instanceof Error ? error.message : String(error)}`, atMs: Date.now() - killedAt })
      }
    }
  }
  const workers = Promise.all(Array.from({ length: 4 }, worker))
  const { problems, ms } = await timedSettle(net, 30_000)
  const settleMs = Date.now() - killedAt
  repaired = true
  await workers
  const rate = ((attempts - failures.length) / attempts) * 100
  t.diagnostic(`lookups during repair: ${attempts - failures.length}/${attempts} succeeded (${rate.toFixed(2)}%), ${duringRepair} of them started before the ring had settled; ring settled ${settleMs} ms after the kill (${ms} ms of polling)`)
  for (const f of failures.slice(0, 20)) t.diagnostic(`failed at +${f.atMs} ms: ${JSON.stringify(f.value)}: ${f.error}`)
  assert.deepEqual(problems, [], 'the ring repairs itself')
  assert.deepEqual(failures, [], `every lookup succeeds (${rate.toFixed(2)}%)`)
  assert.equal(net.processes().length, 10)
  for (const v of victims) assert.ok(!isAlive(v.pid))
  assert.deepEqual(await lookupAll(net, values), [], 'all 300 found after the repair')
})

test('4 nodes, then 16 joining in parallel: one ordered ring, earlier values all found', async (t) => {
  const net = await startTestnet(t, { nodes: 4, replicas: 3 })
  const values = makeValues('parallel joins', 60)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [])

  const started = Date.now()
  const joined = await Promise.allSettled(Array.from({ length: 16 }, () => net.add()))
  const joinMs = Date.now() - started
  const failed = joined.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))
  assert.deepEqual(failed, [], 'all 16 joins succeed')
  assert.equal(net.processes().length, 20)
  assert.equal(new Set(net.processes().map((p) => p.id)).size, 20)

  const { problems, ms } = await timedSettle(net, 30_000)
  t.diagnostic(`16 parallel joins took ${joinMs} ms; the ring settled ${ms} ms later`)
  assert.deepEqual(problems, [], 'one ordered ring with owners, copies and no strays')
  assert.deepEqual(await lookupAll(net, values), [], 'every value stored before the joins is found')

  // The values just after the churn: a few lookups by every node.
  for (const p of net.processes()) {
    const value = pick(values)
    assert.equal((await net.client.lookup(p, value)).value, value, `lookup through @${p.port}`)
  }
})
