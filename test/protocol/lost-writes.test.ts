// Writes whose calls go unanswered, against a scripted transport: a call that timed out may still have
// been applied, so the node coordinating a store or delete never turns that into a failure or a
// NOT_FOUND it cannot know: it says the outcome is unknown (PEER_TIMEOUT).
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultNodeConfig } from '../../src/node/config.js'
import { DhtError, isDhtError } from '../../src/node/errors.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { RouteStep } from '../../src/node/protocol/types.js'
import { IdSpace, betweenLeftIncl } from '../../src/node/ring.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const space = new IdSpace(8)

/** Node 10, whose successor 50 owns every key it is asked about (its own predecessor: 10). */
async function coordinator(t: ScriptedTransport): Promise<ChordNode> {
  const node = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 2 }))
  await node.setSuccessor({ successor: peer(50) })
  const owner: RouteStep = { kind: 'owner', holders: [peer(50), peer(10)], ownerSuccessor: peer(100) }
  t.on('routeStep', () => owner)
  return node
}

/** A value whose key is not in [from, to). */
function valueOutside(from: bigint, to: bigint): string {
  for (let i = 0; ; i++) {
    const value = `value ${i}`
    if (!betweenLeftIncl(space.hash(value), from, to)) return value
  }
}

/** A value whose key node 10 does not own, so its route goes to 50. */
const valueNotOwnedBy10 = () => valueOutside(10n, 50n)

const timeout = () => new DhtError('PEER_TIMEOUT', '127.0.0.1:50: no answer within 2000 ms')

describe('a delete whose first attempt went unanswered', () => {
  test('the owner answering "nothing to delete" the second time is an unknown outcome, not NOT_FOUND', async () => {
    const t = new ScriptedTransport()
    const node = await coordinator(t)
    let attempts = 0
    // The first attempt deleted the value, but its answer never came; the second finds nothing left.
    t.on('delete', () => {
      if (attempts++ === 0) throw timeout()
      return { deleted: 0 }
    }).on('get', () => ({ records: [], predecessor: peer(10) }))
    await assert.rejects(node.deleteValue(valueNotOwnedBy10()), (error) => {
      assert.ok(isDhtError(error, 'PEER_TIMEOUT'), `expected PEER_TIMEOUT, got ${String(error)}`)
      assert.match((error as Error).message, /may have been applied/)
      return true
    })
    assert.equal(t.callsOf('delete').length, 2, 'the owner is asked again once')
  })

  test('without a lost attempt, nothing to delete is NOT_FOUND', async () => {
    const t = new ScriptedTransport()
    const node = await coordinator(t)
    t.on('delete', () => ({ deleted: 0 })).on('get', () => ({ records: [], predecessor: peer(10) }))
    await assert.rejects(node.deleteValue(valueNotOwnedBy10()), (error) => isDhtError(error, 'NOT_FOUND'))
  })

  test('a second attempt that deletes is a delete', async () => {
    const t = new ScriptedTransport()
    const node = await coordinator(t)
    let attempts = 0
    t.on('delete', () => {
      if (attempts++ === 0) throw timeout()
      return { deleted: 1 }
    })
    assert.equal((await node.deleteValue(valueNotOwnedBy10())).deleted, 1)
  })
})

describe('a store whose calls go unanswered', () => {
  test('an owner and an heir that never answer: the store may have been applied (PEER_TIMEOUT), not ROUTE_FAILED', async () => {
    const t = new ScriptedTransport()
    const node = await coordinator(t)
    // Node 10 knows 100 and 150 too, so forgetting 50 does not leave it alone (owning every key).
    t.on('neighbors', () => ({ predecessor: node.self, successors: [peer(100), peer(150)] })).on('notify', () => undefined)
    await node.stabilize()
    t.on('routeStep', () => ({ kind: 'owner', holders: [peer(50), peer(30)], ownerSuccessor: peer(100) }) as RouteStep)
    // Every insert's answer is lost: to the owner, and to the heir after it.
    t.on('insert', () => {
      throw timeout()
    })
    const value = valueOutside(10n, 150n)
    await assert.rejects(node.storeValue(value), (error) => {
      assert.ok(isDhtError(error, 'PEER_TIMEOUT'), `expected PEER_TIMEOUT, got ${String(error)}`)
      assert.match((error as Error).message, /store of key [0-9a-f]{2} may have been applied/)
      return true
    })
    assert.ok(t.callsOf('insert').some((c) => c.to.id === 30n), 'the heir was tried')
  })

  test('an owner that refuses for good (its own error) is that error, not an unknown outcome', async () => {
    const t = new ScriptedTransport()
    const node = await coordinator(t)
    t.on('insert', () => {
      throw new DhtError('PAYLOAD_TOO_LARGE', 'too large')
    })
    await assert.rejects(node.storeValue(valueNotOwnedBy10()), (error) => isDhtError(error, 'PAYLOAD_TOO_LARGE'))
  })
})
