// A ring of lab-sized nodes (src/lab/lab-node.ts) booted as make boot IMPL=lab does: JOIN, findNode right
// for every node's id and for keys through every node in both modes, STORE and LOOKUP of awkward values
// through any node, content passing on JOIN, LEAVE handing content over, and bad input answered 4xx.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtError } from '../../src/node/errors.js'
import { isAlive } from '../../src/tools/network-state.js'
import { leaveNode } from '../../src/tools/ring-ops.js'
import type { RingSnapshot } from '../../src/tools/ring-snapshot.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { hexKey, lookupAll, makeValues, pick, storeAll, trueOwner } from '../integration/_support.js'
import { request } from './_standalone.js'

const BITS = 16

/** Every value each node holds is one it owns: [own id, next id) of the ring as the snapshot has it. */
function misplaced(snapshot: RingSnapshot): string[] {
  const ids = snapshot.nodes.map((n) => n.id)
  return snapshot.nodes.flatMap((n) => (n.entries ?? []).filter((e) => trueOwner(ids, e.key) !== n.id).map((e) => `${e.key} "${e.value}" on ${n.id}, owner ${trueOwner(ids, e.key)}`))
}

async function lookupEverywhere(net: Testnet, values: readonly string[]): Promise<string[]> {
  const failures: string[] = []
  for (const node of net.processes()) {
    for (const value of values) {
      try {
        const found = await net.client.lookup(node, value)
        if (found.value !== value) failures.push(`@${node.port} ${JSON.stringify(value)}: answered ${JSON.stringify(found.value)}`)
      } catch (error) {
        failures.push(`@${node.port} ${JSON.stringify(value)}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
  return failures
}

test('a ring of 4 lab nodes: findNode, STORE and LOOKUP through any node, content passing on JOIN, LEAVE', async (t) => {
  const net = await startTestnet(t, { nodes: 4, bits: BITS, impl: 'lab', fingerMs: 200 })
  const settings = net.state.read()!.settings
  assert.equal(settings.impl, 'lab')
  assert.equal(settings.replicas, 1, 'a lab ring keeps one copy')
  for (const node of net.processes()) {
    const info = await request(node, 'GET', '/nodeinfo')
    assert.equal(info.body.impl, 'lab', `@${node.port} runs the lab node`)
  }
  assert.deepEqual(await net.settle(), [], 'one ordered ring, pointers and fingers right')

  // findNode: every node's id and a few keys, asked of every node, linear and through the fingers.
  const ids = net.processes().map((p) => p.id)
  const keys = [...ids, '0000', 'ffff', ...['a', 'b', 'c'].map((v) => hexKey(BITS, v))]
  const sorted = [...ids].sort()
  for (const entry of net.processes()) {
    for (const key of keys) {
      for (const mode of ['linear', 'fingers'] as const) {
        const found = await net.client.findNode(entry, key, mode)
        const owner = trueOwner(ids, key)
        assert.equal(found.node.id, owner, `findnode ${key} via @${entry.port} (${mode})`)
        assert.equal(found.successor.id, sorted[(sorted.indexOf(owner) + 1) % sorted.length], `successor of the owner of ${key}`)
        assert.equal(found.path[0]!.port, entry.port, 'the path starts at the node asked')
        assert.equal(found.path[found.path.length - 1]!.id, owner, 'the path ends at the owner')
        assert.equal(found.hops, found.path.length - 1)
        assert.ok(found.hops <= ids.length - 1, `${found.hops} hops in a ring of ${ids.length}`)
      }
    }
  }

  // STORE and LOOKUP through any node, with spaces, quotes and unicode.
  const awkward = ['two words', 'say "hi"', "it's", 'ünïcødé ✓ 日本語 🎉', '{"json": [1, 2]}', 'a&b=c?d#e %20', ' leading and trailing ']
  const values = [...awkward, ...makeValues('lab', 40)]
  await storeAll(net, values)
  assert.deepEqual(await lookupEverywhere(net, awkward), [], 'every awkward value found through every node')
  assert.deepEqual(await lookupAll(net, values), [])
  assert.deepEqual(misplaced(await net.snapshot()), [], 'each value on its owner only')
  await assert.rejects(net.client.lookup(pick(net.processes()), 'never stored'), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND' && error.status === 404)

  // Content passing: a joiner takes the values of its range from its predecessor at once.
  const joined = await net.add()
  const afterJoin = await net.snapshot()
  assert.deepEqual(misplaced(afterJoin), [], 'right after the JOIN, each value is on its owner only')
  const mine = afterJoin.nodes.find((n) => n.id === joined.id)!.entries ?? []
  t.diagnostic(`the joiner took ${mine.length} of ${values.length} values`)
  assert.deepEqual(await lookupAll(net, values), [])
  assert.deepEqual(await net.settle(), [])

  // LEAVE: a node with content hands it to its predecessor and exits.
  const snapshot = await net.snapshot()
  const leaver = snapshot.nodes.filter((n) => (n.entries?.length ?? 0) > 0).sort((a, b) => b.entries!.length - a.entries!.length)[0]!
  const record = net.processes().find((p) => p.port === leaver.port)!
  const left = await leaveNode(net.state, net.client, record)
  assert.equal(left.handedTo?.id, net.client.wire.id(leaver.info!.predecessor!.id), 'handed to its predecessor')
  assert.ok(!isAlive(record.pid), 'the leaver has exited')
  const afterLeave = await net.snapshot()
  const heir = afterLeave.nodes.find((n) => n.id === left.handedTo!.id)!
  for (const entry of leaver.entries!) assert.ok(heir.entries!.some((e) => e.value === entry.value), `"${entry.value}" is on the predecessor`)
  assert.deepEqual(misplaced(afterLeave), [])
  assert.deepEqual(await lookupAll(net, values), [], 'every value found after the LEAVE')
  assert.deepEqual(await net.settle(), [])
})

test('a lab node answers bad input with 4xx { error, code } and needs the secret to write', async (t) => {
  const net = await startTestnet(t, { nodes: 2, bits: BITS, impl: 'lab' })
  const node = net.processes()[0]!
  const secret = net.state.readSecret()!
  const cases: Array<[string, string, { body?: string; secret?: string }, number, string]> = [
    ['GET', '/findnode?id=xyz', {}, 400, 'BAD_REQUEST'],
    ['GET', '/findnode?id=123456', {}, 400, 'BAD_REQUEST'],
    ['GET', '/findnode?id=00&mode=onehop', {}, 400, 'BAD_REQUEST'],
    ['GET', '/lookup', {}, 400, 'BAD_REQUEST'],
    ['GET', '/nowhere', {}, 404, 'UNKNOWN_ROUTE'],
    ['DELETE', '/nodeinfo', { secret }, 405, 'METHOD_NOT_ALLOWED'],
    ['POST', '/store', { body: '{"value": "x"}' }, 401, 'UNAUTHORIZED'],
    ['POST', '/store', { body: '{"value": ', secret }, 400, 'BAD_REQUEST'],
    ['POST', '/store', { body: '[1, 2]', secret }, 400, 'BAD_REQUEST'],
    ['POST', '/store', { body: JSON.stringify({ value: 'x'.repeat(70_000) }), secret }, 413, 'PAYLOAD_TOO_LARGE'],
    ['PUT', '/successor', { body: '{"host": "127.0.0.1", "port": 99999}', secret }, 400, 'BAD_REQUEST'],
    ['PUT', '/successor', { body: '{"id": "0000", "host": "127.0.0.1", "port": 5000}', secret }, 400, 'BAD_REQUEST'],
    ['POST', '/join', { body: 'null', secret }, 400, 'BAD_REQUEST'],
    ['POST', '/insert', { body: '{"entries": [{"key": "zz", "value": "v"}]}', secret }, 400, 'BAD_REQUEST'],
  ]
  for (const [method, path, options, status, code] of cases) {
    const reply = await request(node, method, path, options)
    assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`)
    assert.equal(reply.body.code, code, `${method} ${path}`)
    assert.equal(typeof reply.body.error, 'string')
  }
  assert.equal((await request(node, 'GET', '/nodeinfo')).status, 200, 'still serving')
  // The last node of a ring refuses to leave.
  const [first, second] = net.processes()
  await leaveNode(net.state, net.client, second!)
  const refused = await request(first!, 'POST', '/leave', { secret })
  assert.equal(refused.status, 409)
  assert.equal(refused.body.code, 'LAST_NODE')
})

test('the tools on a lab ring: store, lookup, monitor, check work; what needs a route the lab node lacks says so in one line', async (t) => {
  const net = await startTestnet(t, { nodes: 3, bits: BITS, impl: 'lab', fingerMs: 200 })
  const run = async (name: string, env: Record<string, string> = {}) => {
    const result = await net.runScript(name, env)
    return { ...result, all: result.stdout + result.stderr }
  }
  const stored = await run('store', { V: 'über "quoted" value' })
  assert.equal(stored.code, 0, stored.all)
  const found = await run('lookup', { V: 'über "quoted" value' })
  assert.equal(found.code, 0, found.all)
  assert.match(found.stdout, /found "über \\"quoted\\" value"/)
  const monitor = await run('monitor', { ONCE: '1' })
  assert.equal(monitor.code, 0, monitor.all)
  assert.match(monitor.stdout, /3 nodes/)
  assert.match(monitor.stdout, /über/)
  const check = await run('check', { WAIT: '10' })
  assert.equal(check.code, 0, check.all)
  assert.match(check.stdout, /ring healthy.*with 1 copy/)
  const traced = await run('lookup', { V: 'über "quoted" value', TRACE: '1' })
  assert.equal(traced.code, 0, traced.all)
  // The lab node logs nothing and passes no traceparent on: the trace shows the tool's request as one hop.
  assert.match(traced.stdout, /1 message between 2 parties/, traced.all)
  assert.match(traced.stdout, /GET \/lookup\s+200 .*the node logged nothing: one hop/, traced.all)
  // Exit codes (src/tools/exit-codes.ts): 1 failed, 2 a bad argument.
  for (const [name, env, expected, code] of [
    ['delete', { V: 'über "quoted" value' }, /the lab node @\d+ has no DELETE \/store/, 1],
    ['messages', { ONCE: '1' }, /the lab node keeps no message log/, 1],
    ['slow', {}, /the lab node has no fault injection/, 1],
    ['boot', { IMPL: 'lab', R: '3' }, /R=3 needs the full node/, 2],
    ['boot', { IMPL: 'lab', MODE: 'onehop' }, /MODE=onehop needs the full node/, 2],
    ['boot', { IMPL: 'lab', VNODES: '4' }, /VNODES=4 needs the full node/, 2],
  ] as const) {
    const refused = await run(name, env)
    assert.equal(refused.code, code, `make ${name}: ${refused.all}`)
    assert.match(refused.stderr, expected, `make ${name}`)
    assert.equal(refused.stderr.trim().split('\n').length, 1, `make ${name} says it in one line: ${refused.stderr}`)
  }
  assert.equal(net.processes().length, 3, 'the refused boots left the ring alone')
  const added = await run('add')
  assert.equal(added.code, 0, added.all)
  assert.deepEqual(await net.settle(), [])
})
