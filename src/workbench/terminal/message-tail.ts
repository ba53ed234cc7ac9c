// make messages: the messages of the whole ring as they happen, from what every node's log answers to
// /messages?since=. Both ends of a message log it, so each is printed once (the sender's entry, which
// knows the round trip, preferred: an entry waits one poll for its other end); client operations
// only unless maintenance is asked for. Pure: the polling is the script's, this keeps the books.
import type { Message } from '../../node/trace/messages.js'
import { messageRow } from '../render/trace-rows.js'
import { detailPieces, GAP, line, messagePaint, type Columns, type Palette } from './message-line.js'

export interface TailOptions {
  /** Maintenance rounds too (messages whose task is set). */
  maintenance: boolean
  /**
   * How far before the newest start seen a node is asked again: a node logs a message when its answer
   * comes, so one that started earlier can appear later (up to a peer timeout later).
   */
  lookbackMs: number
}

interface Pending {
  message: Message
  round: number
}

export class MessageTail {
  readonly #options: TailOptions
  /** Per node (host:port): the newest start seen in its log. */
  readonly #newest = new Map<string, number>()
  readonly #pending = new Map<string, Pending>()
  /** Spans already printed, with their start (forgotten once older than the lookback). */
  readonly #printed = new Map<string, number>()
  #round = 0

  constructor(options: TailOptions) {
    this.#options = options
  }

  /** What to ask a node for: messages that started after this many epoch ms, whole (0 for a node not asked yet). */
  since(node: string): number {
    const newest = this.#newest.get(node)
    return newest === undefined ? 0 : Math.max(0, Math.floor(newest - this.#options.lookbackMs))
  }

  /** One node's answer of this round. */
  add(node: string, messages: readonly Message[]): void {
    for (const message of messages) {
      this.#newest.set(node, Math.max(this.#newest.get(node) ?? 0, message.start))
      if (!this.#options.maintenance && message.task !== undefined) continue
      if (this.#printed.has(message.spanId)) continue
      const known = this.#pending.get(message.spanId)
      if (!known) this.#pending.set(message.spanId, { message, round: this.#round })
      else if (known.message.side === 'received' && message.side === 'sent') known.message = message
    }
  }

  /**
   * Ends a round: the messages seen in an earlier round (their other end had a poll to show up), in
   * the order they started; `all` takes every message waiting (the last round, ONCE=1).
   */
  endRound(all = false): Message[] {
    const ready = [...this.#pending.values()].filter((p) => all || p.round < this.#round).map((p) => p.message)
    for (const message of ready) {
      this.#pending.delete(message.spanId)
      this.#printed.set(message.spanId, message.start)
    }
    this.#round++
    const newest = Math.max(0, ...this.#newest.values())
    for (const [span, start] of this.#printed) if (start < newest - 2 * this.#options.lookbackMs) this.#printed.delete(span)
    return ready.sort((a, b) => a.start - b.start)
  }
}

/**
 * What the first screen shows: the messages that started within `windowMs` before `now` (all of them
 * when `windowMs` is 0), and how many older ones are left out.
 */
export function recentMessages(messages: readonly Message[], windowMs: number, now: number): { shown: Message[]; leftOut: number } {
  if (windowMs <= 0) return { shown: [...messages], leftOut: 0 }
  const shown = messages.filter((m) => m.start >= now - windowMs)
  return { shown, leftOut: messages.length - shown.length }
}

/** 14:03:27.412 */
function clock(epochMs: number): string {
  const time = new Date(epochMs)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`
}

/** The fixed columns of a tail (it cannot measure messages still to come). */
const TAIL_COLUMNS: Columns = { route: 17, status: 3, duration: 8 }
const BETWEEN_WIDTH = 16

/**
 * One message as make messages prints it: when, its trace (short), from → to, route, status, duration
 * and summary, cut to `width`.
 */
export function tailLine(message: Message, label: (party: Message['from']) => string, width: number, palette: Palette): string {
  const between = `${label(message.from)} → ${label(message.to)}`
  const row = messageRow(message)
  return line(
    [
      [`${clock(message.start)} `, palette.dim],
      [`${message.traceId.slice(0, 8)} `, palette.dim],
      [between.padEnd(BETWEEN_WIDTH) + GAP, messagePaint(row, palette)],
      ...detailPieces(row, TAIL_COLUMNS, palette),
    ],
    width,
  )
}

/**
 * A message that opens a trace: a client's request, or one a node sent on behalf of nothing (the JOIN of
 * a new node); make messages names the whole trace id above it, for make trace ID=. Maintenance rounds
 * open traces too, but too many to name.
 */
export function opensTrace(message: Message): boolean {
  return message.task === undefined && (message.from === null || (message.side === 'sent' && message.parentId === null))
}
