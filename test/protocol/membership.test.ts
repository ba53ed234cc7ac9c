// Membership against a scripted transport: notify's rules, the handoff when a successor slips in,
// the order of a JOIN's rewiring, and LEAVE handing its range to the predecessor.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultNodeConfig } from '../../src/node/config.js'
import { DhtError, isDhtError } from '../../src/node/errors.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { Peer, StoredRecord } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const space = new IdSpace(8)

function nodeAt(id: number, transport: ScriptedTransport, replicas = 3): ChordNode {
  return new ChordNode(peer(id), space, transport, defaultNodeConfig({ bits: 8, replicas }))
}

const keys = (entries: StoredRecord[]) => entries.map((e) => Number(e.key)).sort((a, b) => a - b)
const port = (p: Peer | null) => (p ? Number(p.id) : null)

describe('notify: a node that thinks it is our predecessor', () => {
  test('is taken when we know no predecessor, or when it lies between the one we know and us', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(100, t)
    await node.notify({ candidate: peer(20) })
    assert.equal(port(node.predecessor), 20)
    await node.notify({ candidate: peer(60) })
    assert.equal(port(node.predecessor), 60, '60 lies in (20, 100)')
  })

  test('is ignored when it lies outside (predecessor, us)', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(100, t)
    await node.notify({ candidate: peer(60) })
    await node.notify({ candidate: peer(20) })
    await node.notify({ candidate: peer(150) })
    assert.equal(port(node.predecessor), 60)
  })

  test('is refused when it does not answer, and changes nothing', async () => {
    const t = new ScriptedTransport().down(peer(60))
    const node = nodeAt(100, t)
    await assert.rejects(node.notify({ candidate: peer(60) }), (error) => isDhtError(error, 'BAD_REQUEST'))
    assert.equal(node.predecessor, null)
  })

  test('from the current predecessor is proof of life: check_predecessor then sends no ping', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(100, t)
    await node.notify({ candidate: peer(60) })
    await node.checkPredecessor() // heard from by the notify that set it
    assert.equal(t.callsOf('ping').length, 1, 'only the notify checked that 60 answers')
    await node.checkPredecessor() // not heard from since: ping
    assert.equal(t.callsOf('ping').length, 2)
    await node.notify({ candidate: peer(60) })
    await node.checkPredecessor()
    assert.equal(t.callsOf('ping').length, 2, 'the notify counted as proof of life')
    t.down(peer(60))
    await node.checkPredecessor()
    assert.equal(node.predecessor, null, 'a predecessor that stops answering is forgotten')
  })
})

describe('a new successor inside our range takes its keys', () => {
  const entries: StoredRecord[] = [20n, 60n, 120n, 250n].map((key) => ({ key, value: `v${key}`, version: 1, deleted: false }))

  for (const replicas of [1, 3]) {
    test(`[new successor, old successor) is handed over with one copy; r = ${replicas} ${replicas === 1 ? 'deletes' : 'keeps'} our copy`, async () => {
      const t = new ScriptedTransport().on('insert', () => undefined)
      const node = nodeAt(10, t, replicas)
      await node.setSuccessor({ successor: peer(200) })
      await node.insert({ records: entries, role: 'handoff', copies: 1 })
      t.calls.length = 0
      await node.setSuccessor({ successor: peer(50) })
      const [handoff, ...rest] = t.callsOf('insert')
      assert.equal(rest.length, 0)
      assert.equal(port(handoff!.to), 50)
      const { records: sent, role, copies } = handoff!.request as { records: StoredRecord[]; role: string; copies: number }
      assert.deepEqual(keys(sent), [60, 120], 'exactly the keys of [50, 200)')
      assert.equal(role, 'handoff')
      assert.equal(copies, 1)
      assert.equal(port(node.successor), 50)
      const kept = keys(node.store.allRecords())
      assert.deepEqual(kept, replicas === 1 ? [20, 250] : [20, 60, 120, 250])
    })
  }

  test('the successors known past the new one stay behind it (a joiner that fails at once leaves a live successor); past them, none', async () => {
    const t = new ScriptedTransport().on('neighborsAndNotify', () => ({ predecessor: peer(10), successors: [peer(200), peer(10)] }))
    const node = nodeAt(10, t, 3)
    await node.setSuccessor({ successor: peer(100) })
    await node.stabilize()
    assert.deepEqual(node.successors.map(port), [100, 200])
    await node.setSuccessor({ successor: peer(50) }) // a joiner between us and 100
    assert.deepEqual(node.successors.map(port), [50, 100, 200])
    await node.setSuccessor({ successor: peer(150) }) // a leave: 50 and 100 gone, linked past them
    assert.deepEqual(node.successors.map(port), [150, 200])
  })

  test('a successor that does not answer is refused and nothing moves', async () => {
    const t = new ScriptedTransport().down(peer(50))
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(200) })
    await assert.rejects(node.setSuccessor({ successor: peer(50) }), (error) => isDhtError(error, 'BAD_REQUEST'))
    assert.equal(port(node.successor), 200)
    assert.equal(t.callsOf('insert').length, 0)
  })
})

describe('JOIN handled by a node of the ring', () => {
  test('rewires joiner, predecessor and successor in the lab\'s order, the predecessor handing keys over', async () => {
    const t = new ScriptedTransport().on('setPredecessor', () => undefined).on('insert', () => undefined)
    const node = nodeAt(10, t)
    // The PUT to this node itself is a message too, and this node answers it.
    t.on('setSuccessor', (to, request) => (to.id === 10n ? node.setSuccessor(request) : undefined))
    await node.setSuccessor({ successor: peer(50) })
    await node.setPredecessor({ predecessor: peer(200) })
    await node.insert({ records: [{ key: 20n, value: 'a', version: 1, deleted: false }, { key: 40n, value: 'b', version: 1, deleted: false }], role: 'store', copies: 1 })
    t.calls.length = 0
    const result = await node.join({ joiner: peer(30) })
    assert.equal(port(result.predecessor), 10)
    assert.equal(port(result.successor), 50)
    const steps = t.calls.filter((c) => c.method !== 'ping').map((c) => `${c.method} ${port(c.to)}`)
    // The joiner's two pointers, then the predecessor (this node, sent to itself as the lab's PUT) hands
    // [30, 50) to the joiner as it links it, then the successor learns of its new predecessor.
    assert.deepEqual(steps, ['setPredecessor 30', 'setSuccessor 30', 'setSuccessor 10', 'insert 30', 'setPredecessor 50'])
    assert.deepEqual(keys((t.callsOf('insert')[0]!.request as { records: StoredRecord[] }).records), [40])
    assert.equal(port(node.successor), 30)
  })

  test('a joiner with the id of a running node is refused with ID_TAKEN', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    await assert.rejects(node.join({ joiner: peer(10) }), (error) => isDhtError(error, 'ID_TAKEN'))
  })
})

describe('joining through a bootstrap node', () => {
  /** A ring of 10 and 50 as the joiner 30 sees it, answering whatever its first rounds ask. */
  function ring(t: ScriptedTransport): ScriptedTransport {
    return t
      .on('neighbors', () => ({ predecessor: peer(10), successors: [peer(10)] }))
      .on('rangeEntries', () => ({ unchanged: false, entries: [] }))
      .on('routeStep', (to) => ({ kind: 'owner', holders: [to], ownerSuccessor: to.id === 50n ? peer(10) : peer(50) }))
      .on('announce', () => undefined)
  }

  test('a JOIN that wired us in but whose answer never came (the bootstrap crashed): we stay, as a node Chord\'s own join leaves', async () => {
    const t = ring(new ScriptedTransport())
    const joiner = nodeAt(30, t)
    t.on('join', async () => {
      await joiner.setPredecessor({ predecessor: peer(10) })
      await joiner.setSuccessor({ successor: peer(50) })
      throw new DhtError('PEER_UNREACHABLE', 'the bootstrap crashed before it answered')
    })
    const result = await joiner.joinVia(peer(10))
    assert.equal(joiner.status, 'ready')
    assert.equal(port(result.successor), 50)
    assert.ok(t.callsOf('neighborsAndNotify').some((c) => port(c.to) === 50), 'its stabilize notifies its successor')
  })

  test('a JOIN refused, or unanswered before it wired us in, stops the joiner', async () => {
    const refused = ring(new ScriptedTransport()).on('join', () => {
      throw new DhtError('ID_TAKEN', 'taken')
    })
    const first = nodeAt(30, refused)
    await assert.rejects(first.joinVia(peer(10)), (error) => isDhtError(error, 'ID_TAKEN'))
    assert.equal(first.status, 'stopped')
    const silent = ring(new ScriptedTransport()).down(peer(10))
    const second = nodeAt(30, silent)
    await assert.rejects(second.joinVia(peer(10)), (error) => isDhtError(error, 'PEER_UNREACHABLE'))
    assert.equal(second.status, 'stopped')
  })
})

describe('LEAVE on request', () => {
  test('hands [self, successor) to the predecessor, then links predecessor and successor, and stops', async () => {
    const t = new ScriptedTransport().on('insert', () => undefined).on('setSuccessor', () => undefined).on('setPredecessor', () => undefined)
    const node = nodeAt(100, t)
    await node.setSuccessor({ successor: peer(150) })
    await node.setPredecessor({ predecessor: peer(50) })
    await node.insert({ records: [{ key: 120n, value: 'mine', version: 1, deleted: false }], role: 'store', copies: 1 })
    t.calls.length = 0
    await node.leave()
    const steps = t.calls.filter((c) => c.method !== 'ping').map((c) => `${c.method} ${port(c.to)}`)
    // Then it tells the ring it has gone (down its finger tree: here only its successor is known).
    assert.deepEqual(steps, ['insert 50', 'setSuccessor 50', 'setPredecessor 150', 'announce 150'])
    assert.deepEqual(keys((t.callsOf('insert')[0]!.request as { records: StoredRecord[] }).records), [120])
    assert.equal(port((t.callsOf('setSuccessor')[0]!.request as { successor: Peer }).successor), 150)
    assert.equal(port((t.callsOf('setPredecessor')[0]!.request as { predecessor: Peer }).predecessor), 50)
    assert.equal(node.status, 'stopped')
  })

  test('is refused with NOT_READY while the predecessor does not answer, and the node keeps running', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(100, t)
    await node.setSuccessor({ successor: peer(150) })
    await node.setPredecessor({ predecessor: peer(50) })
    t.down(peer(50))
    await assert.rejects(node.leave(), (error) => isDhtError(error, 'NOT_READY'))
    assert.equal(node.status, 'ready')
  })

  test('the last node of a ring cannot leave (LAST_NODE)', async () => {
    const node = nodeAt(100, new ScriptedTransport())
    await assert.rejects(node.leave(), (error) => isDhtError(error, 'LAST_NODE'))
  })
})
