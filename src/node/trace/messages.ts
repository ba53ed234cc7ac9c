// One message between two parties of the ring, as a node's message log keeps it and /trace and
// /messages serve it; and the merge of what several nodes logged of one trace into the conversation in
// time order, as the sequence diagrams (terminal, SVG, web page: src/workbench/render) draw it. Pure: no I/O.
import { asArray, asInteger, asObject, asString, bad, type Json, type MessageJson, type PeerJson } from '../wire.js'

/** A party of a message: a node, or null for a client that is not one (a tool, the web view). */
export type Party = PeerJson | null

/** One message, as wire-json.ts declares it for the node, the tools and the web page alike. */
export type Message = MessageJson

/** A message as JSON (it is JSON already: the type only says so). */
export function messageJson(message: Message): Json {
  return message as unknown as Json
}

const HEX_32 = /^[0-9a-f]{32}$/
const HEX_16 = /^[0-9a-f]{16}$/

function party(value: unknown, field: string): Party {
  if (value === null) return null
  const object = asObject(value, field)
  return { id: asString(object.id, `${field}.id`), host: asString(object.host, `${field}.host`), port: asInteger(object.port, `${field}.port`, 1, 65535) }
}

function hex(value: unknown, field: string, pattern: RegExp): string {
  const text = asString(value, field)
  if (!pattern.test(text)) throw bad(`${field} must be lowercase hex of ${pattern === HEX_32 ? 32 : 16} digits`)
  return text
}

function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(`${field} must be a number, at least 0`)
  return value
}

/** A message read back from a node's JSON, every field checked. */
export function parseMessage(value: unknown, field = 'message'): Message {
  const object = asObject(value, field)
  const side = asString(object.side, `${field}.side`)
  if (side !== 'sent' && side !== 'received') throw bad(`${field}.side must be sent or received`)
  return {
    traceId: hex(object.traceId, `${field}.traceId`, HEX_32),
    spanId: hex(object.spanId, `${field}.spanId`, HEX_16),
    parentId: object.parentId === null ? null : hex(object.parentId, `${field}.parentId`, HEX_16),
    from: party(object.from, `${field}.from`),
    to: party(object.to, `${field}.to`),
    method: asString(object.method, `${field}.method`),
    path: asString(object.path, `${field}.path`),
    start: number(object.start, `${field}.start`),
    durationMs: number(object.durationMs, `${field}.durationMs`),
    status: object.status === null ? null : asInteger(object.status, `${field}.status`, 100, 599),
    ...(object.error === undefined ? {} : { error: asString(object.error, `${field}.error`) }),
    summary: asString(object.summary, `${field}.summary`),
    side,
    ...(object.task === undefined ? {} : { task: asString(object.task, `${field}.task`) }),
  }
}

export function parseMessages(value: unknown, field: string): Message[] {
  return asArray(value, field).map((m, i) => parseMessage(m, `${field}[${i}]`))
}

/**
 * One trace from what every node logged of it: each message once (its sender's entry, which knows both
 * ends and the whole round trip, filled in by the receiver's when the sender is no node), in the order
 * they were sent, parents before their children.
 */
export function mergeTrace(entries: readonly Message[]): Message[] {
  const bySpan = new Map<string, Message>()
  for (const entry of entries) {
    const known = bySpan.get(entry.spanId)
    if (!known || (known.side === 'received' && entry.side === 'sent')) bySpan.set(entry.spanId, entry)
  }
  const messages = [...bySpan.values()]
  // A child can be logged a hair before its parent by another node's clock: it never goes first.
  const placed = new Map<string, number>()
  const effective = (m: Message, depth = 0): number => {
    const known = placed.get(m.spanId)
    if (known !== undefined) return known
    const parent = m.parentId ? bySpan.get(m.parentId) : undefined
    const at = parent && depth < messages.length ? Math.max(m.start, effective(parent, depth + 1) + 1e-6) : m.start
    placed.set(m.spanId, at)
    return at
  }
  return messages.sort((a, b) => effective(a) - effective(b))
}
