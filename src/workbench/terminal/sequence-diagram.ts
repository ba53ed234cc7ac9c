// The terminal's sequence diagram of one trace, drawn in columns from the layout every diagram shares
// (render/sequence-layout.ts): a lane per party (the client first) as a column with │, an arrow per
// row in time order between the lanes, and the route, status, duration and summary to the right. When
// the lanes do not fit the width, the same rows as a list ("@5001 → @5003"). Pure: messages and a
// width in, lines out (coloured through the palette given).
import type { Message } from '../../node/trace/messages.js'
import { foldedText, sequenceLayout, type Lane, type SequenceLayout, type SequenceRow } from '../render/sequence-layout.js'
import type { RowOptions } from '../render/trace-rows.js'
import { columnsOf, GAP, line, messagePaint, messageRows, plain, summaryColumn, type Columns, type Palette, type Piece } from './message-line.js'
import { pc } from '../../tools/output.js'

export interface DiagramOptions extends RowOptions {
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

function laneDiagram(layout: SequenceLayout, lane: number, width: number, palette: Palette): string[] {
  const { lanes, rows } = layout
  const columns = columnsOf(rows.map((r) => r.row))
  const headerLabels = lanes.map((l) => center(l.label, lane)).join('')
  const headerIds = lanes.map((l) => center(l.id, lane)).join('')
  const lines = [
    line([timePiece('ms', palette), [headerLabels, palette.bold]], width),
    line([timePiece('', palette), [headerIds, palette.dim]], width),
    line([timePiece('', palette), lifelines(lane, 0, lanes.length * lane, palette)], width),
  ]
  for (const row of rows) {
    const arrow = arrowPieces(lanes.length, lane, row.from, row.to, messagePaint(row.row, palette), palette)
    const under = [timePiece('', palette), lifelines(lane, 0, lanes.length * lane, palette)]
    lines.push(...messageRows(row.row, [timePiece(row.offset, palette), ...arrow, [GAP, plain]], under, columns, width, palette))
  }
  return lines
}

function listDiagram(layout: SequenceLayout, width: number, palette: Palette): string[] {
  const columns = columnsOf(layout.rows.map((r) => r.row))
  const between = (r: SequenceRow) => `${layout.lanes[r.from]!.label} → ${layout.lanes[r.to]!.label}`
  const betweenWidth = Math.max(...layout.rows.map((r) => between(r).length))
  return layout.rows.flatMap((row) =>
    messageRows(row.row, [timePiece(row.offset, palette), [between(row).padEnd(betweenWidth) + GAP, messagePaint(row.row, palette)]], [], columns, width, palette),
  )
}

/** The diagram of one trace's messages (merged, in time order, as mergeTrace gives them). */
export function sequenceDiagram(messages: readonly Message[], options: DiagramOptions): string[] {
  const palette = options.palette ?? pc
  if (messages.length === 0) return [palette.dim('no messages')]
  const layout = sequenceLayout(messages, options)
  const title = line([[`trace ${layout.traceId}`, palette.bold], [`  ${layout.title}`, palette.dim]], options.width)
  const labelWidth = Math.max(...layout.lanes.map((l: Lane) => l.label.length), 8)
  const lane = laneWidth(layout.lanes.length, labelWidth, detailWidth(columnsOf(layout.rows.map((r) => r.row))), options.width)
  const body = lane === undefined ? listDiagram(layout, options.width, palette) : laneDiagram(layout, lane, options.width, palette)
  const folded = foldedText(layout, ' (ALL=1 shows them)')
  return [title, ...body, ...(folded ? [line([[`  ${folded}`, palette.dim]], options.width)] : [])]
}
