// Maintenance against a scripted transport: stabilize finds a node that slipped in and skips a dead
// successor, and announces a neighbour any call found dead; the fingerprint stabilize brings decides whether replica sync fetches anything; a
// neighbour closing its connection brings a backed-off stabilize back at once.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultNodeConfig } from '../../src/node/config.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import { digestOf } from '../../src/node/protocol/key-store.js'
import type { Announcement, Neighbors, Peer, StoredRecord } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { ManualClock } from '../../src/workbench/sim/manual-clock.js'
import type { NeighborsAsk, StabilizeAsk } from '../../src/node/api/rpcs.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const space = new IdSpace(8)
const ports = (peers: Peer[]) => peers.map((p) => Number(p.id))

function nodeAt(id: number, transport: ScriptedTransport): ChordNode {
  return new ChordNode(peer(id), space, transport, defaultNodeConfig({ bits: 8, replicas: 3 }))
}

describe('stabilize', () => {
  test('adopts a node that slipped in before the successor, takes its successor list, and notifies it', async () => {
    const t = new ScriptedTransport().on('notify', () => undefined).on('insert', () => undefined)
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    const answers = new Map<bigint, Neighbors>([
      [50n, { predecessor: peer(30), successors: [peer(100), peer(150)] }],
      [30n, { predecessor: peer(10), successors: [peer(50), peer(100)] }],
    ])
    t.on('neighbors', (at) => answers.get(at.id)!)
    await node.stabilize()
    assert.deepEqual(ports(node.successors), [30, 50, 100])
    assert.deepEqual(ports(t.callsOf('notify').map((c) => c.to)), [30])
  })

  test('skips a successor that fails and forgets it', async () => {
    const t = new ScriptedTransport().on('notify', () => undefined)
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    t.on('neighbors', (at) => (at.id === 50n ? { predecessor: peer(10), successors: [peer(100), peer(150)] } : { predecessor: peer(50), successors: [peer(150), peer(200)] }))
    await node.stabilize()
    assert.deepEqual(ports(node.successors), [50, 100, 150])
    t.down(peer(50))
    await node.stabilize()
    assert.deepEqual(ports(node.successors), [100, 150, 200])
  })

  test('a successor found dead by any call, not by stabilize, is still announced as failed, once', async () => {
    const t = new ScriptedTransport().on('notify', () => undefined).on('announce', () => undefined)
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    t.on('neighbors', (at) => (at.id === 50n ? { predecessor: peer(10), successors: [peer(100), peer(150)] } : { predecessor: peer(50), successors: [peer(150), peer(200)] }))
    await node.stabilize()
    t.down(peer(50))
    // A lookup routed through the successor finds it dead first and forgets it: no pointer names it
    // for stabilize to notice, yet every node's fingers must hear of it.
    await node.findOwner(60n).catch(() => undefined)
    assert.ok(!node.successors.some((p) => p.id === 50n), 'the lookup forgot the dead successor')
    await node.stabilize()
    const news = t.callsOf('announce').map((c) => (c.request as { news: { kind: string; node: Peer; successor?: Peer } }).news)
    assert.ok(news.length > 0 && news.every((n) => n.kind === 'failed' && n.node.id === 50n && n.successor?.id === 100n), JSON.stringify(news.map((n) => [n.kind, Number(n.node.id)])))
    const sent = news.length
    await node.stabilize()
    assert.equal(t.callsOf('announce').length, sent, 'announced once')
  })

  test('a predecessor that stops answering check_predecessor is announced with us as its successor', async () => {
    const t = new ScriptedTransport().on('notify', () => undefined).on('announce', () => undefined).on('ping', () => undefined)
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    await node.setPredecessor({ predecessor: peer(200) })
    t.down(peer(200))
    await node.checkPredecessor()
    assert.equal(node.predecessor, null)
    const news = t.callsOf('announce').map((c) => (c.request as { news: { kind: string; node: Peer; successor?: Peer } }).news)
    assert.ok(news.length > 0 && news.every((n) => n.kind === 'failed' && n.node.id === 200n && n.successor?.id === 10n))
  })
})

describe('replica sync rides on stabilize', () => {
  /** Node 10 with successors 50, 100, 150 (r = 3): it holds a copy of [50, 150). */
  async function scene(successorEntries: StoredRecord[]) {
    const t = new ScriptedTransport().on('notify', () => undefined)
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    t.on('neighbors', (_at, request?: NeighborsAsk) => ({
      predecessor: peer(10),
      successors: [peer(100), peer(150)],
      ...(request?.digestOf ? { digest: digestOf(successorEntries) } : {}),
    }))
    t.on('rangeEntries', () => ({ unchanged: false, entries: successorEntries }))
    await node.stabilize() // now the successor list is complete and the replica range known
    t.calls.length = 0
    return { t, node }
  }

  test('a copy that matches the successor\'s fingerprint costs no transfer', async () => {
    const { t, node } = await scene([])
    const learned = await node.stabilize()
    assert.ok(learned.replicaDigest, 'stabilize brings the fingerprint of [50, 150)')
    assert.equal(learned.replicaDigest.from, 50n)
    assert.equal(learned.replicaDigest.to, 150n)
    await node.syncReplicas(learned.replicaDigest)
    assert.equal(t.callsOf('rangeEntries').length, 0)
  })

  test('a copy that differs is fetched and replaced', async () => {
    const theirs: StoredRecord[] = [{ key: 60n, value: 'sixty', version: 1, deleted: false }, { key: 120n, value: 'one-twenty', version: 1, deleted: false }]
    const { t, node } = await scene(theirs)
    const learned = await node.stabilize()
    await node.syncReplicas(learned.replicaDigest)
    assert.equal(t.callsOf('rangeEntries').length, 1)
    assert.deepEqual(node.store.recordsIn(50n, 150n).map((e) => e.value).sort(), ['one-twenty', 'sixty'])
  })

  test('the task run by the timers does both, in that order, notify riding on the neighbours call', async () => {
    const theirs: StoredRecord[] = [{ key: 60n, value: 'sixty', version: 1, deleted: false }]
    const { t, node } = await scene(theirs)
    await node.runTask('stabilize')
    assert.deepEqual(
      t.calls.map((c) => c.method),
      ['neighborsAndNotify', 'rangeEntries'],
    )
    assert.deepEqual((t.callsOf('neighborsAndNotify')[0]!.request as StabilizeAsk).notify, node.self)
  })

  test('a settled round is one exchange, and quiet', async () => {
    const { t, node } = await scene([])
    assert.equal(await node.runTask('stabilize'), 'quiet')
    assert.deepEqual(t.calls.map((c) => c.method), ['neighborsAndNotify'])
  })
})

describe('a neighbour closing its connection', () => {
  /** Node 10 with successors 50, 100, 150 in a quiet ring, its timers on a manual clock, backed off. */
  async function quietNode() {
    const t = new ScriptedTransport().on('notify', () => undefined).on('ping', () => undefined).on('routeStep', (at) => ({ kind: 'owner', holders: [at], ownerSuccessor: peer(100) }))
    t.on('neighbors', (at, request?: NeighborsAsk) => ({ predecessor: at.id === 50n ? peer(10) : peer(50), successors: [peer(100), peer(150), peer(200)], ...(request?.digestOf ? { digest: digestOf([]) } : {}) }))
    const clock = new ManualClock()
    const node = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 3 }), () => {}, { clock })
    await node.setSuccessor({ successor: peer(50) })
    node.start({ jitter: 0 })
    const advance = async (ms: number) => {
      for (let waited = 0; waited < ms; waited += 50) {
        clock.advance(50)
        await new Promise(setImmediate)
      }
    }
    await advance(30_000) // long enough for stabilize to reach its longest wait
    /** Whether stabilize runs in the next `ms`, counted from just after one of its rounds (it waits 6 s now). */
    const stabilizedWithin = async (ms: number, before: () => void = () => {}) => {
      t.calls.length = 0
      while (t.callsOf('neighborsAndNotify').length === 0) await advance(50)
      t.calls.length = 0
      before()
      await advance(ms)
      return t.callsOf('neighborsAndNotify').length > 0
    }
    return { node, stabilizedWithin, stop: () => node.stop() }
  }

  test("a neighbour's closed connection brings stabilize back within one period; anyone else's changes nothing", async () => {
    const { node, stabilizedWithin, stop } = await quietNode()
    try {
      assert.equal(await stabilizedWithin(1100), false, 'backed off: no stabilize within one period')
      assert.equal(await stabilizedWithin(1100, () => node.connectionClosed({ host: 'n77', port: 1077 })), false, 'a stranger closing a connection is not news')
      assert.equal(await stabilizedWithin(1100, () => node.connectionClosed(peer(50))), true, 'the successor closing its connection: stabilize at once')
    } finally {
      stop()
    }
  })
})

test('a failed node further down the successor list is announced with the node after it, not with the announcer', async () => {
  // 100 is a virtual node of 50's process, so replica sync reconciles [100, 200) with it: the call that finds it dead.
  const sibling: Peer = { id: 100n, host: peer(50).host, port: peer(50).port }
  const t = new ScriptedTransport()
    .on('neighbors', () => ({ predecessor: peer(10), successors: [sibling, peer(150), peer(200)] }))
    .on('rangeEntries', () => ({ unchanged: false, entries: [] }))
    .on('announce', () => undefined)
  const node = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 3 }))
  await node.setSuccessor({ successor: peer(50) })
  await node.stabilize()
  assert.deepEqual(node.successors.map((p) => Number(p.id)), [50, 100, 150, 200])
  t.down(sibling)
  await node.syncReplicas()
  await node.stabilize()
  const news = t.callsOf('announce').map((c) => (c.request as { news: Announcement }).news)
  assert.ok(news.length > 0, 'the failure is announced')
  for (const one of news) assert.deepEqual([Number(one.node.id), Number(one.successor?.id)], [100, 150])
})
