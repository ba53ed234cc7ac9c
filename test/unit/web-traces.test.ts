// The web server's side of tracing (src/workbench/web/traces.ts): a trace per action, the LEAVE it records itself,
// the repair window of a crash; and the gathering of what the nodes logged: one trace asked of
// every node, each message once (its sender's entry) in time order with its lanes; a node that does not
// answer is named, not an error; /messages filtered to client operations, a stretch of time, or the
// messages involving some nodes, or of some tasks, and the earliest of the nodes' clocks to ask from next.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingClient } from '../../src/tools/ring-client.js'
import { DhtError } from '../../src/node/errors.js'
import type { Message } from '../../src/node/trace/messages.js'
import type { Address } from '../../src/node/transport/http-client.js'
import { collectMessages, collectTrace, repairWindowMs, sentByThisPage, startTrace } from '../../src/workbench/web/traces.js'

const TRACE = 'ab'.repeat(16)
const node = (port: number) => ({ id: port.toString(16).padStart(40, '0'), host: '127.0.0.1', port })
const [A, B, C] = [node(5001), node(5002), node(5003)]
const T0 = 1_700_000_000_000

function entry(span: number, from: Message['from'], to: Message['to'], side: Message['side'], fields: Partial<Message> = {}): Message {
  return { traceId: TRACE, spanId: String(span).padStart(16, '0'), parentId: null, from, to, method: 'GET', path: '/findnode', start: T0 + span, durationMs: 1, status: 200, summary: `span ${span} (${side})`, side, ...fields }
}

/** A client whose nodes answer from a table: address → (path → reply), or an error. */
function ring(answers: Record<number, Record<string, unknown> | Error>): { client: RingClient; asked: string[] } {
  const client = new RingClient(160)
  const asked: string[] = []
  client.http.request = async (to: Address, _method: string, path: string) => {
    asked.push(`${to.port} ${path}`)
    const table = answers[to.port]
    if (!table || table instanceof Error) throw table ?? new DhtError('PEER_UNREACHABLE', 'connection refused')
    const route = Object.keys(table).find((p) => path.startsWith(p))
    if (!route) throw new DhtError('UNKNOWN_ROUTE', path)
    return table[route]
  }
  return { client, asked }
}

test('a trace is asked of every node and merged: each message once, its sender’s entry, in time order, the client first among the lanes', async () => {
  const lookup = entry(1, null, A, 'received', { path: '/lookup', summary: 'lookup "x": found on @5003' })
  const hop = entry(2, A, B, 'sent', { parentId: lookup.spanId })
  const { client, asked } = ring({
    5001: { '/trace': { spans: [lookup, hop] } },
    5002: { '/trace': { spans: [entry(2, A, B, 'received', { parentId: lookup.spanId, start: T0 + 2.1 }), entry(3, B, C, 'sent', { parentId: hop.spanId })] } },
    5003: new DhtError('PEER_TIMEOUT', 'no answer in 2000 ms'),
  })
  const trace = await collectTrace(client, [A, B, C], TRACE)
  assert.deepEqual(asked.sort(), [`5001 /trace?id=${TRACE}`, `5002 /trace?id=${TRACE}`, `5003 /trace?id=${TRACE}`])
  assert.deepEqual(trace.messages.map((m) => [m.spanId.slice(-1), m.side]), [['1', 'received'], ['2', 'sent'], ['3', 'sent']])
  assert.deepEqual(trace.lanes, [null, A, B, C])
  assert.equal(trace.unreachable.length, 1)
  assert.match(trace.unreachable[0]!, /^127\.0\.0\.1:5003: .*2000 ms/)
})

test('a node answering something that is not a trace counts as unreachable, not as a failure of the whole', async () => {
  const { client } = ring({ 5001: { '/trace': { spans: [{ nonsense: true }] } }, 5002: { '/trace': { spans: [] } } })
  const trace = await collectTrace(client, [A, B], TRACE)
  assert.deepEqual(trace.messages, [])
  assert.equal(trace.unreachable.length, 1)
  assert.match(trace.unreachable[0]!, /^127\.0\.0\.1:5001: /)
})

test('messages: client operations only unless all, a stretch of time, those involving some nodes or of some tasks, and the earliest clock', async () => {
  const stabilize = entry(10, A, B, 'sent', { task: 'stabilize', path: '/predecessor' })
  const stabilizeSeen = entry(10, A, B, 'received', { path: '/predecessor' })
  const store = entry(11, null, B, 'received', { method: 'POST', path: '/store' })
  const fingers = entry(12, B, C, 'sent', { task: 'fix_fingers' })
  const late = entry(40, C, A, 'sent', { task: 'check_predecessor' })
  const { client, asked } = ring({
    5001: { '/messages': { messages: [stabilize], now: T0 + 50 } },
    5002: { '/messages': { messages: [stabilizeSeen, store, fingers], now: T0 + 45 } },
    5003: { '/messages': { messages: [late], now: T0 + 60 } },
  })
  const nodes = [A, B, C]
  const clientOps = await collectMessages(client, nodes, { since: T0, all: false }, T0 + 99)
  assert.deepEqual(asked.sort(), [`5001 /messages?since=${T0}`, `5002 /messages?since=${T0}`, `5003 /messages?since=${T0}`])
  assert.deepEqual(clientOps.messages.map((m) => m.path), ['/store'], 'a maintenance message stays out, though its receiver’s entry has no task')
  assert.equal(clientOps.now, T0 + 45, 'the earliest of the nodes’ clocks')
  assert.deepEqual(clientOps.lanes, [null, B])
  const all = await collectMessages(client, nodes, { since: T0, all: true }, T0 + 99)
  assert.deepEqual(all.messages.map((m) => m.task ?? '-'), ['stabilize', '-', 'fix_fingers', 'check_predecessor'])
  const window = await collectMessages(client, nodes, { since: T0 + 10, until: T0 + 30, all: true }, T0 + 99)
  assert.deepEqual(window.messages.map((m) => m.task ?? '-'), ['-', 'fix_fingers'], 'after since, not after until')
  const aroundC = await collectMessages(client, nodes, { since: T0, all: true, involving: new Set(['127.0.0.1:5003']) }, T0 + 99)
  assert.deepEqual(aroundC.messages.map((m) => m.task), ['fix_fingers', 'check_predecessor'])
  const repairTasks = await collectMessages(client, nodes, { since: T0, all: false, tasks: new Set(['stabilize', 'check_predecessor']) }, T0 + 99)
  assert.deepEqual(repairTasks.messages.map((m) => m.task), ['stabilize', 'check_predecessor'], 'only those tasks')
  const noneAnswer = await collectMessages(ring({}).client, nodes, { since: T0, all: true }, T0 + 99)
  assert.deepEqual({ messages: noneAnswer.messages, now: noneAnswer.now, unreachable: noneAnswer.unreachable.length }, { messages: [], now: T0 + 99, unreachable: 3 })
})

test('an action starts a trace of its own; the LEAVE this side sent is recorded as its sender logs a message', () => {
  const a = startTrace()
  const b = startTrace()
  assert.notEqual(a.traceId, b.traceId)
  assert.equal(a.traceparent, `00-${a.traceId}-${a.spanId}-01`, 'the header names the first message’s span')
  const leave = sentByThisPage({ traceId: a.traceId, spanId: a.spanId, to: A, method: 'POST', path: '/leave', start: T0, end: T0 + 12.5, status: 200, summary: 'leave' })
  assert.deepEqual({ from: leave.from, to: leave.to, parentId: leave.parentId, durationMs: leave.durationMs, side: leave.side }, { from: null, to: A, parentId: null, durationMs: 12.5, side: 'sent' })
})

test('a crash’s repair is watched for a few seconds, longer on a slow ring, never more than ten', () => {
  assert.equal(repairWindowMs({ stabilizeMs: 100, checkPredecessorMs: 100, timeoutMs: 2000 }), 3000)
  assert.equal(repairWindowMs({ stabilizeMs: 1000, checkPredecessorMs: 1500, timeoutMs: 2000 }), 5000)
  assert.equal(repairWindowMs({ stabilizeMs: 60_000, checkPredecessorMs: 1000, timeoutMs: 2000 }), 10_000)
})
