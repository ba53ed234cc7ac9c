// Routing against a scripted transport: what one step offers, and how the findNode driver routes
// around peers that are dead (PEER_UNREACHABLE) or hung (PEER_TIMEOUT) and stops on a peer's refusal.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultNodeConfig, TIMEOUT_RETRIES, type NodeConfig } from '../../src/node/config.js'
import { DhtError, isDhtError } from '../../src/node/errors.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { Peer, RouteStep } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const space = new IdSpace(8)

function nodeAt(id: number, transport: ScriptedTransport, overrides: Partial<NodeConfig> = {}): ChordNode {
  return new ChordNode(peer(id), space, transport, defaultNodeConfig({ bits: 8, replicas: 3, ...overrides }))
}

/** Gives `node` this successor list, through stabilize as the protocol would. */
async function withSuccessors(node: ChordNode, transport: ScriptedTransport, successors: Peer[]): Promise<void> {
  await node.setSuccessor({ successor: successors[0]! })
  transport.on('neighbors', () => ({ predecessor: node.self, successors: successors.slice(1) })).on('notify', () => undefined)
  await node.stabilize()
}

const ports = (peers: Peer[]) => peers.map((p) => Number(p.id))
const owner = (holders: Peer[], successor: Peer): RouteStep => ({ kind: 'owner', holders, ownerSuccessor: successor })
const next = (candidates: Peer[], successors: Peer[] = candidates): RouteStep => ({ kind: 'next', candidates, successors })

describe('one routing step, answered from the node itself', () => {
  test('the owner answers for [self, successor) with itself and its predecessor as holders, and its values', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    await node.setPredecessor({ predecessor: peer(200) })
    await node.insert({ records: [{ key: 20n, value: 'twenty', version: 1, deleted: false }], role: 'store', copies: 1 })
    for (const key of [10n, 20n, 49n]) {
      const step = await node.routeStep({ key: key, mode: 'fingers', withValues: true })
      assert.equal(step.kind, 'owner', `key ${key}`)
      if (step.kind !== 'owner') continue
      assert.deepEqual(ports(step.holders), [10, 200])
      assert.equal(step.ownerSuccessor.id, 50n)
      assert.deepEqual(step.values, key === 20n ? ['twenty'] : [])
    }
    assert.equal((await node.routeStep({ key: 50n, mode: 'fingers' })).kind, 'next', 'the successor id is the successor\'s own')
  })

  test('fingers mode offers the closest preceding nodes, nearest the key first, never one past it', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await withSuccessors(node, t, [peer(50), peer(100), peer(150)])
    node.fingers.set(6, peer(100))
    node.fingers.set(7, peer(220))
    const step = await node.routeStep({ key: 160n, mode: 'fingers' })
    assert.equal(step.kind, 'next')
    if (step.kind !== 'next') return
    assert.deepEqual(ports(step.candidates), [150, 100, 50])
    assert.ok(!step.candidates.some((p) => p.id === 220n), 'a finger past the key would overshoot it')
  })

  test('linear mode offers only successors at or before the key', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t, { routeMode: 'linear' })
    await withSuccessors(node, t, [peer(50), peer(80), peer(120)])
    node.fingers.set(6, peer(90))
    const step = await node.routeStep({ key: 100n, mode: 'linear' })
    assert.equal(step.kind, 'next')
    if (step.kind === 'next') assert.deepEqual(ports(step.candidates), [50, 80])
  })
})

describe('findOwner: the iterative route, driven by the asking node', () => {
  /** Node 10 knows 50 and 100; 50 knows 150, which owns 170. */
  async function scene(): Promise<{ t: ScriptedTransport; node: ChordNode }> {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    node.fingers.set(6, peer(100))
    t.on('routeStep', (at) => {
      if (at.id === 50n) return next([peer(150)], [peer(100), peer(150)])
      if (at.id === 100n) return next([peer(150)], [peer(150), peer(200)])
      if (at.id === 150n) return owner([peer(150), peer(100)], peer(200))
      throw new Error(`unexpected route step at ${at.port}`)
    })
    return { t, node }
  }

  for (const code of ['PEER_UNREACHABLE', 'PEER_TIMEOUT'] as const) {
    test(`a candidate failing with ${code} costs a detour through the next one, and is forgotten`, async () => {
      const { t, node } = await scene()
      t.down(peer(100), code)
      const route = await node.findOwner(170n)
      assert.equal(route.owner.id, 150n)
      assert.deepEqual(ports(route.path), [10, 50, 150], 'the failed node is not on the path')
      assert.equal(route.hops, 2)
      // A timeout may be one lost message: the peer is asked again (TIMEOUT_RETRIES) before it counts as failed.
      const asked = [...Array<number>(code === 'PEER_TIMEOUT' ? 1 + TIMEOUT_RETRIES : 1).fill(100), 50, 150]
      assert.deepEqual(ports(t.callsOf('routeStep').map((c) => c.to)), asked)
      assert.ok(!node.fingers.distinct().some((row) => row.node.id === 100n), 'the failed finger is forgotten')
    })
  }

  test('a call lost once (PEER_TIMEOUT, then an answer) is asked again: no detour, and the peer is not forgotten', async () => {
    const { t, node } = await scene()
    let lost = 0
    t.on('routeStep', (at) => {
      if (at.id === 100n && lost++ === 0) throw new DhtError('PEER_TIMEOUT', 'lost on the way')
      if (at.id === 100n) return next([peer(150)], [peer(150), peer(200)])
      if (at.id === 150n) return owner([peer(150), peer(100)], peer(200))
      throw new Error(`unexpected route step at ${at.port}`)
    })
    const route = await node.findOwner(170n)
    assert.deepEqual(ports(route.path), [10, 100, 150], 'the same route as without the loss')
    assert.deepEqual(ports(t.callsOf('routeStep').map((c) => c.to)), [100, 100, 150])
    assert.ok(node.fingers.distinct().some((row) => row.node.id === 100n), 'a peer that answered the second time is remembered')
  })

  test('an unreachable peer (connection refused) is not asked again: only a timeout may be a lost message', async () => {
    const { t, node } = await scene()
    t.down(peer(100), 'PEER_UNREACHABLE')
    await node.findOwner(170n)
    assert.equal(t.callsOf('routeStep').filter((c) => c.to.id === 100n).length, 1)
  })

  test('without failures the nearest candidate is asked first and nobody twice', async () => {
    const { t, node } = await scene()
    const route = await node.findOwner(170n)
    assert.deepEqual(ports(route.path), [10, 100, 150])
    assert.deepEqual(ports(t.callsOf('routeStep').map((c) => c.to)), [100, 150])
    assert.deepEqual(ports(route.holders), [150, 100])
    assert.equal(route.inherited, false)
  })

  test('a peer that refuses (its own error, not a failure) ends the route with that error', async () => {
    const { t, node } = await scene()
    t.on('routeStep', () => {
      throw new DhtError('BAD_REQUEST', 'no such mode')
    })
    await assert.rejects(node.findOwner(170n), (error) => isDhtError(error, 'BAD_REQUEST'))
  })

  test('when every node up to the key has failed, the asking node inherits the key until stabilize catches up', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await withSuccessors(node, t, [peer(50), peer(100)])
    t.down(peer(50))
    const route = await node.findOwner(70n)
    assert.equal(route.inherited, true)
    assert.equal(route.owner.id, 10n)
    assert.equal(route.ownerSuccessor.id, 100n)
    assert.deepEqual(ports(route.holders), [10])
    assert.deepEqual(ports(node.successors), [100], 'the failed successor is forgotten')
  })

  test('a route that never ends fails with ROUTE_FAILED after maxHops', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t, { maxHops: 5 })
    await node.setSuccessor({ successor: peer(20) })
    let hop = 20
    // Each node points at a new one a little further on and never owns the key.
    t.on('routeStep', () => next([peer(++hop)]))
    await assert.rejects(node.findOwner(250n), (error) => isDhtError(error, 'ROUTE_FAILED') && /exceeded 5 hops/.test((error as Error).message))
  })

  test('with every other node it knows dead, the asking node is the heir of the key', async () => {
    const t = new ScriptedTransport()
    const node = nodeAt(10, t)
    await node.setSuccessor({ successor: peer(50) })
    node.fingers.set(6, peer(100))
    t.on('routeStep', () => next([peer(150)], [peer(150)])).down(peer(150))
    t.down(peer(100))
    t.down(peer(50))
    const route = await node.findOwner(170n)
    assert.equal(route.inherited, true)
    assert.equal(route.owner.id, 10n)
  })
})
