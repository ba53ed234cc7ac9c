// The web page's replay (src/workbench/web/replay.js, render/sequence-geometry's page placing,
// geometry.js's message chords: browser modules with JSDoc types, pure): the timeline steps through a
// trace's rows one at a time, the slider seeks and pauses, play at the end starts again, a trace that
// grows keeps the row on screen; the diagram has a lane per party and an arrow per row between the
// right lanes; a row says what the terminal says of it (render/).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Message } from '../../src/node/trace/messages.js'
import { durationText, outcomeOf } from '../../src/workbench/render/message-format.js'
import { rowParties, sequenceLayout } from '../../src/workbench/render/sequence-layout.js'
import { messageRow } from '../../src/workbench/render/trace-rows.js'
import { isAtEnd, regrow, seek, startReplay, stepBy, stepTiming, tick, togglePlaying, travelOf } from '../../src/workbench/web/replay.js'
import { pageGeometry } from '../../src/workbench/render/sequence-geometry.js'
import { along, angleOf, CLIENT_POINT, messageChord, point, RING_RADIUS } from '../../src/workbench/web/geometry.js'

const node = (port: number, id: string) => ({ id, host: '127.0.0.1', port })
const A = node(5001, '10')
const B = node(5002, '60')
const C = node(5003, 'c0')

let span = 0
function message(from: Message['from'], to: Message['to'], fields: Partial<Message> = {}): Message {
  span++
  return {
    traceId: 'ab'.repeat(16),
    spanId: span.toString(16).padStart(16, '0'),
    parentId: null,
    from,
    to,
    method: 'GET',
    path: '/findnode',
    start: 1_700_000_000_000 + span,
    durationMs: 1.5,
    status: 200,
    summary: `message ${span}`,
    side: 'sent',
    ...fields,
  }
}

/** A lookup: the client asks A, A routes through B to C. */
const lookup = [message(null, A, { method: 'GET', path: '/lookup', durationMs: 12.3, summary: 'lookup "x": found on @5003' }), message(A, B), message(B, C), message(A, C, { path: '/entry', status: 404, error: 'NOT_FOUND' })]

test('a replay starts at the first message and plays; the clock moves the dot, then the next message', () => {
  const timing = stepTiming(lookup.length)
  let state = startReplay(lookup.length)
  assert.deepEqual(state, { count: 4, index: 0, elapsedMs: 0, playing: true, ended: false })
  assert.equal(travelOf(state, timing), 0, 'the dot starts at its sender')
  state = tick(state, timing.travelMs / 2, timing)
  assert.equal(state.index, 0)
  assert.ok(Math.abs(travelOf(state, timing) - 0.5) < 1e-9, 'half way at half the travel time (the easing is symmetric)')
  state = tick(state, timing.travelMs / 2, timing)
  assert.equal(travelOf(state, timing), 1, 'arrived')
  assert.equal(state.index, 0, 'and held a while')
  state = tick(state, timing.holdMs, timing)
  assert.equal(state.index, 1, 'then the next message')
  assert.equal(travelOf(state, timing), 0)
  // A long pause of the tab (a big tick) runs through several messages and stops at the last, arrived.
  state = tick(state, 60_000, timing)
  assert.deepEqual({ index: state.index, playing: state.playing, ended: state.ended }, { index: 3, playing: false, ended: true })
  assert.ok(isAtEnd(state, timing))
  assert.equal(tick(state, 1000, timing), state, 'a stopped replay does not move')
})

test('the slider seeks and pauses with the message arrived; stepping clamps at both ends', () => {
  const timing = stepTiming(lookup.length)
  let state = seek(startReplay(lookup.length), 2, timing)
  assert.deepEqual({ index: state.index, playing: state.playing }, { index: 2, playing: false })
  assert.equal(travelOf(state, timing), 1, 'a message stepped to shows its dot at the receiver')
  assert.equal(tick(state, 5000, timing), state, 'paused: the clock does not move it')
  state = stepBy(state, -1, timing)
  assert.equal(state.index, 1)
  state = stepBy(state, -5, timing)
  assert.equal(state.index, 0, 'not before the first')
  state = stepBy(state, 99, timing)
  assert.equal(state.index, 3, 'not past the last')
  assert.equal(seek(state, 1.6, timing).index, 2, 'a slider value is rounded')
  const empty = startReplay(0)
  assert.equal(empty.playing, false, 'nothing to play')
  assert.equal(seek(empty, 3, timing), empty)
  assert.equal(togglePlaying(empty, timing), empty)
})

test('play / pause: pause keeps the place, play replays the current message, play at the end starts again', () => {
  const timing = stepTiming(lookup.length)
  let state = tick(startReplay(lookup.length), timing.travelMs / 3, timing)
  const paused = togglePlaying(state, timing)
  assert.deepEqual({ index: paused.index, elapsedMs: paused.elapsedMs, playing: paused.playing }, { index: 0, elapsedMs: state.elapsedMs, playing: false })
  assert.equal(togglePlaying(paused, timing).elapsedMs, state.elapsedMs, 'resumed where it was')
  state = togglePlaying(seek(state, 2, timing), timing)
  assert.deepEqual({ index: state.index, elapsedMs: state.elapsedMs, playing: state.playing }, { index: 2, elapsedMs: 0, playing: true }, 'a message stepped to travels again')
  const end = seek(state, 3, timing)
  assert.ok(isAtEnd(end, timing))
  state = togglePlaying(end, timing)
  assert.deepEqual({ index: state.index, elapsedMs: state.elapsedMs, playing: state.playing }, { index: 0, elapsedMs: 0, playing: true })
})

test('a long trace plays faster, never below the least travel time; a short one at a pace to follow', () => {
  const short = stepTiming(4)
  const long = stepTiming(400)
  assert.ok(short.travelMs >= 600 && short.travelMs <= 800, JSON.stringify(short))
  assert.ok(long.travelMs < short.travelMs && long.travelMs >= 150, JSON.stringify(long))
  assert.ok(short.holdMs > 0 && short.holdMs < short.travelMs)
})

test('a trace that grows keeps the message on screen on screen, and an ended replay plays on into the new ones', () => {
  const timing = stepTiming(4)
  const before = ['a', 'b', 'c']
  const after = ['a', 'x', 'b', 'c', 'd']
  const onB = regrow(seek(startReplay(3), 1, timing), before, after)
  assert.deepEqual({ count: onB.count, index: onB.index, playing: onB.playing }, { count: 5, index: 2, playing: false }, 'still on b, still paused')
  const ended = tick(startReplay(3), 60_000, timing)
  assert.ok(ended.ended)
  const resumed = regrow(ended, before, after)
  assert.deepEqual({ index: resumed.index, playing: resumed.playing, ended: resumed.ended }, { index: 3, playing: true, ended: false })
  assert.equal(tick(resumed, 1, timing).index, 4, 'the next tick goes on to the first new message')
  assert.equal(regrow(seek(startReplay(3), 2, timing), before, ['a']).index, 0, 'a message gone: the nearest place')
})

test('a row says its route, parties, status, duration and summary, as the terminal does', () => {
  const layout = sequenceLayout(lookup)
  const first = layout.rows[0]!
  assert.deepEqual(
    { route: first.row.route, parties: rowParties(layout, first), status: first.row.status, duration: first.row.duration, summary: first.row.summary },
    { route: 'GET /lookup', parties: 'client → @5001', status: '200', duration: '12.3 ms', summary: 'lookup "x": found on @5003' },
  )
  assert.equal(layout.rows[3]!.row.status, '404 NOT_FOUND')
  assert.equal(messageRow(message(A, B, { status: null, error: 'PEER_TIMEOUT', task: 'stabilize' })).status, 'no answer (PEER_TIMEOUT)')
  assert.equal(messageRow(message(A, B, { task: 'stabilize' })).task, 'stabilize')
  assert.deepEqual([durationText(0.4), durationText(3.14), durationText(250.4), durationText(1250)], ['0.40 ms', '3.14 ms', '250 ms', '1.25 s'])
  assert.deepEqual([outcomeOf(lookup[0]!), outcomeOf(lookup[3]!), outcomeOf(message(A, B, { status: null }))], ['ok', 'refused', 'failed'])
})

test('the sequence diagram on the page: a lane per party, the client first, an arrow per row between its lanes, in time order', () => {
  const layout = sequenceLayout(lookup)
  const placed = pageGeometry(layout, 420)
  assert.deepEqual(layout.lanes.map((l) => l.label), ['client', '@5001', '@5002', '@5003'])
  assert.ok(placed.laneX.every((x, i) => i === 0 || x > placed.laneX[i - 1]!), 'lanes left to right')
  const x = (label: string) => placed.laneX[layout.lanes.findIndex((l) => l.label === label)]!
  assert.deepEqual(placed.rows.map((r) => [r.x1, r.x2]), [[x('client'), x('@5001')], [x('@5001'), x('@5002')], [x('@5002'), x('@5003')], [x('@5001'), x('@5003')]])
  assert.ok(placed.rows.every((r, i) => i === 0 || r.y > placed.rows[i - 1]!.y), 'one row per message, downwards in time order')
  assert.ok(placed.height > placed.rows.at(-1)!.y)
  assert.equal(layout.rows[0]!.label, 'GET /lookup · 200 · 12.3 ms')
  assert.equal(layout.rows[3]!.row.outcome, 'refused')
  // Leftwards, a label runs from its sender leftwards, unless that would run off the left edge: then
  // from the receiver's end, rightwards. The diagram is as wide as its labels.
  const oneRow = (messages: Message[]) => pageGeometry(sequenceLayout(messages), 420).rows[0]!
  const back = oneRow([message(null, A), message(C, A)])
  assert.equal(oneRow([message(C, A)]).anchor, 'start', 'two lanes only: no room to the left of @5003')
  const backRow = pageGeometry(sequenceLayout([message(null, A), message(A, B), message(C, B), message(C, A)]), 420).rows[3]!
  assert.deepEqual({ anchor: backRow.anchor, leftwards: backRow.labelX < backRow.x1 }, { anchor: 'end', leftwards: true })
  assert.deepEqual({ anchor: back.anchor, from: back.labelX }, { anchor: 'start', from: back.x1 + 6 })
  assert.ok(placed.rows.every((r) => r.labelEnd <= placed.width), 'no label runs off the right')
  // Many lanes make the diagram wider than asked.
  const many = Array.from({ length: 12 }, (_, i) => node(6000 + i, (i * 16).toString(16).padStart(2, '0')))
  const wide = pageGeometry(sequenceLayout(many.slice(1).map((n) => message(many[0]!, n))), 420)
  assert.ok(wide.width > 420 && wide.laneX[1]! - wide.laneX[0]! >= 60, 'lanes never closer than they can be read')
  assert.equal(pageGeometry(sequenceLayout([message(A, A)]), 420).rows[0]!.self, true, 'a node talking to itself loops')
})

test('a message travels from its sender’s point to its receiver’s: nodes at their angle, the client outside the circle', () => {
  const inner = RING_RADIUS - 21
  const a = angleOf(A.id, 8)
  const c = angleOf(C.id, 8)
  const between = messageChord(a, c, inner)
  const close = (p: [number, number], q: [number, number]) => Math.hypot(p[0] - q[0], p[1] - q[1]) < 1e-9
  assert.ok(close(along(between, 0), point(a, inner)) && close(along(between, 1), point(c, inner)))
  const fromClient = messageChord(null, a, inner)
  assert.ok(close(along(fromClient, 0), CLIENT_POINT) && close(along(fromClient, 1), point(a, inner)))
  assert.ok(Math.hypot(...CLIENT_POINT) > RING_RADIUS + 100, 'the client sits well outside the circle')
  const toClient = messageChord(a, null, inner)
  assert.ok(close(along(toClient, 1), CLIENT_POINT))
  const self = messageChord(a, a, inner)
  assert.ok(close(along(self, 0), point(a, inner)) && close(along(self, 1), point(a, inner)))
  assert.ok(Math.hypot(...along(self, 0.5)) < inner - 10, 'a message to itself loops towards the centre')
})
