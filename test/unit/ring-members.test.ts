// A client's copy of the membership (src/tools/ring-members.ts): the owner it names for a key is the
// last node at or before the key, wrapping round past the largest id, as the lab defines ownership;
// adding, replacing and removing nodes keep the copy in id order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { IdSpace } from '../../src/node/ring.js'
import { RingMembers } from '../../src/tools/ring-members.js'

const space = new IdSpace(8)
const node = (id: number, port = 5000 + id) => ({ id: space.toHex(BigInt(id)), host: '127.0.0.1', port })

test('the owner of a key is the last node at or before it, wrapping round', () => {
  const members = new RingMembers()
  assert.equal(members.ownerOf(5n), undefined, 'an empty copy names no one')
  for (const id of [200, 10, 100]) assert.ok(members.add(node(id)))
  assert.deepEqual(members.list().map((p) => p.port), [5010, 5100, 5200], 'kept in id order')
  const cases: Array<[bigint, number]> = [
    [10n, 10], // a node owns its own id
    [11n, 10],
    [99n, 10],
    [100n, 100],
    [199n, 100],
    [200n, 200],
    [255n, 200], // the largest id
    [0n, 200], // wraps round: before the smallest node, the largest owns it
    [9n, 200],
  ]
  for (const [key, owner] of cases) assert.equal(members.ownerOf(key)?.port, 5000 + owner, `key ${key}`)
})

test('adding the same node changes nothing; a node with a known id replaces it; removing forgets it', () => {
  const members = new RingMembers()
  members.add(node(50))
  assert.equal(members.add(node(50)), false)
  assert.equal(members.add(node(50, 6050)), true, 'the same id at another address replaces it')
  assert.deepEqual(members.list().map((p) => p.port), [6050])
  members.add(node(150))
  assert.equal(members.ownerOf(160n)?.port, 5150)
  assert.ok(members.remove({ host: '127.0.0.1', port: 5150 }))
  assert.equal(members.remove({ host: '127.0.0.1', port: 5150 }), false)
  assert.equal(members.ownerOf(160n)?.port, 6050, 'its keys fall to the node before it')
  assert.ok(members.has({ host: '127.0.0.1', port: 6050 }))
  assert.equal(members.any(() => 0)?.port, 6050)
})
