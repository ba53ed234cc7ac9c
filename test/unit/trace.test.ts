// Tracing's pure parts: the traceparent header (a hostile one starts a new trace, never an error), the
// message log's bound, and merging what several nodes logged of one trace.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MessageLog } from '../../src/node/trace/message-log.js'
import { mergeTrace, parseMessage, type Message } from '../../src/node/trace/messages.js'
import { partiesInOrder } from '../../src/workbench/render/message-format.js'
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, taskOfTracestate, tracestateOf } from '../../src/node/trace/trace-context.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN = '00f067aa0ba902b7'

describe('traceparent', () => {
  test('a valid header names its trace and the parent span; formatting reads back', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, parentId: SPAN })
    const traceId = newTraceId()
    const spanId = newSpanId()
    assert.deepEqual(parseTraceparent(formatTraceparent(traceId, spanId)), { traceId, parentId: spanId })
  })

  const hostile: Array<[string, unknown]> = [
    ['missing', undefined],
    ['empty', ''],
    ['too long', `00-${TRACE}-${SPAN}-01-extra`],
    ['far too long', 'x'.repeat(100_000)],
    ['another version', `01-${TRACE}-${SPAN}-01`],
    ['the forbidden version ff', `ff-${TRACE}-${SPAN}-01`],
    ['not hex', `00-${'z'.repeat(32)}-${SPAN}-01`],
    ['upper case', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['a short span id', `00-${TRACE}-${SPAN.slice(1)}-01`],
    ['two headers', [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`]],
  ]
  for (const [why, header] of hostile) {
    test(`${why}: no trace to continue (a new one starts)`, () => {
      assert.equal(parseTraceparent(header as string | string[] | undefined), undefined)
    })
  }

  test('tracestate marks a maintenance task, and only a well-formed one', () => {
    assert.equal(taskOfTracestate(tracestateOf('stabilize')), 'stabilize')
    assert.equal(taskOfTracestate('vendor=1, chord=fix_fingers'), 'fix_fingers')
    assert.equal(taskOfTracestate('chord=Robert); drop'), undefined)
    assert.equal(taskOfTracestate(undefined), undefined)
  })
})

function message(overrides: Partial<Message>): Message {
  return {
    traceId: TRACE,
    spanId: newSpanId(),
    parentId: null,
    from: null,
    to: { id: 'aa', host: 'h', port: 5000 },
    method: 'GET',
    path: '/route',
    start: 1000,
    durationMs: 1,
    status: 200,
    summary: '',
    side: 'sent',
    ...overrides,
  }
}

describe('the message log', () => {
  test('never grows past its bound: the oldest go first', () => {
    const log = new MessageLog(5)
    for (let i = 0; i < 12; i++) log.record(message({ start: i, summary: `m${i}` }))
    assert.equal(log.size, 5)
    assert.deepEqual(log.since(-1).map((m) => m.summary), ['m7', 'm8', 'm9', 'm10', 'm11'])
    assert.deepEqual(log.since(8, 2).map((m) => m.summary), ['m10', 'm11'])
  })

  test('answers one trace, and holds nothing when its capacity is 0', () => {
    const log = new MessageLog(10)
    log.record(message({ summary: 'a' }))
    log.record(message({ traceId: newTraceId(), summary: 'other' }))
    log.record(message({ summary: 'b' }))
    assert.deepEqual(log.trace(TRACE).map((m) => m.summary), ['a', 'b'])
    const off = new MessageLog(0)
    off.record(message({}))
    assert.equal(off.size, 0)
    assert.equal(off.enabled, false)
  })
})

describe('one trace from several logs', () => {
  const client = message({ from: null, side: 'received', start: 100, summary: 'lookup' })
  const hop = (start: number, parent: Message) => message({ from: { id: 'aa', host: 'h', port: 5000 }, to: { id: 'bb', host: 'h', port: 5001 }, start, parentId: parent.spanId })

  test('each message once, the sender\'s entry preferred; parents before children, even across clocks', () => {
    const first = hop(101, client)
    const received = { ...first, side: 'received' as const, start: 101.3, summary: 'GET /route' }
    // Logged by another node whose clock runs a little behind: it must still come after its parent.
    const second = message({ ...hop(99.5, first), parentId: first.spanId })
    const merged = mergeTrace([second, received, client, first])
    assert.deepEqual(merged.map((m) => m.spanId), [client.spanId, first.spanId, second.spanId])
    assert.equal(merged[1]!.side, 'sent')
    assert.deepEqual(partiesInOrder(merged).map((p) => (p ? p.port : 'client')), ['client', 5000, 5001])
  })

  test('a message read back from JSON is checked field by field', () => {
    const json = JSON.parse(JSON.stringify(client))
    assert.deepEqual(parseMessage(json), client)
    assert.throws(() => parseMessage({ ...json, traceId: 'no' }), /traceId/)
    assert.throws(() => parseMessage({ ...json, side: 'both' }), /side/)
    assert.throws(() => parseMessage({ ...json, durationMs: -1 }), /durationMs/)
  })
})
