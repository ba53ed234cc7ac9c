// A 4-bit ring (16 ids): node ids collide often, so adds must retry on another port; keys collide
// too, and values sharing a key must all survive.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { DhtError, ToolError } from '../../src/node/errors.js'
import { isAlive } from '../../src/tools/network-state.js'
import { addNode } from '../../src/tools/ring-ops.js'
import { IdSpace } from '../../src/node/ring.js'
import { startTestnet } from '../helpers/testnet.js'
import { lookupAll, pick, storeAll, timedSettle, trueOwner } from './_support.js'

/** An OS-chosen free port whose address hashes to one of `taken` (probe, then release it). */
async function collidingPort(host: string, space: IdSpace, taken: Set<string>): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer()
      probe.once('error', reject)
      probe.listen(0, host, () => {
        const address = probe.address()
        const port = typeof address === 'object' && address ? address.port : 0
        probe.close(() => resolve(port))
      })
    })
    if (taken.has(space.toHex(space.nodeId(host, port)))) return port
  }
  throw new Error('no colliding port found in 500 tries')
}

test('4-bit ids: 10 nodes with distinct ids despite collisions; 30 values sharing keys all survive', async (t) => {
  const bits = 4
  const space = new IdSpace(bits)
  const net4 = await startTestnet(t, { nodes: 10, bits })
  const processes = net4.processes()
  assert.equal(processes.length, 10)
  const ids = processes.map((p) => p.id)
  assert.equal(new Set(ids).size, 10, `10 distinct ids: ${ids.join(' ')}`)
  for (const p of processes) {
    assert.equal(p.id, space.toHex(space.nodeId(p.host, p.port)), `@${p.port}: id is hash(${p.host}:${p.port}) mod 16`)
    const info = await net4.client.nodeInfo(p)
    assert.equal(space.toHex(info.self.id), p.id, `@${p.port} reports the id the state records`)
    assert.equal(info.bits, bits)
  }
  const settled = await timedSettle(net4)
  t.diagnostic(`ids ${[...ids].sort().join(' ')}; settled in ${settled.ms} ms`)
  assert.deepEqual(settled.problems, [])

  // The retry relies on a clash being refused: a node on a port that hashes to a taken id is turned away.
  const port = await collidingPort(processes[0]!.host, space, new Set(ids))
  await assert.rejects(addNode(net4.state, { port }), (error: unknown) => {
    assert.ok(error instanceof ToolError, String(error))
    assert.equal(error.code, 'ID_TAKEN', error.message)
    return true
  })
  assert.equal(net4.processes().length, 10, 'the refused node is not recorded')
  assert.ok(!net4.processes().some((p) => p.port === port))
  // The refused process exits right after reporting the clash: wait (bounded) until its port is closed.
  const portClosed = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, processes[0]!.host)
      socket.once('connect', () => (socket.destroy(), resolve(false)))
      socket.once('error', () => resolve(true))
    })
  let closed = false
  for (let i = 0; i < 100 && !(closed = await portClosed()); i++) await new Promise((r) => setTimeout(r, 50))
  assert.ok(closed, `the refused node on port ${port} has gone`)
  assert.deepEqual(await net4.settle(), [], 'the refused join left the ring as it was')

  // 30 values in 16 keys: at least 14 share a key with another; none may overwrite another.
  const values = Array.from({ length: 30 }, (_, i) => `tiny space value ${i}`)
  await storeAll(net4, values)
  const byKey = new Map<string, string[]>()
  for (const v of values) {
    const key = space.toHex(space.hash(v))
    byKey.set(key, [...(byKey.get(key) ?? []), v])
  }
  const shared = [...byKey.values()].filter((vs) => vs.length > 1)
  t.diagnostic(`30 values in ${byKey.size} keys; ${shared.length} keys hold 2 or more values (max ${Math.max(...shared.map((s) => s.length))})`)
  assert.ok(shared.length > 0)
  assert.deepEqual(await net4.settle(), [])

  const ringIds = net4.processes().map((p) => p.id)
  for (const v of values) {
    const found = await net4.client.lookup(pick(net4.processes()), v)
    assert.equal(found.value, v)
    assert.equal(found.node.id, trueOwner(ringIds, found.key), `${JSON.stringify(v)} found on its true owner`)
  }
  assert.deepEqual(await lookupAll(net4, values), [])
  // The owner's GET answers every value of a shared key.
  for (const [key, vs] of byKey) {
    const owner = net4.processes().find((p) => p.id === trueOwner(ringIds, key))!
    const reply = (await net4.client.http.request(owner, 'GET', `/get?key=${key}`)) as { values: string[] }
    assert.deepEqual([...reply.values].sort(), [...vs].sort(), `key ${key}: all its values on the owner`)
  }
  // Across the ring: 30 distinct values, each on min(r, N) = 3 nodes.
  const snapshot = await net4.snapshot()
  const copies = new Map<string, number>()
  for (const n of snapshot.nodes) for (const e of n.entries ?? []) copies.set(e.value, (copies.get(e.value) ?? 0) + 1)
  assert.equal(copies.size, 30)
  assert.deepEqual([...copies].filter(([, n]) => n !== 3), [], 'every value held exactly 3 times')

  // Deleting one value of a shared key leaves the others.
  const [first, second] = shared[0]! as [string, string]
  await net4.client.deleteValue(pick(net4.processes()), first)
  await assert.rejects(net4.client.lookup(pick(net4.processes()), first), (e: unknown) => e instanceof DhtError && e.code === 'NOT_FOUND')
  assert.equal((await net4.client.lookup(pick(net4.processes()), second)).value, second)
  for (const p of net4.processes()) assert.ok(isAlive(p.pid))
})
