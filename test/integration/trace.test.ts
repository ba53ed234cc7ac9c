// Traces of real operations across node processes: a lookup is one client message and one message per
// hop, all in one trace, parents first; a JOIN shows the lab's rewiring in order and a LEAVE its
// handoff; lookups at the same time never mix their messages; the log keeps to its bound; a hostile
// traceparent starts a new trace and harms nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { addNode, leaveNode } from '../../src/tools/ring-ops.js'
import { newTrace } from '../../src/workbench/terminal/trace-print.js'
import { mergeTrace, parseMessages, type Message } from '../../src/node/trace/messages.js'
import { partiesInOrder } from '../../src/workbench/render/message-format.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { hexKey, pick, replayHint, trueOwner } from './_support.js'

/** One trace as every live node of the ring logged it, merged. */
async function collect(net: Testnet, traceId: string, extra: Message[] = []): Promise<Message[]> {
  const spans: Message[] = [...extra]
  for (const node of net.processes()) {
    const reply = (await net.client.http.request(node, 'GET', `/trace?id=${traceId}`)) as { spans: unknown }
    spans.push(...parseMessages(reply.spans, 'spans'))
  }
  return mergeTrace(spans)
}

const port = (party: Message['from']) => (party ? party.port : 'client')
const steps = (messages: Message[]) => messages.map((m) => `${port(m.from)} ${m.method} ${m.path} ${port(m.to)}`)

test('a lookup through the fingers of 10 nodes: one client message and one per hop, one trace, parents first, the route\'s path as lanes', async (t) => {
  const net = await startTestnet(t, { nodes: 10 })
  await net.settle()
  const value = 'traced value'
  await net.client.store(pick(net.processes()), value)
  // Fingers refresh on their own period: wait until they are right, so the route is the finger route.
  assert.deepEqual(await net.settle(), [])
  for (let i = 0; i < 5; i++) {
    const { traceId, traceparent } = newTrace()
    const entry = pick(net.processes())
    const found = await net.client.lookup(entry, value, { traceparent })
    const messages = await collect(net, traceId)
    const where = `lookup ${i} from @${entry.port}, path ${found.path.map((p) => p.port).join(' ')} (${replayHint})`
    assert.equal(messages.length, 1 + found.hops, `${where}: ${steps(messages).join('; ')}`)
    const [first, ...hops] = messages
    assert.equal(first!.from, null, `${where}: the first message comes from the client`)
    assert.equal(first!.to!.port, entry.port)
    assert.ok(hops.every((m) => m.path === '/route' && m.from!.port === entry.port), `${where}: every hop is a routing step the entry node sends`)
    assert.ok(messages.every((m) => m.traceId === traceId && m.durationMs >= 0))
    const seen = new Set<string>()
    for (const m of messages) {
      assert.ok(m.parentId === null || seen.has(m.parentId) || m === first, `${where}: ${m.spanId}'s parent comes before it`)
      seen.add(m.spanId)
    }
    assert.ok(hops.every((m) => m.parentId === first!.spanId), `${where}: each hop is sent on behalf of the client's request`)
    assert.deepEqual(partiesInOrder(messages).map(port), ['client', ...found.path.map((p) => p.port)], where)
  }
})

test('a JOIN\'s trace shows the rewiring in the lab\'s order, and a LEAVE\'s the handoff to the predecessor', async (t) => {
  const net = await startTestnet(t, { nodes: 4 })
  const values = Array.from({ length: 40 }, (_, i) => `value ${i}`)
  for (const value of values) await net.client.store(pick(net.processes()), value)
  assert.deepEqual(await net.settle(), [])
  // A predecessor with nothing in the joiner's range hands nothing over, so join until one has something.
  let join = newTrace()
  let traced = await addTraced(net, join.traceparent)
  for (let tries = 1; !takesAValue(net, traced, values); tries++) {
    assert.ok(tries < 10, `10 joiners in a row took none of ${values.length} values (${replayHint})`)
    assert.deepEqual(await net.settle(), [])
    join = newTrace()
    traced = await addTraced(net, join.traceparent)
  }
  const messages = await collect(net, join.traceId)
  const where = `${steps(messages).join('; ')} (${replayHint})`
  const rewiring = messages.filter((m) => m.path === '/join' || (m.method === 'PUT' && (m.path === '/predecessor' || m.path === '/successor')))
  const joinRequest = rewiring[0]!
  const predecessor = messages.find((m) => m.method === 'PUT' && m.path === '/successor' && m.to?.port !== traced.port)!.to!.port
  const successor = messages.find((m) => m.method === 'PUT' && m.path === '/predecessor' && m.to?.port !== traced.port)!.to!.port
  const role = (p: number | undefined) => (p === traced.port ? 'joiner' : p === predecessor ? 'predecessor' : p === successor ? 'successor' : `@${p}`)
  // The lab's order: the joiner's request, its two pointers, the predecessor taking it, the successor learning of it.
  assert.deepEqual(
    rewiring.map((m) => `${m.method} ${m.path} to ${role(m.to?.port)}`),
    [`POST /join to ${role(joinRequest.to?.port)}`, 'PUT /predecessor to joiner', 'PUT /successor to joiner', 'PUT /successor to predecessor', 'PUT /predecessor to successor'],
    where,
  )
  assert.equal(joinRequest.from?.port, traced.port, 'the joiner sends the JOIN')
  assert.ok(rewiring.slice(1).every((m) => m.parentId === joinRequest.spanId && m.from?.port === joinRequest.to?.port), 'the node handling the JOIN sends the four PUTs on its behalf')
  const handoff = messages.find((m) => m.path === '/insert' && m.to?.port === traced.port)
  const taking = rewiring[3]!
  assert.ok(handoff, `the predecessor hands the joiner its keys: ${where}`)
  assert.equal(handoff.from?.port, predecessor)
  assert.equal(handoff.parentId, taking.spanId, 'the handoff is sent on behalf of the PUT /successor that links the joiner')

  const leave = newTrace()
  // The owner of a value just stored: it has keys to hand over.
  const owner = (await net.client.store(pick(net.processes()), 'a value for the leaver')).node
  const leaver = net.processes().find((p) => p.port === owner.port)!
  const { spans } = await leaveNode(net.state, net.client, leaver, { traceparent: leave.traceparent })
  const left = await collect(net, leave.traceId, spans)
  const handoffs = left.filter((m) => m.path === '/insert' && m.from?.port === leaver.port)
  assert.ok(handoffs.length >= 1, `the leaver hands its keys to its predecessor: ${steps(left).join('; ')}`)
  assert.ok(left.some((m) => m.method === 'PUT' && m.path === '/successor' && m.to?.port === handoffs[0]!.to?.port), 'and links its predecessor to its successor')
})

test('lookups at the same time never mix their messages', async (t) => {
  const net = await startTestnet(t, { nodes: 8 })
  const values = Array.from({ length: 10 }, (_, i) => `concurrent ${i}`)
  for (const value of values) await net.client.store(pick(net.processes()), value)
  assert.deepEqual(await net.settle(), [])
  const runs = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const trace = newTrace()
      const found = await net.client.lookup(pick(net.processes()), values[i % values.length]!, { traceparent: trace.traceparent })
      return { ...trace, hops: found.hops }
    }),
  )
  for (const run of runs) {
    const messages = await collect(net, run.traceId)
    assert.equal(messages.length, 1 + run.hops, `trace ${run.traceId}: ${steps(messages).join('; ')} (${replayHint})`)
    assert.ok(messages.every((m) => m.traceId === run.traceId))
  }
})

test('the message log keeps to its bound, and a hostile traceparent starts a new trace and harms nothing', async (t) => {
  const net = await startTestnet(t, { nodes: 3, messageLog: 50 })
  await net.client.store(pick(net.processes()), 'bounded')
  for (let i = 0; i < 30; i++) await net.client.lookup(pick(net.processes()), 'bounded')
  for (const node of net.processes()) {
    const { messages } = (await net.client.http.request(node, 'GET', '/messages?since=0')) as { messages: unknown[] }
    assert.ok(messages.length <= 50, `@${node.port} holds ${messages.length} messages with a bound of 50`)
  }
  const target = net.processes()[0]!
  const hostile = ['00-zz-00-01', `01-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, `00-${'A'.repeat(32)}-${'b'.repeat(16)}-01`, 'x'.repeat(4000), `00-${'0'.repeat(32)}-${'b'.repeat(16)}-01`]
  for (const traceparent of hostile) {
    const found = await net.client.lookup(target, 'bounded', { traceparent })
    assert.equal(found.value, 'bounded')
  }
  const { messages } = (await net.client.http.request(target, 'GET', `/messages?since=0`)) as { messages: Array<{ traceId: string; path: string }> }
  const lookups = messages.filter((m) => m.path === '/lookup').slice(-hostile.length)
  assert.equal(new Set(lookups.map((m) => m.traceId)).size, hostile.length, 'each hostile header started a trace of its own')
  assert.ok(lookups.every((m) => /^[0-9a-f]{32}$/.test(m.traceId) && m.traceId !== 'a'.repeat(32)))
  assert.deepEqual(await net.settle(), [], 'the ring is unharmed')
})

/** make add TRACE=1, as the tools do it: one more node that joins inside the trace. */
function addTraced(net: Testnet, traceparent: string): Promise<ProcessRecord> {
  return addNode(net.state, { traceparent })
}

/** Whether any of the values now falls in the joiner's keys: from its id up to its successor's. */
function takesAValue(net: Testnet, joiner: ProcessRecord, values: string[]): boolean {
  const ids = net.processes().map((p) => p.id)
  return values.some((value) => trueOwner(ids, hexKey(net.settings.bits, value)) === joiner.id)
}
