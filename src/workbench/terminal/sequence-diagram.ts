// The terminal's sequence diagram of one trace: a lane per party (the client first) as a column with
// │, an arrow per message in time order between the lanes, and the route, status, duration and summary
// to the right. When the lanes do not fit the width, the same messages as a list ("@5001 → @5003").
// Pure: messages and a width in, lines out (coloured through the palette given).
import type { Message, Party } from '../../node/trace/messages.js'
import { lanesOf } from '../../node/trace/messages.js'
import { conversationText, offsetText, partyKey, partyLabeller } from '../render/message-format.js'
import { columnsOf, GAP, line, messagePaint, messageRows, plain, summaryColumn, type Columns, type Palette, type Piece } from './message-line.js'
import { pc } from '../../tools/output.js'

export interface DiagramOptions {
  /** The terminal's columns: no line is longer. */
  width: number
  palette?: Palette
}

/** "  +123.4 ": when each message started, in ms from the first. */
const TIME_WIDTH = 9
const MIN_LANE_WIDTH = 9
const MAX_LANE_WIDTH = 14
/** The detail column shows the route, status and duration whole, and at least this much of the summary. */
const MIN_SUMMARY_WIDTH = 24

/** A lane's label centred in its column (cut with … when longer), so it sits over the lifeline. */
function center(text: string, width: number): string {
  const shown = text.length > width - 1 ? `${text.slice(0, Math.max(0, width - 2))}…` : text
  const left = Math.floor((width - shown.length) / 2)
  return `${' '.repeat(left)}${shown}`.padEnd(width)
}

/** The columns the detail takes: before its summary, and the least of the summary on one line. */
function detailWidth(columns: Columns): number {
  return summaryColumn(columns) + MIN_SUMMARY_WIDTH
}

/**
 * The widest lane (up to what the labels need) that lets `lanes` lanes and the detail fit `width`, or
 * undefined when even the narrowest do not: then the diagram is a list.
 */
export function laneWidth(lanes: number, labelWidth: number, detail: number, width: number): number | undefined {
  const ideal = Math.min(MAX_LANE_WIDTH, Math.max(MIN_LANE_WIDTH, labelWidth + 2))
  for (let lane = ideal; lane >= MIN_LANE_WIDTH; lane--) {
    if (TIME_WIDTH + lanes * lane + GAP.length + detail <= width) return lane
  }
  return undefined
}

/** Columns start to end (exclusive) of the lanes: a │ at each lane's centre. */
function lifelines(lane: number, start: number, end: number, palette: Palette): Piece {
  let text = ''
  for (let x = start; x < end; x++) text += x % lane === Math.floor(lane / 2) ? '│' : ' '
  return [text, palette.dim]
}

/** One row of the lanes: the lifelines, and the message's arrow from its sender's lane to its receiver's. */
function arrowPieces(lanes: number, lane: number, from: number, to: number, paint: (text: string) => string, palette: Palette): Piece[] {
  const centre = (i: number) => i * lane + Math.floor(lane / 2)
  let start: number
  let arrow: string
  if (from === to) {
    start = centre(from)
    arrow = '├─↺'
  } else if (from < to) {
    start = centre(from)
    arrow = `├${'─'.repeat(centre(to) - centre(from) - 2)}▶`
  } else {
    start = centre(to) + 1
    arrow = `◀${'─'.repeat(centre(from) - centre(to) - 2)}┤`
  }
  return [lifelines(lane, 0, start, palette), [arrow, paint], lifelines(lane, start + arrow.length, lanes * lane, palette)]
}

function timePiece(text: string, palette: Palette): Piece {
  return [text.padStart(TIME_WIDTH - 1) + ' ', palette.dim]
}

function laneDiagram(messages: readonly Message[], lanes: readonly Party[], label: (p: Party) => string, lane: number, width: number, palette: Palette): string[] {
  const index = new Map(lanes.map((p, i) => [partyKey(p), i]))
  const origin = messages[0]!.start
  const columns = columnsOf(messages)
  const headerLabels = lanes.map((p) => center(label(p), lane)).join('')
  const headerIds = lanes.map((p) => center(p ? p.id.slice(0, 8) : '', lane)).join('')
  const lines = [
    line([timePiece('ms', palette), [headerLabels, palette.bold]], width),
    line([timePiece('', palette), [headerIds, palette.dim]], width),
    line([timePiece('', palette), lifelines(lane, 0, lanes.length * lane, palette)], width),
  ]
  for (const message of messages) {
    const from = index.get(partyKey(message.from))!
    const to = index.get(partyKey(message.to))!
    const arrow = arrowPieces(lanes.length, lane, from, to, messagePaint(message, palette), palette)
    const under = [timePiece('', palette), lifelines(lane, 0, lanes.length * lane, palette)]
    lines.push(...messageRows(message, [timePiece(offsetText(message, origin), palette), ...arrow, [GAP, plain]], under, columns, width, palette))
  }
  return lines
}

function listDiagram(messages: readonly Message[], label: (p: Party) => string, width: number, palette: Palette): string[] {
  const origin = messages[0]!.start
  const columns = columnsOf(messages)
  const between = (m: Message) => `${label(m.from)} → ${label(m.to)}`
  const betweenWidth = Math.max(...messages.map((m) => between(m).length))
  return messages.flatMap((message) =>
    messageRows(message, [timePiece(offsetText(message, origin), palette), [between(message).padEnd(betweenWidth) + GAP, messagePaint(message, palette)]], [], columns, width, palette),
  )
}

/** The diagram of one trace's messages (merged, in time order, as mergeTrace gives them). */
export function sequenceDiagram(messages: readonly Message[], options: DiagramOptions): string[] {
  const palette = options.palette ?? pc
  if (messages.length === 0) return [palette.dim('no messages')]
  const lanes = lanesOf(messages)
  const label = partyLabeller(lanes)
  const title = line([[`trace ${messages[0]!.traceId}`, palette.bold], [`  ${conversationText(messages, lanes.length)}`, palette.dim]], options.width)
  const labelWidth = Math.max(...lanes.map((p) => label(p).length), 8)
  const lane = laneWidth(lanes.length, labelWidth, detailWidth(columnsOf(messages)), options.width)
  const body = lane === undefined ? listDiagram(messages, label, options.width, palette) : laneDiagram(messages, lanes, label, lane, options.width, palette)
  return [title, ...body]
}
