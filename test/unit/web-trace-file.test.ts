// The web replay's trace files (src/workbench/web/trace-file.js): a counterexample of make modelcheck or
// any trace in /api/trace's shape opens with its title, messages and lanes; anything else is refused
// with a sentence naming the file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseTraceFile } from '../../src/workbench/web/trace-file.js'

const node = (port: number) => ({ id: port.toString(16), host: '127.0.0.1', port })
const message = { traceId: 'ab'.repeat(16), spanId: '1'.padStart(16, '0'), parentId: null, from: null, to: node(5001), method: 'POST', path: '/join', start: 1, durationMs: 2, status: 200, summary: 'join', side: 'sent' }

test('a trace file opens with its title, or one made of its name; a counterexample shows its maintenance rounds', () => {
  const trace = parseTraceFile(JSON.stringify({ traceId: 'ab'.repeat(16), title: 'AtLeastOneRing broken', messages: [message], maintenance: true }), 'c.json')
  assert.equal(trace.title, 'AtLeastOneRing broken')
  assert.equal(trace.messages.length, 1)
  assert.equal(trace.maintenance, true)
  const plain = parseTraceFile(JSON.stringify({ messages: [] }), 'empty.json')
  assert.equal(plain.title, 'empty.json: 0 messages')
  assert.equal(plain.maintenance, false)
})

test('anything else is refused, naming the file', () => {
  assert.throws(() => parseTraceFile('{', 'x.json'), /x\.json is not JSON/)
  assert.throws(() => parseTraceFile('[]', 'x.json'), /not a trace/)
  assert.throws(() => parseTraceFile(JSON.stringify({ messages: [{ ...message, start: 'soon' }], lanes: [] }), 'x.json'), /messages are missing or malformed/)
})
