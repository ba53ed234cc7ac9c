// One message as one line of a terminal: pieces of text, each with its paint, cut to the width; and the
// detail columns every form shares (the diagram's right side, its list form, make messages): route,
// status, duration and summary, failed messages red, maintenance dimmed.
import type { Message } from '../../node/trace/messages.js'
import { durationText, isFailed, isMaintenance, routeText, statusText } from '../render/message-format.js'
import { wrap } from '../report/format.js'
import type { pc } from '../../tools/output.js'

export type Palette = Pick<typeof pc, 'bold' | 'dim' | 'red' | 'green' | 'cyan'>

const MAX_ROUTE_WIDTH = 22
const MAX_STATUS_WIDTH = 18
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

/** The paint of a message's arrow and text: failed red, maintenance dimmed (both: dim red). */
export function messagePaint(message: Message, palette: Palette): (text: string) => string {
  const failed = isFailed(message)
  if (isMaintenance(message)) return failed ? (t) => palette.dim(palette.red(t)) : palette.dim
  return failed ? palette.red : plain
}

export interface Columns {
  route: number
  status: number
  duration: number
}

export function columnsOf(messages: readonly Message[]): Columns {
  const widest = (text: (m: Message) => string, cap: number) => Math.min(cap, Math.max(0, ...messages.map((m) => text(m).length)))
  return { route: widest(routeText, MAX_ROUTE_WIDTH), status: widest(statusText, MAX_STATUS_WIDTH), duration: widest((m) => durationText(m.durationMs), 12) }
}

/** The width of the route, status and duration columns with their gaps: where the summary starts. */
export function summaryColumn(columns: Columns): number {
  return columns.route + columns.status + columns.duration + 3 * GAP.length
}

/** A message's summary, and its task when it is a maintenance round's. */
export function summaryText(message: Message): string {
  return message.summary + (message.task ? ` [${message.task}]` : '')
}

/** Route, status, duration and summary (or the part of it given), aligned in columns. */
export function detailPieces(message: Message, columns: Columns, palette: Palette, summary = summaryText(message)): Piece[] {
  const paint = messagePaint(message, palette)
  const status = isFailed(message) || isMaintenance(message) ? paint : palette.green
  const route = routeText(message)
  const routeShown = route.length > columns.route ? `${route.slice(0, columns.route - 1)}…` : route
  return [
    [routeShown.padEnd(columns.route) + GAP, paint],
    [statusText(message).padEnd(columns.status) + GAP, status],
    [durationText(message.durationMs).padStart(columns.duration) + GAP, isMaintenance(message) ? paint : palette.dim],
    [summary, paint],
  ]
}

/** Lines a message's row takes at most: a summary longer than that is cut. */
const MAX_SUMMARY_LINES = 3

/**
 * A message's row: `lead` (what comes before its detail: the lanes with its arrow, or from → to), the
 * detail, and a summary too long for the room left wrapped onto lines below it, under `under` (the
 * lanes' lifelines) and aligned with the summary's column.
 */
export function messageRows(message: Message, lead: readonly Piece[], under: readonly Piece[], columns: Columns, width: number, palette: Palette): string[] {
  const leadWidth = lead.reduce((sum, [text]) => sum + text.length, 0)
  const room = width - leadWidth - summaryColumn(columns)
  const summary = summaryText(message)
  const parts = room >= 12 && summary.length > room ? wrap(summary, room) : [summary]
  const shown = parts.length > MAX_SUMMARY_LINES ? [...parts.slice(0, MAX_SUMMARY_LINES - 1), parts.slice(MAX_SUMMARY_LINES - 1).join(' ')] : parts
  const indent: Piece = [' '.repeat(Math.max(0, leadWidth - under.reduce((sum, [text]) => sum + text.length, 0)) + summaryColumn(columns)), plain]
  const paint = messagePaint(message, palette)
  return shown.map((part, i) => line(i === 0 ? [...lead, ...detailPieces(message, columns, palette, part)] : [...under, indent, [part, paint]], width))
}
