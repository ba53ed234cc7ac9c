// A ring of ten real node processes: store 100 values through random nodes, find each on its true
// owner, and drive the Make targets' scripts (check, lookup, store) against it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestnet } from '../helpers/testnet.js'
import { hexKey, makeValues, randomNode, storeAll, timedSettle, trueOwner } from './_support.js'
import { EXIT_CODES } from '../../src/tools/exit-codes.js'

// The scripts read their arguments from the environment: make sure no stray V reaches them.
delete process.env.V
delete process.env.PORT

test('boot + 8 adds, 100 values stored and found on their true owners, scripts agree', async (t) => {
  const net = await startTestnet(t, { nodes: 10 })
  const processes = net.processes()
  assert.equal(processes.length, 10, 'the state lists 10 processes')
  assert.equal(new Set(processes.map((p) => p.id)).size, 10, '10 distinct ids')
  assert.equal(new Set(processes.map((p) => p.port)).size, 10, '10 distinct ports')

  const values = makeValues('ring', 100)
  assert.equal(new Set(values).size, 100)
  await storeAll(net, values)

  const settled = await timedSettle(net)
  t.diagnostic(`settle after 100 stores: ${settled.ms} ms`)
  assert.deepEqual(settled.problems, [])

  const ids = net.processes().map((p) => p.id)
  for (const value of values) {
    const entry = randomNode(net)
    const found = await net.client.lookup(entry, value)
    assert.equal(found.value, value)
    const key = hexKey(net.settings.bits, value)
    assert.equal(found.key, key, 'the reply names the value\'s key')
    assert.equal(found.node.id, trueOwner(ids, key), `value ${JSON.stringify(value)} (key ${key.slice(0, 8)}) answered by its true owner, asked @${entry.port}`)
  }

  const check = await net.runScript('check')
  assert.equal(check.code, 0, `make check exits 0\n${check.stdout}${check.stderr}`)
  assert.match(check.stdout, /healthy/)

  const stored = values[17]!
  const lookup = await net.runScript('lookup', { V: stored })
  assert.equal(lookup.code, 0, lookup.stderr)
  assert.ok(lookup.stdout.includes(stored), `make lookup prints the value: ${lookup.stdout}`)

  const absent = await net.runScript('lookup', { V: 'never stored' })
  assert.equal(absent.code, 1, `make lookup of an absent value exits 1: ${absent.stdout}`)
  const errorLines = absent.stderr.trim().split('\n')
  assert.equal(errorLines.length, 1, `one line on stderr: ${JSON.stringify(absent.stderr)}`)
  assert.match(errorLines[0]!, /never stored|not stored|not found/i)
  assert.equal(absent.stdout.trim(), '', 'nothing on stdout')

  const noValue = await net.runScript('store')
  assert.equal(noValue.code, EXIT_CODES.badArgument, 'make store without V is a bad argument')
  assert.match(noValue.stderr, /\bV\b/, `the message names V: ${noValue.stderr}`)
  assert.equal(noValue.stderr.trim().split('\n').length, 1)
})
