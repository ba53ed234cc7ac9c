// The Python example (examples/python/chord_node.py, standard library only): three nodes started with the
// lab's command line join into one ring that the tools read like any other (the snapshot and checks of
// make monitor and make check), findNode is right through every node, and STORE and LOOKUP of awkward
// values work through any node, also after a fourth node joins (content passing).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultSettings, type NetworkState } from '../../src/tools/network-state.js'
import { RingClient } from '../../src/tools/ring-client.js'
import { ringProblems } from '../../src/tools/ring-health.js'
import { takeSnapshot } from '../../src/tools/ring-snapshot.js'
import { DhtError } from '../../src/node/errors.js'
import { hexKey, makeValues, trueOwner } from '../integration/_support.js'
import { request, startStandalone, type Standalone } from './_standalone.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const PYTHON_NODE = path.join(ROOT, 'examples/python/chord_node.py')
const BITS = 16

test('three Python nodes: one ring the tools read, findNode, STORE and LOOKUP through any node', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-python-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const secretFile = path.join(dir, 'secret')
  const secret = 'the-python-ring-secret-0123456789'
  fs.writeFileSync(secretFile, `${secret}\n`)
  const start = (join: string) =>
    startStandalone(t, 'python3', [PYTHON_NODE, '--host', '127.0.0.1', '--port', '0', '--join', join, '--secret-file', secretFile, `--bits=${BITS}`, '--replicas=1'])
  const nodes: Standalone[] = [await start('')]
  for (let i = 1; i < 3; i++) nodes.push(await start(`${nodes[0]!.host}:${nodes[i - 1]!.port}`))

  const client = new RingClient(BITS, { secret, auth: 'bearer' })
  t.after(() => client.close())
  const state = (): NetworkState => ({
    settings: { ...defaultSettings(), bits: BITS, replicas: 1, routeMode: 'linear' },
    processes: nodes.map((n) => ({ id: n.id, host: n.host, port: n.port, pid: n.pid, startedAt: new Date().toISOString() })),
  })
  assert.deepEqual(ringProblems(await takeSnapshot(client, state(), { content: true })), [], 'one ordered ring, as make check sees it')

  const ids = nodes.map((n) => n.id)
  for (const entry of nodes) {
    for (const key of [...ids, '0000', 'ffff', hexKey(BITS, 'x')]) {
      const found = await client.findNode(entry, key, 'linear')
      assert.equal(found.node.id, trueOwner(ids, key), `findnode ${key} via @${entry.port}`)
      assert.equal(found.hops, found.path.length - 1)
    }
  }

  const values = ['two words', 'say "hi"', 'ünïcødé ✓ 日本語 🎉', 'a&b=c?d#e %20', ...makeValues('python', 20)]
  for (const [i, value] of values.entries()) {
    const stored = await client.store(nodes[i % nodes.length]!, value)
    assert.equal(stored.node.id, trueOwner(ids, stored.key), `"${value}" stored on its owner`)
  }
  for (const node of nodes) for (const value of values) assert.equal((await client.lookup(node, value)).value, value, `"${value}" via @${node.port}`)
  await assert.rejects(client.lookup(nodes[0]!, 'never stored'), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  assert.equal((await request(nodes[0]!, 'POST', '/store', { body: '{"value": "x"}' })).status, 401, 'writes need the secret')
  assert.equal((await request(nodes[0]!, 'GET', '/findnode?id=nothex')).status, 400)

  // A fourth node takes its range's values as it joins; every value is still found, on its owner only.
  nodes.push(await start(`${nodes[2]!.host}:${nodes[2]!.port}`))
  for (const node of nodes) for (const value of values) assert.equal((await client.lookup(node, value)).value, value, `after the join: "${value}" via @${node.port}`)
  assert.deepEqual(ringProblems(await takeSnapshot(client, state(), { content: true })), [], 'after the join, each value on its owner')
})
