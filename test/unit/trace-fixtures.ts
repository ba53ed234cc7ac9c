// Fixed messages for the tests of the trace tools (diagram, SVG, collector, tail): nodes on one host,
// a lookup's conversation, and a builder for any other message. Not a test file itself.
import { createHash } from 'node:crypto'
import type { Message } from '../../src/node/trace/messages.js'
import type { PeerJson } from '../../src/node/wire.js'

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'

/** A node of the fixtures' ring: its id is the SHA-1 of its address, as a real node's. */
export function node(port: number, host = '127.0.0.1'): PeerJson {
  return { id: createHash('sha1').update(`${host}:${port}`).digest('hex'), host, port }
}

let spans = 0

/** A span id, new for every call (16 hex digits). */
export function spanId(): string {
  return (++spans).toString(16).padStart(16, '0')
}

/** A message with every field given a plausible value, `fields` over them. */
export function message(fields: Partial<Message> & Pick<Message, 'from' | 'to'>): Message {
  return {
    traceId: TRACE_ID,
    spanId: spanId(),
    parentId: null,
    method: 'GET',
    path: '/nodeinfo',
    start: 1_700_000_000_000,
    durationMs: 1.5,
    status: 200,
    summary: 'info',
    side: 'sent',
    ...fields,
  }
}

/** make lookup V=hello asked @5001, as a real one reads: two routing steps, the second on the owner @5003. */
export function lookupTrace(): Message[] {
  const [a, b, c] = [node(5001), node(5002), node(5003)]
  const root = message({ from: null, to: a, path: '/lookup', start: 1000, durationMs: 9.2, summary: 'lookup "hello": found on @5003 (2 hops)', side: 'received' })
  return [
    root,
    message({ from: a, to: b, parentId: root.spanId, path: '/route', start: 1001, durationMs: 2.1, summary: 'route key aaf4c61d: next @5003 @5004' }),
    message({ from: a, to: c, parentId: root.spanId, path: '/route', start: 1003.5, durationMs: 1.9, summary: 'route key aaf4c61d: owner, 1 value' }),
    message({ from: a, to: c, parentId: root.spanId, method: 'POST', path: '/insert', start: 1006, durationMs: 1.2, summary: 'insert 1 value "hello" (read repair, copies 3): 1 new' }),
  ]
}
