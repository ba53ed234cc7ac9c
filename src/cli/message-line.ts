// One message as one line of a terminal: pieces of text, each with its paint, cut to the width; and the
// detail columns every form shares (the diagram's right side, its list form, make messages): route,
// status, duration and summary, failed messages red, maintenance dimmed.
import type { Message } from '../trace/messages.js'
import { durationText, isFailed, isMaintenance, routeText, statusText } from '../trace/message-format.js'
import type { pc } from './output.js'

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

/** Route, status, duration and summary, aligned in columns. */
export function detailPieces(message: Message, columns: Columns, palette: Palette): Piece[] {
  const paint = messagePaint(message, palette)
  const status = isFailed(message) || isMaintenance(message) ? paint : palette.green
  const route = routeText(message)
  const routeShown = route.length > columns.route ? `${route.slice(0, columns.route - 1)}…` : route
  return [
    [routeShown.padEnd(columns.route) + GAP, paint],
    [statusText(message).padEnd(columns.status) + GAP, status],
    [durationText(message.durationMs).padStart(columns.duration) + GAP, isMaintenance(message) ? paint : palette.dim],
    [message.summary + (message.task ? ` [${message.task}]` : ''), paint],
  ]
}
