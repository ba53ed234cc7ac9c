// The rows a trace's diagram draws (src/workbench/render/trace-rows.ts, sequence-layout.ts), shared by
// the terminal, the SVG writer and the page: a broadcast folds into one row from its first sender to
// everyone, maintenance shows only when asked (or when the trace is nothing else), and the lanes are
// the parties of the rows shown, in order of appearance, with `everyone` last.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { foldedText, rowParties, sequenceLayout } from '../../src/workbench/render/sequence-layout.js'
import { isEveryone, traceRows } from '../../src/workbench/render/trace-rows.js'
import type { Message } from '../../src/node/trace/messages.js'
import type { PeerJson } from '../../src/node/wire.js'
import { joinTrace, lookupTrace, message, node } from './trace-fixtures.js'

test('a join in a ring of 16: the rewiring row by row, the announcement in one row, no maintenance', () => {
  const messages = joinTrace()
  assert.equal(messages.length, 38)
  const layout = sequenceLayout(messages)
  assert.equal(layout.rows.length, 15, 'the JOIN, its routing, pings and four PUTs, and one row for the announcement')
  assert.deepEqual(layout.lanes.map((l) => l.label), ['@5016', '@5013', '@5005', '@5007', '@5008', '@5011', 'everyone'])
  assert.ok(layout.rows.every((r) => !r.row.maintenance && r.row.route !== 'POST /neighbors'), 'the joiner’s first stabilize and fingers are maintenance')
  const announce = layout.rows.at(-1)!
  assert.deepEqual(
    { parties: rowParties(layout, announce), route: announce.row.route, status: announce.row.status, summary: announce.summary, messages: announce.row.messages.length },
    { parties: '@5016 → everyone', route: 'POST /announce', status: '200', summary: 'announce "joined @5016" to 16 nodes', messages: 16 },
  )
  const sent = announce.row.messages
  assert.equal(announce.row.start, sent[0]!.start, 'the row starts with the first announcement sent')
  assert.equal(announce.row.durationMs, Math.max(...sent.map((m) => m.start + m.durationMs)) - sent[0]!.start, 'and lasts until the last was answered')
  assert.deepEqual({ hidden: layout.hidden, folded: layout.folded }, { hidden: 8, folded: 15 })
  assert.equal(foldedText(layout, ' (ALL=1 shows them)'), '16 broadcast messages folded into one row; 8 maintenance messages hidden (ALL=1 shows them)')
  assert.match(layout.title, /^38 messages between 17 parties in /, 'the title counts the whole trace')
})

test('asked for (ALL=1), the maintenance rows come in, named by their task', () => {
  const layout = sequenceLayout(joinTrace(), { maintenance: true })
  assert.equal(layout.rows.length, 23)
  const tasks = layout.rows.filter((r) => r.row.maintenance).map((r) => r.row.task)
  assert.deepEqual(tasks, ['stabilize', 'stabilize', ...Array<string>(6).fill('fix_fingers')])
  assert.equal(layout.rows.find((r) => r.row.route === 'POST /neighbors')!.summary.endsWith('[stabilize]'), true)
  assert.equal(layout.hidden, 0)
})

test('a trace of maintenance only is shown whole; a lookup’s routing steps never fold', () => {
  const [a, b] = [node(5001), node(5002)]
  const round = [message({ from: a, to: b, task: 'stabilize', path: '/neighbors' }), message({ from: a, to: b, task: 'stabilize', path: '/range' })]
  assert.equal(traceRows(round).length, 2)
  assert.equal(traceRows(lookupTrace()).length, 4)
})

test('a broadcast that lost messages says how many; one sent to a single node stays a message; two broadcasts, two rows', () => {
  const [a, b, c, d] = [node(5001), node(5002), node(5003), node(5004)]
  const news = (from: PeerJson, to: PeerJson, fields: Partial<Message> = {}) =>
    message({ from, to, method: 'POST', path: '/announce', summary: `announce: @${a.port} left, pass on up to 00: heard`, ...fields })
  const first = news(a, b)
  const relayed = news(b, c, { parentId: first.spanId, status: null, error: 'PEER_TIMEOUT' })
  const rows = traceRows([first, relayed, news(a, d, { start: first.start + 1 })])
  assert.equal(rows.length, 1)
  assert.deepEqual({ summary: rows[0]!.summary, status: rows[0]!.status, outcome: rows[0]!.outcome, to: isEveryone(rows[0]!.to) && rows[0]!.to.everyone }, { summary: 'announce "left @5001" to 3 nodes', status: '1 of 3 failed', outcome: 'failed', to: 3 })
  assert.equal(isEveryone(traceRows([news(a, b)])[0]!.to), false)
  const other = news(c, d, { parentId: 'b'.repeat(16) })
  assert.equal(traceRows([first, news(a, c), other, news(c, b, { parentId: 'b'.repeat(16) })]).length, 2)
})
