// Jepsen's set test with deletes on real node processes: four clients store unique values, delete some
// and look up others through random nodes, while nodes join one by one and several at once, leave, and
// crash (one, then two adjacent: r - 1). Then the ring settles and every value is read. Nothing
// acknowledged may be lost, no acknowledged delete undone, and no lookup that began after a store was
// acknowledged may answer NOT_FOUND. Also: a node that leaves in an orderly way answers what it was asked.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAlive } from '../../src/tools/network-state.js'
import { crashNode, leaveNode } from '../../src/tools/ring-ops.js'
import { errorMessage } from '../../src/node/errors.js'
import { History, type Operation } from '../../src/workbench/workload/history.js'
import { checkSet, formatSetReport } from '../../src/workbench/workload/set-checker.js'
import { finalReads, runSetWorkload, type SetTarget } from '../../src/workbench/workload/set-workload.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { pick, replayHint, testRandom } from './_support.js'

/** Each operation through a random node of the ring as the state file lists it now. */
function targetOf(net: Testnet): SetTarget {
  return {
    store: (value) => net.client.store(pick(net.processes()), value),
    delete: (value) => net.client.deleteValue(pick(net.processes()), value),
    lookup: (value) => net.client.lookup(pick(net.processes()), value),
  }
}

/** Resolves once the clients have completed `count` more operations: the churn paced by the work, not by a clock. */
function afterOperations(operations: Operation[], count: number): Promise<void> {
  const target = operations.filter((op) => op.completedAt !== undefined).length + count
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (operations.filter((op) => op.completedAt !== undefined).length >= target) {
        clearInterval(poll)
        resolve()
      }
    }, 5)
  })
}

test('set with deletes under churn: joins one by one and in parallel, leaves, crashes of r-1 adjacent nodes (real processes, r = 3)', async (t) => {
  const net = await startTestnet(t, { nodes: 10, replicas: 3 })
  const random = testRandom()
  const history = new History(() => performance.now())
  let running = true
  const target = targetOf(net)
  const clients = runSetWorkload(history, {
    clients: 4,
    operations: Number.MAX_SAFE_INTEGER,
    random: () => random.next(),
    prefix: `set-${random.int(1e9)}`,
    beforeEach: () => running,
    targetFor: () => target,
  })
  const timeline: string[] = []
  const step = async (name: string, work: () => Promise<unknown>) => {
    await afterOperations(history.operations, 150)
    await work()
    timeline.push(name)
  }
  const ring = () => [...net.processes()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  try {
    await step('join', () => net.add())
    await step('join', () => net.add())
    await step('join×4', () => Promise.all(Array.from({ length: 4 }, () => net.add())))
    await step('leave', () => leaveNode(net.state, net.client, pick(net.processes())))
    await step('leave', () => leaveNode(net.state, net.client, pick(net.processes())))
    await step('crash', async () => crashNode(net.state, pick(net.processes())))
    // The next crash waits for the repair of the last: r - 1 adjacent failures within one repair.
    await step('settle', () => net.settle())
    await step('crash×2 adjacent', async () => {
      const nodes = ring()
      const i = random.int(nodes.length)
      for (const victim of [nodes[i]!, nodes[(i + 1) % nodes.length]!]) crashNode(net.state, victim)
    })
    await step('join×3', () => Promise.all(Array.from({ length: 3 }, () => net.add())))
    await afterOperations(history.operations, 150)
  } finally {
    running = false
    await clients
  }
  const problems = await net.settle(30_000)
  assert.deepEqual(problems, [], `the ring settles after the churn (${replayHint})`)
  const values = [...new Set(history.operations.filter((op) => op.kind === 'store').map((op) => op.value))]
  const report = checkSet(history.operations, await finalReads(values, (value) => net.client.lookup(pick(net.processes()), value)))
  t.diagnostic(`nemesis: ${timeline.join(', ')}; ${formatSetReport(report).replaceAll('\n', '; ')}`)
  assert.ok(report.valid, `${formatSetReport(report)}\n(${replayHint})`)
  assert.ok(report.acknowledged > 300 && report.deleted > 50 && report.readsChecked > 300, `enough operations to mean something: ${formatSetReport(report)}`)
})

test('a node that leaves answers every request it took in; none of its clients sees a reset connection', async (t) => {
  const net = await startTestnet(t, { nodes: 6, replicas: 3 })
  const values = Array.from({ length: 40 }, (_, i) => `drain ${i} ${testRandom().int(1e9)}`)
  for (const value of values) await net.client.store(pick(net.processes()), value)
  const leaving = pick(net.processes())
  // Readers aimed at the leaving node itself, over kept-alive connections, before, during and after its leave.
  let reading = true
  const outcomes = { found: 0, left: 0, refused: 0, other: [] as string[] }
  const reader = async () => {
    for (let i = 0; reading; i++) {
      try {
        await net.client.lookup(leaving, values[i % values.length]!)
        outcomes.found++
      } catch (error) {
        const message = errorMessage(error)
        if (/has left the ring/.test(message)) outcomes.left++
        else if (/ECONNREFUSED/.test(message)) outcomes.refused++
        else outcomes.other.push(message)
      }
    }
  }
  const readers = Array.from({ length: 4 }, reader)
  while (outcomes.found < 100) await new Promise((resolve) => setImmediate(resolve))
  await leaveNode(net.state, net.client, leaving)
  assert.ok(!isAlive(leaving.pid), 'the leaver exits')
  reading = false
  await Promise.all(readers)
  t.diagnostic(`lookups at the leaving node: ${outcomes.found} answered, ${outcomes.left} told it had left, ${outcomes.refused} refused once it had stopped listening`)
  assert.deepEqual(outcomes.other, [], 'no reset connection, no timeout: every request was answered, told the node left, or refused a connection')
  assert.deepEqual(await net.settle(), [])
})
