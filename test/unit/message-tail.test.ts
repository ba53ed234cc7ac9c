// make messages' books (src/workbench/terminal/message-tail.ts): each message printed once, the sender's entry
// preferred, in the order they started, maintenance only when asked for, and what to ask each node for.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pc from 'picocolors'
import { MessageTail, opensTrace, tailLine } from '../../src/workbench/terminal/message-tail.js'
import { partyLabeller } from '../../src/workbench/render/message-format.js'
import { message, node } from './trace-fixtures.js'

const [a, b, c] = [node(5001), node(5002), node(5003)]

test('a message logged by both ends is printed once, as its sender logged it, a round after it was first seen', () => {
  const tail = new MessageTail({ maintenance: false, lookbackMs: 1000 })
  const sent = message({ from: a, to: b, start: 100, durationMs: 4 })
  const received = { ...sent, side: 'received' as const, start: 100.5, durationMs: 3 }
  tail.add('127.0.0.1:5002', [received])
  assert.deepEqual(tail.endRound(), [], 'a new entry waits one round for its other end')
  tail.add('127.0.0.1:5001', [sent])
  tail.add('127.0.0.1:5002', [received])
  assert.deepEqual(tail.endRound(), [sent])
  tail.add('127.0.0.1:5001', [sent])
  tail.add('127.0.0.1:5002', [received])
  assert.deepEqual(tail.endRound(true), [], 'never printed twice')
})

test('in the order they started; maintenance left out unless asked for', () => {
  const late = message({ from: b, to: c, start: 300 })
  const early = message({ from: null, to: a, start: 200 })
  const stabilize = message({ from: a, to: b, start: 250, task: 'stabilize' })
  const clientOnly = new MessageTail({ maintenance: false, lookbackMs: 1000 })
  clientOnly.add('n', [late, stabilize, early])
  assert.deepEqual(clientOnly.endRound(true), [early, late])
  const all = new MessageTail({ maintenance: true, lookbackMs: 1000 })
  all.add('n', [late, stabilize, early])
  assert.deepEqual(all.endRound(true), [early, stabilize, late])
})

test('each node is asked again from a lookback before the newest start it showed', () => {
  const tail = new MessageTail({ maintenance: false, lookbackMs: 1000 })
  assert.equal(tail.since('127.0.0.1:5001'), 0, 'a node not asked yet: everything')
  tail.add('127.0.0.1:5001', [message({ from: a, to: b, start: 5000 }), message({ from: a, to: b, start: 7000.75, task: 'fix_fingers' })])
  assert.equal(tail.since('127.0.0.1:5001'), 6000, 'maintenance counts for the clock even when hidden; whole ms, as the route takes them')
  assert.equal(tail.since('127.0.0.1:5002'), 0)
})

test('a tail line: clock, short trace, from → to, route, status, duration, summary; what opens a trace', () => {
  const root = message({ from: null, to: a, start: Date.UTC(2024, 0, 1, 12, 0, 0, 42), path: '/lookup', summary: 'lookup "hello": found on @5003' })
  const line = tailLine(root, partyLabeller([a, b]), 140, pc.createColors(false))
  assert.match(line, /^\d\d:\d\d:\d\d\.042 4bf92f35 client → @5001\s+GET \/lookup\s+200\s+1\.50 ms\s+lookup "hello": found on @5003$/)
  assert.ok(tailLine(root, partyLabeller([a]), 60, pc.createColors(false)).length <= 60)
  assert.ok(opensTrace(root))
  assert.ok(opensTrace(message({ from: a, to: b, path: '/join' })), 'a node\'s JOIN on behalf of nothing opens a trace')
  assert.ok(!opensTrace(message({ from: a, to: b, parentId: root.spanId })), 'a message on behalf of another does not')
  assert.ok(!opensTrace(message({ from: a, to: b, side: 'received' })), 'nor one only its receiver logged (which cannot know its parent)')
  assert.ok(!opensTrace(message({ from: a, to: b, task: 'stabilize' })), 'nor a maintenance round\'s')
})
