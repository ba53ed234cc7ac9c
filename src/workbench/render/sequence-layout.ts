// The one layout of a sequence diagram, in lanes and rows rather than characters or pixels: a lane per
// party (the client first, then the nodes as they first appear, and `everyone` last when a broadcast
// was folded), a row per TraceRow with the lanes its arrow joins and the texts it shows. The terminal
// draws it in columns (terminal/sequence-diagram.ts), the SVG writer and the page in pixels
// (sequence-geometry.ts). Pure (no Node built-ins, no DOM): compiled for Node and served to the page.
import type { MessageJson as Message } from '../../node/wire-json.js'
import { conversationText, offsetText, partiesInOrder, partyKey, partyLabeller, type Party } from './message-format.js'
import { arrowLabel, isEveryone, summaryText, traceRows, type RowOptions, type TraceRow } from './trace-rows.js'

export interface Lane {
  key: string
  /** `client`, `@5001` (or host:port on several hosts), `everyone`. */
  label: string
  /** A node's short id (its first 8 hex digits); empty for the client and everyone. */
  id: string
  kind: 'client' | 'node' | 'everyone'
  /** The node, or null (the client, everyone). */
  party: Party
}

export interface SequenceRow {
  row: TraceRow
  /** The lanes its arrow runs from and to (equal: a message to oneself). */
  from: number
  to: number
  /** When it started, from the first row: `+12.3`. */
  offset: string
  /** What its arrow says: route · status · duration. */
  label: string
  /** Its summary, with its task when it is maintenance. */
  summary: string
}

export interface SequenceLayout {
  traceId: string
  /** `36 messages between 16 parties in 45.2 ms`: the whole trace, folded or hidden rows included. */
  title: string
  lanes: Lane[]
  rows: SequenceRow[]
  /** Maintenance messages left out (ALL=1 shows them). */
  hidden: number
  /** Messages folded into broadcast rows beyond the one each row shows. */
  folded: number
}

const EVERYONE_KEY = 'everyone'

function laneKey(to: TraceRow['to']): string {
  return isEveryone(to) ? EVERYONE_KEY : partyKey(to)
}

/** The layout of a trace's messages (merged, in time order, as mergeTrace gives them). */
export function sequenceLayout(messages: readonly Message[], options: RowOptions = {}): SequenceLayout {
  const rows = traceRows(messages, options)
  const label = partyLabeller(partiesInOrder(messages))
  const parties = partiesInOrder(rows.flatMap((r) => (isEveryone(r.to) ? [{ from: r.from, to: r.from }] : [{ from: r.from, to: r.to }])))
  const lanes: Lane[] = parties.map((p) => ({ key: partyKey(p), label: label(p), id: p ? p.id.slice(0, 8) : '', kind: p ? 'node' : 'client', party: p }))
  if (rows.some((r) => isEveryone(r.to))) lanes.push({ key: EVERYONE_KEY, label: 'everyone', id: '', kind: 'everyone', party: null })
  const index = new Map(lanes.map((lane, i) => [lane.key, i]))
  const origin = rows[0]?.start ?? 0
  const shownMessages = rows.reduce((sum, r) => sum + r.messages.length, 0)
  return {
    traceId: messages[0]?.traceId ?? '',
    title: conversationText(messages, partiesInOrder(messages).length),
    lanes,
    rows: rows.map((row) => ({
      row,
      from: index.get(partyKey(row.from))!,
      to: index.get(laneKey(row.to))!,
      offset: offsetText(row.start, origin),
      label: arrowLabel(row),
      summary: summaryText(row),
    })),
    hidden: messages.length - shownMessages,
    folded: shownMessages - rows.length,
  }
}

/**
 * What the diagram folded or left out, in words (empty when nothing): `15 broadcast messages folded
 * into one row; 8 maintenance messages hidden` and then `howToShow` (` (ALL=1 shows them)`).
 */
export function foldedText(layout: SequenceLayout, howToShow = ''): string {
  const parts: string[] = []
  const broadcasts = layout.rows.filter((r) => isEveryone(r.row.to))
  if (broadcasts.length > 0) {
    const messages = broadcasts.reduce((sum, r) => sum + r.row.messages.length, 0)
    parts.push(`${messages} broadcast messages folded into ${broadcasts.length === 1 ? 'one row' : `${broadcasts.length} rows`}`)
  }
  if (layout.hidden > 0) parts.push(`${layout.hidden} maintenance ${layout.hidden === 1 ? 'message' : 'messages'} hidden${howToShow}`)
  return parts.join('; ')
}

/** Who a row's arrow joins: `client → @5001`, `@5016 → everyone`. */
export function rowParties(layout: Pick<SequenceLayout, 'lanes'>, row: Pick<SequenceRow, 'from' | 'to'>): string {
  return `${layout.lanes[row.from]!.label} → ${layout.lanes[row.to]!.label}`
}
