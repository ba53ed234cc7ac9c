// Fixed messages for the tests of the trace tools (diagram, SVG, page, collector, tail): nodes on one
// host, a lookup's conversation, a join's in a ring of 16, and a builder for any other message. Not a
// test file itself.
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

/**
 * make add TRACE=1 as it ran on a ring of 16 (ports renumbered from 5000): @5016 joins through @5013,
 * which routes to its place and rewires (each node told of a new neighbour pings it first); then the
 * joiner's first maintenance, marked as such (stabilize, replica sync, fingers), and the announcement
 * of the join spread down the finger tree to all 16 other nodes.
 * Each row: span, parent span (0: the tool's request), from, to, route, start (ms), duration (ms), summary, task.
 */
const JOIN: ReadonlyArray<[number, number, number, number, string, number, number, string, string?]> = [
  [1, 0, 5016, 5013, 'POST /join', 0, 44.46, 'join @5016: between @5008 and @5011'],
  [2, 1, 5013, 5016, 'GET /ping', 5.8, 9.03, 'ping: alive'],
  [3, 1, 5013, 5005, 'GET /route', 15, 1.56, 'route key f8ddd534: next @5007 @5006 @5014'],
  [4, 1, 5013, 5007, 'GET /route', 16.6, 1.46, 'route key f8ddd534: next @5008'],
  [5, 1, 5013, 5008, 'GET /route', 18.1, 3.29, 'route key f8ddd534: owner'],
  [6, 1, 5013, 5011, 'GET /ping', 21.5, 1.07, 'ping: alive'],
  [7, 1, 5013, 5016, 'PUT /predecessor', 22.7, 6.76, 'predecessor := @5008: done'],
  [8, 7, 5016, 5008, 'GET /ping', 24.2, 3.1, 'ping: alive'],
  [9, 1, 5013, 5016, 'PUT /successor', 29.5, 8.78, 'successor := @5011: done'],
  [10, 9, 5016, 5011, 'GET /ping', 31.1, 5.35, 'ping: alive'],
  [11, 1, 5013, 5008, 'PUT /successor', 38.3, 3.2, 'successor := @5016 if still @5011: done'],
  [12, 11, 5008, 5016, 'GET /ping', 39, 1.96, 'ping: alive'],
  [13, 1, 5013, 5011, 'PUT /predecessor', 41.5, 2.13, 'predecessor := @5016: done'],
  [14, 13, 5011, 5016, 'GET /ping', 42.1, 1.2, 'ping: alive'],
  [15, 0, 5016, 5011, 'POST /neighbors', 44.9, 1.46, 'notify: @5016 may be your predecessor; neighbors and fingerprint: predecessor @5016, successors @5004 @5013 @5003', 'stabilize'],
  [16, 0, 5016, 5011, 'GET /range', 46.5, 1.16, 'range [0841d79b, 1801b9c8): 0 values', 'stabilize'],
  [17, 0, 5016, 5011, 'GET /route', 48.5, 1.69, 'route key 08ddd534: owner', 'fix_fingers'],
  [18, 0, 5016, 5013, 'GET /route', 50.4, 7.48, 'route key 18ddd534: next @5003', 'fix_fingers'],
  [19, 0, 5016, 5003, 'GET /route', 57.9, 1.59, 'route key 18ddd534: owner', 'fix_fingers'],
  [20, 0, 5016, 5012, 'GET /route', 59.6, 1.84, 'route key 38ddd534: owner', 'fix_fingers'],
  [21, 0, 5016, 5010, 'GET /route', 61.6, 1.86, 'route key 78ddd534: next @5009 @5015 @5000', 'fix_fingers'],
  [22, 0, 5016, 5009, 'GET /route', 63.6, 1.7, 'route key 78ddd534: owner', 'fix_fingers'],
  [23, 0, 5016, 5011, 'POST /announce', 65.8, 17.44, 'announce: @5016 joined, pass on up to 11a2fc39: heard'],
  [24, 0, 5016, 5004, 'POST /announce', 66.2, 16.81, 'announce: @5016 joined, pass on up to 1801b9c8: heard'],
  [25, 0, 5016, 5013, 'POST /announce', 66.6, 16.94, 'announce: @5016 joined, pass on up to 1a5c8a60: heard'],
  [26, 0, 5016, 5012, 'POST /announce', 66.8, 7.45, 'announce: @5016 joined, pass on up to 3a114035: heard'],
  [27, 0, 5016, 5010, 'POST /announce', 67, 16.67, 'announce: @5016 joined, pass on up to 80ed2beb: heard'],
  [28, 0, 5016, 5002, 'POST /announce', 67.2, 62.43, 'announce: @5016 joined, pass on up to f8ddd534: heard'],
  [29, 25, 5013, 5003, 'POST /announce', 69.5, 7.35, 'announce: @5016 joined, pass on up to 1a5c8a60: heard'],
  [30, 27, 5010, 5000, 'POST /announce', 71.5, 6.84, 'announce: @5016 joined, pass on up to 6cce1c76: heard'],
  [31, 27, 5010, 5015, 'POST /announce', 71.7, 8.47, 'announce: @5016 joined, pass on up to 7468935b: heard'],
  [32, 27, 5010, 5009, 'POST /announce', 72, 6.42, 'announce: @5016 joined, pass on up to 80ed2beb: heard'],
  [33, 28, 5002, 5001, 'POST /announce', 81, 9.79, 'announce: @5016 joined, pass on up to 9db1a322: heard'],
  [34, 28, 5002, 5005, 'POST /announce', 81.3, 47.52, 'announce: @5016 joined, pass on up to b126329a: heard'],
  [35, 28, 5002, 5014, 'POST /announce', 81.4, 41.98, 'announce: @5016 joined, pass on up to cbbd325c: heard'],
  [36, 28, 5002, 5007, 'POST /announce', 81.5, 10.7, 'announce: @5016 joined, pass on up to f8ddd534: heard'],
  [37, 36, 5007, 5008, 'POST /announce', 89.6, 2.35, 'announce: @5016 joined, pass on up to f8ddd534: heard'],
  [38, 35, 5014, 5006, 'POST /announce', 121.8, 1.18, 'announce: @5016 joined, pass on up to cbbd325c: heard'],
]

export const JOIN_TRACE_ID = '6a0f4f0c3d1e4b7a9f2e8c5d1b3a7e90'
const JOIN_ROOT_SPAN = 'a0'.repeat(8)

export function joinTrace(): Message[] {
  const span = (n: number) => (n === 0 ? JOIN_ROOT_SPAN : n.toString(16).padStart(16, '0'))
  return JOIN.map(([id, parent, from, to, route, start, durationMs, summary, task]) => {
    const [method, path] = route.split(' ') as [string, string]
    return {
      traceId: JOIN_TRACE_ID,
      spanId: span(id),
      parentId: span(parent),
      from: node(from),
      to: node(to),
      method,
      path,
      start: 1_700_000_000_000 + start,
      durationMs,
      status: 200,
      summary,
      side: 'sent' as const,
      ...(task ? { task } : {}),
    }
  })
}
