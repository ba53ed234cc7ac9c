// Membership news handed down the finger tree, against a scripted transport: each relay gets the ring
// up to the next relay as its share, and a relay that does not answer passes its share to the first
// live node after it, found by routing, so its share still hears the news.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultNodeConfig } from '../../src/node/config.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { Announcement, Peer } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const space = new IdSpace(8)

test('a relay that does not answer hands its share on to the first live node after it', async () => {
  const t = new ScriptedTransport()
    .on('notify', () => undefined)
    .on('announce', () => undefined)
    .on('neighbors', () => ({ predecessor: peer(200), successors: [peer(100), peer(150)] }))
    // Node 50 owns 100's id now that 100 is gone, and names the node after it.
    .on('routeStep', () => ({ kind: 'owner', holders: [peer(50)], ownerSuccessor: peer(120) }))
  const node = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 3 }))
  await node.setSuccessor({ successor: peer(50) })
  await node.stabilize()
  t.down(peer(100))
  const news: Announcement = { kind: 'failed', node: peer(230), successor: peer(10), version: 1 }
  await node.announce({ news, limit: 10n })
  const sent = t.callsOf('announce').map((c) => `${Number(c.to.id)} up to ${Number((c.request as { limit: bigint }).limit)}`)
  assert.deepEqual(sent.sort(), ['100 up to 150', '120 up to 150', '150 up to 10', '50 up to 100'])
  assert.ok(!node.successors.some((p: Peer) => p.id === 100n), 'the relay that failed is forgotten')
})

test('news of a node gone whose successor was heard of as gone first leaves no finger on either (a leave, then a crash next to it)', async () => {
  const t = new ScriptedTransport().on('announce', () => undefined)
  const node = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 3 }))
  node.fingers.set(5, peer(60))
  // Over two paths the crash of 70 arrives before the leave of 60, which names 70 as its successor.
  await node.announce({ news: { kind: 'failed', node: peer(70), successor: peer(90), version: 2 }, limit: 10n })
  await node.announce({ news: { kind: 'left', node: peer(60), successor: peer(70), version: 1 }, limit: 10n })
  const fingers = node.fingers.distinct().map((row) => Number(row.node.id))
  assert.ok(!fingers.includes(60) && !fingers.includes(70), `fingers ${fingers.join(', ')}`)
  // In the other order the finger follows the news to the live node.
  const other = new ChordNode(peer(10), space, t, defaultNodeConfig({ bits: 8, replicas: 3 }))
  other.fingers.set(5, peer(60))
  await other.announce({ news: { kind: 'left', node: peer(60), successor: peer(70), version: 1 }, limit: 10n })
  await other.announce({ news: { kind: 'failed', node: peer(70), successor: peer(90), version: 2 }, limit: 10n })
  assert.deepEqual(other.fingers.distinct().map((row) => Number(row.node.id)), [90])
})
