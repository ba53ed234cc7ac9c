// A trace's messages as the rows a diagram draws, with their texts: each message a row, except that a
// broadcast (an announcement spread over the ring, relayed node to node) folds into one row,
// `announce "joined @5004" to 15 nodes`, and that maintenance is left out unless asked for (or unless
// the trace is nothing else, such as a stabilize round's). Pure (no Node built-ins, no DOM): compiled
// for Node and served to the page (/render/).
import type { MessageJson as Message } from '../../node/wire-json.js'
import { durationText, elapsedMs, isMaintenance, outcomeOf, partyKey, plural, routeText, statusText, type Outcome, type Party } from './message-format.js'

/** Routes whose messages spread one piece of news to every node: a diagram folds each spreading into one row. */
export const BROADCAST_ROUTES: ReadonlySet<string> = new Set(['POST /announce'])

/** Where a folded broadcast goes: every node it reached (`everyone` counts them). */
export type Everyone = { everyone: number }

export interface TraceRow {
  /** The messages this row stands for: one, or every message of a broadcast. */
  messages: readonly Message[]
  from: Party
  to: Party | Everyone
  /** When the first message started, epoch ms. */
  start: number
  /** From the first message's start to the last answer. */
  durationMs: number
  route: string
  status: string
  duration: string
  /** What was asked and answered (without the task). */
  summary: string
  task?: string
  outcome: Outcome
  maintenance: boolean
}

export interface RowOptions {
  /** Show the maintenance rounds' messages too (ALL=1). */
  maintenance?: boolean
}

export function isEveryone(to: Party | Everyone): to is Everyone {
  return to !== null && 'everyone' in to
}

/** The row of one message. */
export function messageRow(message: Message): TraceRow {
  return {
    messages: [message],
    from: message.from,
    to: message.to,
    start: message.start,
    durationMs: message.durationMs,
    route: routeText(message),
    status: statusText(message),
    duration: durationText(message.durationMs),
    summary: message.summary,
    ...(message.task === undefined ? {} : { task: message.task }),
    outcome: outcomeOf(message),
    maintenance: isMaintenance(message),
  }
}

/** A row's summary, and its task when it is a maintenance round's: `predecessor @5001 [stabilize]`. */
export function summaryText(row: Pick<TraceRow, 'summary' | 'task'>): string {
  return row.summary + (row.task ? ` [${row.task}]` : '')
}

/** What an arrow says: `GET /route · 200 · 1.32 ms`. */
export function arrowLabel(row: Pick<TraceRow, 'route' | 'status' | 'duration'>): string {
  return `${row.route} · ${row.status} · ${row.duration}`
}

/** The news a broadcast spreads, from its first message's summary: `announce "joined @5004"`. */
function newsOf(first: Message): string {
  const news = /^(\w+): (\S+) (joined|left|failed)\b/.exec(first.summary)
  return news ? `${news[1]} "${news[3]} ${news[2]}"` : routeText(first)
}

const OUTCOME_ORDER: readonly Outcome[] = ['ok', 'refused', 'failed']

/** The row of a broadcast's messages (in time order): from the node that started it to everyone it reached. */
function broadcastRow(messages: readonly Message[], origin: Message): TraceRow {
  const receivers = new Set(messages.map((m) => partyKey(m.to))).size
  const outcome = OUTCOME_ORDER[Math.max(...messages.map((m) => OUTCOME_ORDER.indexOf(outcomeOf(m))))]!
  const unanswered = messages.filter((m) => outcomeOf(m) !== 'ok').length
  const statuses = new Set(messages.map(statusText))
  const first = messages[0]!
  const durationMs = elapsedMs(messages)
  return {
    messages,
    from: origin.from,
    to: { everyone: receivers },
    start: first.start,
    durationMs,
    route: routeText(first),
    status: statuses.size === 1 ? statusText(first) : `${unanswered} of ${messages.length} failed`,
    duration: durationText(durationMs),
    summary: `${newsOf(first)} to ${plural(receivers, 'node')}`,
    ...(first.task === undefined ? {} : { task: first.task }),
    outcome,
    maintenance: messages.every(isMaintenance),
  }
}

/**
 * The rows of a trace's messages (merged, in time order): maintenance left out unless asked for or
 * the trace has nothing else, each broadcast of two messages or more folded into one row where its
 * first message was.
 */
export function traceRows(messages: readonly Message[], options: RowOptions = {}): TraceRow[] {
  const maintenance = options.maintenance === true || messages.every(isMaintenance)
  const shown = messages.filter((m) => maintenance || !isMaintenance(m))
  const bySpan = new Map(shown.map((m) => [m.spanId, m]))
  // A relayed message's parent is the message it relays: up that chain is the broadcast's first send,
  // whose sender and parent name the broadcast (its first sends are siblings).
  const originOf = (message: Message): Message => {
    let top = message
    for (let depth = 0; depth < shown.length; depth++) {
      const parent = top.parentId === null ? undefined : bySpan.get(top.parentId)
      if (!parent || routeText(parent) !== routeText(message)) break
      top = parent
    }
    return top
  }
  const broadcasts = new Map<string, { origin: Message; messages: Message[] }>()
  const broadcastOf = new Map<Message, string>()
  for (const message of shown) {
    if (!BROADCAST_ROUTES.has(routeText(message))) continue
    const origin = originOf(message)
    const id = `${routeText(message)}|${partyKey(origin.from)}|${origin.parentId ?? ''}`
    const known = broadcasts.get(id)
    if (known) known.messages.push(message)
    else broadcasts.set(id, { origin, messages: [message] })
    broadcastOf.set(message, id)
  }
  const rows: TraceRow[] = []
  const placed = new Set<string>()
  for (const message of shown) {
    const id = broadcastOf.get(message)
    const broadcast = id === undefined ? undefined : broadcasts.get(id)
    if (!broadcast || broadcast.messages.length < 2) {
      rows.push(messageRow(message))
    } else if (!placed.has(id!)) {
      placed.add(id!)
      rows.push(broadcastRow(broadcast.messages, broadcast.origin))
    }
  }
  return rows
}
