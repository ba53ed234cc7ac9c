// LEAVE hands a node's keys over before it goes; make leave / make delete behave as documented;
// the last node of a ring refuses to leave.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { signRequest } from '../../src/node/auth/request-signing.js'
import { DhtError } from '../../src/node/errors.js'
import { isAlive } from '../../src/tools/network-state.js'
import { startTestnet } from '../helpers/testnet.js'
import { lookupAll, makeValues, pick, storeAll, timedSettle } from './_support.js'
import { EXIT_CODES } from '../../src/tools/exit-codes.js'

delete process.env.V
delete process.env.PORT

test('8 nodes, r=3: four rounds of make leave + make add keep every value; make delete removes one', async (t) => {
  const net = await startTestnet(t, { nodes: 8, replicas: 3 })
  const values = makeValues('leave', 120)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [])

  for (let round = 1; round <= 4; round++) {
    const leaving = pick(net.processes())
    const left = await net.runScript('leave', { PORT: String(leaving.port) })
    assert.equal(left.code, 0, `round ${round}: make leave PORT=${leaving.port}\n${left.stdout}${left.stderr}`)
    assert.ok(!net.processes().some((p) => p.port === leaving.port), `round ${round}: @${leaving.port} is gone from the state`)
    assert.ok(!isAlive(leaving.pid), `round ${round}: process ${leaving.pid} has exited`)
    const afterLeave = await timedSettle(net)
    assert.deepEqual(afterLeave.problems, [], `round ${round}: after the leave`)
    assert.deepEqual(await lookupAll(net, values), [], `round ${round}: every value found after the leave`)

    const added = await net.runScript('add')
    assert.equal(added.code, 0, `round ${round}: make add\n${added.stdout}${added.stderr}`)
    const afterAdd = await timedSettle(net)
    t.diagnostic(`round ${round}: @${leaving.port} left (settled in ${afterLeave.ms} ms), one node added (settled in ${afterAdd.ms} ms)`)
    assert.deepEqual(afterAdd.problems, [], `round ${round}: after the add`)
    assert.equal(net.processes().length, 8)
    assert.deepEqual(await lookupAll(net, values), [], `round ${round}: every value found after the add`)
  }

  // A port no node of this ring uses: a bad argument (exit 2), a message that says so, nothing changed.
  const ports = new Set(net.processes().map((p) => p.port))
  let unknown = 1
  while (ports.has(unknown)) unknown++
  const refused = await net.runScript('leave', { PORT: String(unknown) })
  assert.equal(refused.code, EXIT_CODES.badArgument, 'make leave with an unknown port is a bad argument')
  assert.match(refused.stderr, new RegExp(`port ${unknown}\\b`), `the message names the port: ${refused.stderr}`)
  assert.match(refused.stderr, /no node/i)
  assert.equal(refused.stderr.trim().split('\n').length, 1, 'one line')
  assert.equal(net.processes().length, 8, 'no node left')

  // make delete: the value is gone from the owner and its copies; a second delete fails.
  const victim = values[42]!
  const deleted = await net.runScript('delete', { V: victim })
  assert.equal(deleted.code, 0, `make delete\n${deleted.stdout}${deleted.stderr}`)
  await assert.rejects(net.client.lookup(pick(net.processes()), victim), (error: unknown) => {
    assert.ok(error instanceof DhtError, String(error))
    assert.equal(error.code, 'NOT_FOUND')
    assert.equal(error.status, 404)
    return true
  })
  const lookup = await net.runScript('lookup', { V: victim })
  assert.equal(lookup.code, 1, 'make lookup of a deleted value exits 1')
  const again = await net.runScript('delete', { V: victim })
  assert.equal(again.code, 1, `deleting it again exits 1: ${again.stdout}`)
  assert.match(again.stderr, /not stored|not found/i)
  assert.deepEqual(await net.settle(), [])
  const snapshot = await net.snapshot()
  const holders = snapshot.nodes.filter((n) => (n.entries ?? []).some((e) => e.value === victim)).map((n) => n.port)
  assert.deepEqual(holders, [], 'no copy of the deleted value is left anywhere')
  const rest = values.filter((v) => v !== victim)
  assert.deepEqual(await lookupAll(net, rest), [], 'the other 119 values are still found')
})

test('the last node of a ring refuses to leave: 409 LAST_NODE', async (t) => {
  const net = await startTestnet(t, { nodes: 3, replicas: 3 })
  const values = makeValues('last node', 10)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [])

  while (net.processes().length > 1) {
    const leaving = pick(net.processes())
    const left = await net.runScript('leave', { PORT: String(leaving.port) })
    assert.equal(left.code, 0, `make leave PORT=${leaving.port}\n${left.stdout}${left.stderr}`)
    assert.deepEqual(await net.settle(), [], `after @${leaving.port} left`)
  }
  const last = net.processes()[0]!
  await assert.rejects(net.client.leave(last), (error: unknown) => {
    assert.ok(error instanceof DhtError, String(error))
    assert.equal(error.code, 'LAST_NODE')
    assert.equal(error.status, 409)
    return true
  })
  const secret = net.state.readSecret()
  const raw = await fetch(`http://${last.host}:${last.port}/leave`, { method: 'POST', headers: secret ? signRequest(secret, { method: 'POST', target: '/leave' }) : {} })
  assert.equal(raw.status, 409)
  const body = (await raw.json()) as { error?: unknown; code?: unknown }
  assert.equal(body.code, 'LAST_NODE')
  assert.equal(typeof body.error, 'string')

  // Still running, still holding everything.
  assert.ok(isAlive(last.pid))
  const info = await net.client.nodeInfo(last)
  assert.equal(info.status, 'ready')
  assert.deepEqual(await lookupAll(net, values), [])
})
