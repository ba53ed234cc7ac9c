// startNode(flags) in-process: two nodes in this test's own process make a ring over real HTTP, store
// and look up, and stop cleanly; no child process, no state directory.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseNodeFlags } from '../../src/node/flags.js'
import { startNode } from '../../src/node/start.js'

test('two nodes started in-process form a ring, store and look up, and stop', async (t) => {
  const first = await startNode(parseNodeFlags(['--host=127.0.0.1', '--port=0', '--stabilize-ms=50', '--check-predecessor-ms=50']))
  t.after(() => first.stop())
  const second = await startNode(parseNodeFlags(['--host=127.0.0.1', '--port=0', '--stabilize-ms=50', '--check-predecessor-ms=50', `--join=127.0.0.1:${first.boundPort}`]))
  t.after(() => second.stop())
  assert.equal(second.node.successor.id, first.self.id)
  const stored = await second.node.storeValue('in one process')
  assert.equal((await first.node.lookupValue('in one process')).key, stored.key)
  const reply = await fetch(`http://127.0.0.1:${first.boundPort}/nodeinfo`)
  assert.equal(((await reply.json()) as { port: number }).port, first.boundPort)
})
