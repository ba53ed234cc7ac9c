// @ts-check
// Where the sequence diagram's parts go, pure and unit-tested (test/unit/web-replay.test.ts): a lane
// per party (the client first), a row per message in time order, each arrow between its two lanes with
// its label (route, status, duration) starting at the sender. sequence.js draws it.
import { describeMessage, partyKey, partyName, statusClass } from './replay.js'

/** @typedef {import('./replay.js').Message} Message */
/** @typedef {import('./replay.js').Peer} Peer */
/** @typedef {{ key: string, name: string, x: number, client: boolean }} LaneLayout */
/** @typedef {{ index: number, y: number, x1: number, x2: number, self: boolean, label: string, anchor: 'start' | 'end', labelX: number, labelEnd: number, status: string }} RowLayout */
/** @typedef {{ width: number, height: number, top: number, rowHeight: number, lanes: LaneLayout[], rows: RowLayout[] }} SequenceLayout */

/** The column of message numbers at the left. */
const NUMBER_COLUMN = 30
/** Room above the first row (the lanes' names are drawn apart, in a header that stays in view). */
const HEADER = 10
const ROW_HEIGHT = 34
const MIN_LANE_GAP = 60
const MAX_LANE_GAP = 120
/** A label's width, estimated from its length (page.css: 11.5px; bold when current). */
const LABEL_CHAR_WIDTH = 6.6
/** Room at the right of the last lane. */
const RIGHT_MARGIN = 30
/** How wide a node's message to itself loops out of its lane. */
export const SELF_LOOP = 22

/**
 * Where everything goes: lanes spread over `width` (each at least MIN_LANE_GAP apart; wider than
 * `width` when there are many), a row per message. A party missing from `lanes` gets a lane at the end.
 * @param {readonly Message[]} messages in time order
 * @param {readonly (Peer | null)[]} lanes the parties in order of appearance, the client first
 * @param {number} width
 * @returns {SequenceLayout}
 */
export function sequenceLayout(messages, lanes, width) {
  const parties = [...lanes]
  const keys = parties.map(partyKey)
  for (const m of messages) {
    for (const p of [m.from, m.to]) {
      if (keys.includes(partyKey(p))) continue
      keys.push(partyKey(p))
      parties.push(p)
    }
  }
  const gap = Math.max(MIN_LANE_GAP, Math.min(MAX_LANE_GAP, (width - NUMBER_COLUMN - 26 - RIGHT_MARGIN) / Math.max(1, parties.length - 1)))
  const laneX = (/** @type {number} */ i) => NUMBER_COLUMN + 26 + i * gap
  const laneOf = (/** @type {Peer | null} */ p) => laneX(keys.indexOf(partyKey(p)))
  const rows = messages.map((m, index) => {
    const x1 = laneOf(m.from)
    const x2 = laneOf(m.to)
    const d = describeMessage(m)
    const label = `${d.route} · ${d.status} · ${d.duration}`
    const labelWidth = label.length * LABEL_CHAR_WIDTH
    // The label starts at the sender and runs along the arrow; leftwards, unless it would run off the
    // diagram's left edge: then it starts at the receiver's end instead, rightwards.
    const leftwards = x2 < x1 && x1 - 6 - labelWidth >= NUMBER_COLUMN
    const labelX = x1 === x2 ? x1 + SELF_LOOP + 4 : leftwards ? x1 - 6 : Math.min(x1, x2) + 6
    return {
      index,
      y: HEADER + (index + 0.5) * ROW_HEIGHT + 6,
      x1,
      x2,
      self: x1 === x2,
      label,
      anchor: /** @type {'start' | 'end'} */ (leftwards ? 'end' : 'start'),
      labelX,
      labelEnd: leftwards ? x1 - 6 : labelX + labelWidth,
      status: statusClass(m),
    }
  })
  const lastLane = laneX(Math.max(0, parties.length - 1))
  return {
    width: Math.ceil(Math.max(width, lastLane + RIGHT_MARGIN, ...rows.map((r) => r.labelEnd + 8))),
    height: HEADER + messages.length * ROW_HEIGHT + 16,
    top: HEADER,
    rowHeight: ROW_HEIGHT,
    lanes: parties.map((p, i) => ({ key: partyKey(p), name: partyName(p), x: laneX(i), client: p === null })),
    rows,
  }
}
