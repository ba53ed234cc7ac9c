// One row of a trace (a message, or a folded broadcast) as one line of a terminal: pieces of text, each
// with its paint, cut to the width; and the detail columns every form shares (the diagram's right
// side, its list form, make messages): route, status, duration and summary, as render/trace-rows.ts
// words them; failed messages red, maintenance dimmed.
import { summaryText, type TraceRow } from '../render/trace-rows.js'
import { wrap } from '../report/format.js'
import type { pc } from '../../tools/output.js'

export type Palette = Pick<typeof pc, 'bold' | 'dim' | 'red' | 'green' | 'cyan'>

/** What a line shows of a row. */
export type RowText = Pick<TraceRow, 'route' | 'status' | 'duration' | 'summary' | 'task' | 'outcome' | 'maintenance'>

const MAX_ROUTE_WIDTH = 22
const MAX_STATUS_WIDTH = 28
export const GAP = '  '

/** A piece of a line and how to paint it. */
export type Piece = [text: string, paint: (text: string) => string]

/** Pieces joined into one line of at most `width` visible characters (the last one cut, with …). */
export function line(pieces: readonly Piece[], width: number): string {
  let room = width
  let out = ''
  for (const [text, paint] of pieces) {
    if (room <= 0) break
    const shown = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text
    room -= shown.length
    out += shown === '' ? '' : paint(shown)
  }
  return out
}

export const plain = (text: string): string => text

/** The paint of a row's arrow and text: failed red, maintenance dimmed (both: dim red). */
export function messagePaint(row: RowText, palette: Palette): (text: string) => string {
  const failed = row.outcome !== 'ok'
  if (row.maintenance) return failed ? (t) => palette.dim(palette.red(t)) : palette.dim
  return failed ? palette.red : plain
}

export interface Columns {
  route: number
  status: number
  duration: number
}

export function columnsOf(rows: readonly RowText[]): Columns {
  const widest = (text: (r: RowText) => string, cap: number) => Math.min(cap, Math.max(0, ...rows.map((r) => text(r).length)))
  return { route: widest((r) => r.route, MAX_ROUTE_WIDTH), status: widest((r) => r.status, MAX_STATUS_WIDTH), duration: widest((r) => r.duration, 12) }
}

/** The width of the route, status and duration columns with their gaps: where the summary starts. */
export function summaryColumn(columns: Columns): number {
  return columns.route + columns.status + columns.duration + 3 * GAP.length
}

/** Route, status, duration and summary (or the part of it given), aligned in columns. */
export function detailPieces(row: RowText, columns: Columns, palette: Palette, summary = summaryText(row)): Piece[] {
  const paint = messagePaint(row, palette)
  const status = row.outcome !== 'ok' || row.maintenance ? paint : palette.green
  const routeShown = row.route.length > columns.route ? `${row.route.slice(0, columns.route - 1)}…` : row.route
  return [
    [routeShown.padEnd(columns.route) + GAP, paint],
    [row.status.padEnd(columns.status) + GAP, status],
    [row.duration.padStart(columns.duration) + GAP, row.maintenance ? paint : palette.dim],
    [summary, paint],
  ]
}

/** Lines a message's row takes at most: a summary longer than that is cut. */
const MAX_SUMMARY_LINES = 3

/**
 * A row's lines: `lead` (what comes before its detail: the lanes with its arrow, or from → to), the
 * detail, and a summary too long for the room left wrapped onto lines below it, under `under` (the
 * lanes' lifelines) and aligned with the summary's column.
 */
export function messageRows(row: RowText, lead: readonly Piece[], under: readonly Piece[], columns: Columns, width: number, palette: Palette): string[] {
  const leadWidth = lead.reduce((sum, [text]) => sum + text.length, 0)
  const room = width - leadWidth - summaryColumn(columns)
  const summary = summaryText(row)
  const parts = room >= 12 && summary.length > room ? wrap(summary, room) : [summary]
  const shown = parts.length > MAX_SUMMARY_LINES ? [...parts.slice(0, MAX_SUMMARY_LINES - 1), parts.slice(MAX_SUMMARY_LINES - 1).join(' ')] : parts
  const indent: Piece = [' '.repeat(Math.max(0, leadWidth - under.reduce((sum, [text]) => sum + text.length, 0)) + summaryColumn(columns)), plain]
  const paint = messagePaint(row, palette)
  return shown.map((part, i) => line(i === 0 ? [...lead, ...detailPieces(row, columns, palette, part)] : [...under, indent, [part, paint]], width))
}
