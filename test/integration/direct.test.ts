// A client that knows the ring, on real node processes: with the whole membership it sends every store,
// lookup and delete straight to the key's owner, which copies a write to its predecessors exactly as
// STORE does; a node that does not own a key answers 421 MOVED naming the owner it knows, never a
// value; a client whose copy is stale follows the redirects, and one whose copy names a dead node
// routes instead. make store and make lookup go straight to the owner.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DhtError } from '../../src/node/errors.js'
import { IdSpace } from '../../src/node/ring.js'
import { DirectClient } from '../../src/tools/direct-client.js'
import { startTestnet } from '../helpers/testnet.js'
import { freePort } from '../helpers/free-port.js'
import { hexKey, makeValues, trueOwner } from './_support.js'

test('straight to the owner: served there, replicated as STORE, MOVED elsewhere; stale or dead copies still get the right answer', async (t) => {
  const net = await startTestnet(t, { nodes: 6, replicas: 3 })
  assert.deepEqual(await net.settle(), [])
  const processes = net.processes()
  const ids = processes.map((p) => p.id)
  const sorted = [...processes].sort((a, b) => (a.id < b.id ? -1 : 1))
  const direct = new DirectClient(net.client, { seeds: () => net.processes(), routeMode: 'fingers' })

  // Every store and lookup answered by the true owner in one exchange, without a redirect.
  const values = makeValues('direct', 40)
  for (const value of values) {
    const stored = await direct.store(value)
    assert.deepEqual([stored.route, stored.redirects, stored.hops], ['direct', 0, 0], `store ${value}`)
    assert.equal(stored.node.id, trueOwner(ids, hexKey(net.settings.bits, value)), `stored ${value} at its true owner`)
  }
  for (const value of values) {
    const found = await direct.lookup(value)
    assert.deepEqual([found.value, found.route, found.redirects], [value, 'direct', 0])
  }
  assert.deepEqual(direct.counts, { direct: 80, redirects: 0, routed: 0 })

  // Replication is STORE's: each value on its owner and the owner's two predecessors, nowhere else.
  const snapshot = await net.snapshot()
  for (const value of values) {
    const owner = sorted.findIndex((p) => p.id === trueOwner(ids, hexKey(net.settings.bits, value)))
    const expected = [0, 1, 2].map((back) => sorted[(owner - back + sorted.length) % sorted.length]!.port).sort()
    const holders = snapshot.nodes.filter((n) => (n.entries ?? []).some((e) => e.value === value)).map((n) => n.port).sort()
    assert.deepEqual(holders, expected, `${value}: on its owner and r-1 = 2 predecessors`)
  }

  // A node that does not own the key serves nothing: it names the owner it knows, a node of the ring.
  const value = values[3]!
  const owner = trueOwner(ids, hexKey(net.settings.bits, value))
  for (const other of processes.filter((p) => p.id !== owner)) {
    for (const ask of [() => net.client.readValue(other, value), () => net.client.writeValue(other, value), () => net.client.removeValue(other, value)]) {
      const answer = await ask()
      assert.ok(answer.moved, `@${other.port} does not own ${value}: MOVED`)
      assert.ok(ids.includes(answer.owner.id), 'the owner named is a node of the ring')
      assert.notEqual(answer.owner.id, other.id)
    }
  }
  assert.equal((await direct.lookup(value)).value, value, 'the MOVED answers changed nothing')

  // A stale copy (one node only): every answer is still right, after redirects that fill the copy in.
  const stale = new DirectClient(net.client, { seeds: () => [sorted[0]!], routeMode: 'fingers' })
  stale.members.add(sorted[0]!)
  for (const v of values) assert.equal((await stale.lookup(v)).value, v)
  assert.ok(stale.counts.redirects > 0, 'the stale copy was corrected by MOVED answers')
  assert.ok(stale.members.size > 1, `the copy learned nodes from the redirects: ${stale.members.size}`)

  // A copy naming a node that is gone: the operation is routed instead and the node dropped from the copy.
  const space = new IdSpace(net.settings.bits)
  const ghostPort = await freePort()
  const ghost = { id: space.toHex(space.nodeId('127.0.0.1', ghostPort)), host: '127.0.0.1', port: ghostPort }
  const haunted = new DirectClient(net.client, { seeds: () => net.processes(), routeMode: 'fingers' })
  await haunted.refresh()
  haunted.members.add(ghost)
  // A value the copy says the dead node owns.
  let ghostly = ''
  for (let i = 0; ghostly === ''; i++) if (haunted.members.ownerOf(space.hash(`ghostly ${i}`))?.port === ghostPort) ghostly = `ghostly ${i}`
  const stored = await haunted.store(ghostly)
  assert.deepEqual([stored.route, stored.node.id], ['routed', trueOwner(ids, hexKey(net.settings.bits, ghostly))], 'routed to the true owner instead')
  assert.ok(!haunted.members.has(ghost), 'the dead node was dropped from the copy')
  assert.equal((await haunted.lookup(ghostly)).route, 'direct')
  for (const v of values) assert.equal((await haunted.lookup(v)).value, v)

  // Deletes go straight to the owner too; the value is gone from every holder.
  const victim = values[7]!
  const removed = await direct.deleteValue(victim)
  assert.deepEqual([removed.route, removed.node.id], ['direct', trueOwner(ids, hexKey(net.settings.bits, victim))])
  await assert.rejects(direct.lookup(victim), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  await assert.rejects(net.client.lookup(processes[0]!, victim), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  const after = await net.snapshot()
  assert.deepEqual(after.nodes.filter((n) => (n.entries ?? []).some((e) => e.value === victim)).map((n) => n.port), [], 'no live copy left')

  // The tools: make store and make lookup without PORT= go straight to the owner.
  const toolValue = 'stored by make store, straight to its owner'
  const store = await net.runScript('store', { V: toolValue })
  assert.equal(store.code, 0, store.stderr)
  assert.match(store.stdout, /straight to the owner/)
  const lookup = await net.runScript('lookup', { V: toolValue })
  assert.equal(lookup.code, 0, lookup.stderr)
  assert.match(lookup.stdout, /straight to the owner/)
  const many = await net.runScript('storemany', { N: '20' })
  assert.equal(many.code, 0, many.stderr)
  assert.match(many.stdout, /20 straight to the owner, 0 routed/)
})

test('a one-hop ring: the copy is the member table of any node', async (t) => {
  const net = await startTestnet(t, { nodes: 5, routeMode: 'onehop' })
  assert.deepEqual(await net.settle(), [])
  const [first] = net.processes()
  const direct = new DirectClient(net.client, { seeds: () => [first!], routeMode: 'onehop' })
  await direct.refresh()
  assert.equal(direct.members.size, 5, 'one node named every member')
  const values = makeValues('onehop direct', 20)
  for (const value of values) assert.equal((await direct.store(value)).route, 'direct')
  for (const value of values) assert.equal((await direct.lookup(value)).value, value)
  assert.equal(direct.counts.redirects, 0)
})
