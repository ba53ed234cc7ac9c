// RingClient checks every reply through the Wire: a node that answers with the wrong shape, an id that
// is not the hash of its address, or a routing mode that does not exist, is a BAD_REPLY naming the field;
// the node's own errors pass through untouched.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { RingClient } from '../../src/tools/ring-client.js'
import { DhtError, isDhtError, isToolError } from '../../src/node/errors.js'
import type { NodeInfo } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { Wire, type Json } from '../../src/node/wire.js'

const space = new IdSpace(8)
const at = { host: '127.0.0.1', port: 5000 }
const peer = (port: number) => ({ id: space.toHex(space.nodeId('127.0.0.1', port)), host: '127.0.0.1', port })

/** A client whose every request answers `reply` (or throws it when it is an Error). */
function answering(reply: unknown, bits = 8): RingClient {
  const client = new RingClient(bits)
  client.http.request = async () => {
    if (reply instanceof Error) throw reply
    return reply
  }
  return client
}

async function badReply(call: Promise<unknown>, field: RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(isToolError(error, 'BAD_REPLY'), `expected BAD_REPLY, got ${String(error)}`)
    assert.match(error.message, /^127\.0\.0\.1:5000 answered /)
    assert.match(error.message, field)
    return true
  })
}

const valueReply = { key: '2a', value: 'hello', node: peer(5001), hops: 2, path: [peer(5002), peer(5001)] }

describe('RingClient replies', () => {
  test('a good reply comes back as the tools print it', async () => {
    const client = answering({ ...valueReply, key: '2A' })
    assert.deepEqual(await client.lookup(at, 'hello'), { ...valueReply, key: '2a' })
  })

  test('store, lookup and delete: a node or path that is not a node, or an id that is not its hash, is refused', async () => {
    await badReply(answering({ ...valueReply, node: { host: '127.0.0.1' } }).store(at, 'x'), /node\.port/)
    await badReply(answering({ ...valueReply, node: { ...peer(5001), id: peer(5003).id } }).lookup(at, 'x'), /node\.id does not match the hash/)
    await badReply(answering({ ...valueReply, path: 'everywhere' }).deleteValue(at, 'x'), /path must be an array/)
    await badReply(answering({ ...valueReply, path: [peer(5001), 7] }).lookup(at, 'x'), /path\[1\] must be a JSON object/)
    await badReply(answering({ ...valueReply, hops: -1 }).lookup(at, 'x'), /hops must be an integer/)
    await badReply(answering({ ...valueReply, key: 'not hex' }).lookup(at, 'x'), /key must be a hex id/)
    await badReply(answering('ok').lookup(at, 'x'), /with a bad reply: reply must be a JSON object/)
  })

  test('findnode: node, successor and path checked; an unknown mode is not taken for fingers', async () => {
    const good = { id: '10', mode: 'linear', node: peer(5001), successor: peer(5002), hops: 3, path: [peer(5001)] }
    assert.deepEqual(await answering(good).findNode(at, '10', 'linear'), good)
    await badReply(answering({ ...good, successor: null }).findNode(at, '10'), /successor must be a JSON object/)
    await badReply(answering({ ...good, mode: 'teleport' }).findNode(at, '10'), /mode must be one of fingers, linear, onehop/)
  })

  test('content: every entry checked', async () => {
    const good = { node: peer(5001), count: 1, entries: [{ key: '0f', value: 'v', version: 7 }], tombstones: [{ key: '10', value: 'gone', version: 9, deleted: true }] }
    assert.deepEqual(await answering(good).content(at), { count: 1, entries: [{ key: '0f', value: 'v', version: 7 }], tombstones: [{ key: '10', value: 'gone', version: 9 }] })
    // A node without versions (the lab node, a student's) lists live values without one; a tombstone needs its version.
    assert.deepEqual((await answering({ ...good, entries: [{ key: '0f', value: 'v' }] }).content(at)).entries, [{ key: '0f', value: 'v', version: 0 }])
    await badReply(answering({ ...good, tombstones: [{ key: '10', value: 'gone', deleted: true }] }).content(at), /tombstones\[0\]\.version is required/)
    await badReply(answering({ ...good, entries: [{ key: '0f', value: 7, version: 1 }] }).content(at), /entries\[0\]\.value must be a string/)
    await badReply(answering({ ...good, entries: [{ key: 'fff', value: 'v', version: 1 }] }).content(at), /entries\[0\]\.key/)
    await badReply(answering({ ...good, count: 'one' }).content(at), /count/)
  })

  test('leave: handedTo is a node or null', async () => {
    assert.deepEqual(await answering({ left: peer(5000), handedTo: null }).leave(at), { handedTo: null, spans: [] })
    assert.deepEqual(await answering({ left: peer(5000), handedTo: peer(5001) }).leave(at), { handedTo: peer(5001), spans: [] })
    await badReply(answering({ handedTo: 'the predecessor' }).leave(at), /handedTo must be a JSON object/)
  })

  test('ring parameters: read at any id width, each by its setting', async () => {
    const info = { bits: 8, replicas: 3, routeMode: 'linear', maxValueBytes: 1024, pid: 77 }
    assert.deepEqual(await answering(info, 160).ringParameters(at), { bits: 8, replicas: 3, routeMode: 'linear', maxValueBytes: 1024 })
    assert.deepEqual(await answering({ bits: 8, replicas: 3, routeMode: 'fingers' }, 160).ringParameters(at), { bits: 8, replicas: 3, routeMode: 'fingers' })
    // A process that lists several virtual nodes gives the ring's VNODES= (one listed: the default).
    const vnodes = (n: number) => Array.from({ length: n }, () => ({ id: '00', host: 'h', port: 1 }))
    assert.equal((await answering({ ...info, vnodes: vnodes(4) }, 160).ringParameters(at)).vnodes, 4)
    assert.equal((await answering({ ...info, vnodes: vnodes(1) }, 160).ringParameters(at)).vnodes, undefined)
    await badReply(answering({ ...info, routeMode: 'fingerz' }, 160).ringParameters(at), /routeMode must be fingers, linear or onehop, got "fingerz"/)
    await badReply(answering({ ...info, routeMode: undefined }, 160).ringParameters(at), /routeMode must be a string/)
    await badReply(answering({ ...info, bits: '8' }, 160).ringParameters(at), /bits must be an integer from 1 to 160/)
    await badReply(answering({ ...info, replicas: 99 }, 160).ringParameters(at), /replicas must be an integer from 1 to 16/)
  })

  test('nodeinfo: the info through the Wire, the pid the state file records and the process\'s virtual nodes', async () => {
    const wire = new Wire(space)
    const self = { id: space.nodeId('127.0.0.1', 5000), host: '127.0.0.1', port: 5000 }
    const info: NodeInfo = { self, status: 'ready', predecessor: null, successor: self, successors: [self], fingers: [], keys: 0, values: 0, tombstones: 0, bits: 8, replicas: 3, routeMode: 'fingers', routingState: { entries: 0, bytes: 0 } }
    const json = { ...(wire.nodeInfo(info) as Record<string, Json>), pid: 4242 }
    assert.deepEqual(await answering(json).nodeProcess(at), { info, pid: 4242, vnodes: [self] })
    // A process hosting virtual nodes lists them all, each checked as any node in a reply is.
    const second = { id: space.nodeId('127.0.0.1', 5000, 1), host: '127.0.0.1', port: 5000 }
    assert.deepEqual((await answering({ ...json, vnodes: [wire.peer(self), wire.peer(second)] }).nodeProcess(at)).vnodes, [self, second])
    await badReply(answering({ ...json, vnodes: [{ ...wire.peer(self), id: 'zz' }] }).nodeProcess(at), /vnodes\[0\]\.id must be a hex id/)
    await badReply(answering({ ...json, pid: 'four' }).nodeProcess(at), /pid must be an integer/)
    await badReply(answering({ ...json, status: 'sleeping' }).nodeInfo(at), /status must be one of/)
  })

  test('the node\'s own errors pass through as they are', async () => {
    await assert.rejects(answering(new DhtError('NOT_FOUND', '"x" is not stored')).lookup(at, 'x'), (error: unknown) => isDhtError(error, 'NOT_FOUND'))
  })
})
