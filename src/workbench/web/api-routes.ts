// make web's JSON API, one handler per route: the ring's picture (/api/ring), store and lookup, add,
// leave and crash, the traces and messages the nodes logged, and the faults. Each action starts a trace
// and answers with its id; changes run one at a time (WebRing.serial), a heal never in the middle of a
// partition. Errors are DhtErrors, which the JSON layer answers as { error, code } with their status.
import { isTraceId } from '../../node/trace/trace-context.js'
import { messageJson } from '../../node/trace/messages.js'
import type { Route, RouteTable } from '../../node/server/json-server.js'
import { asInteger, asObject, asString, bad, type Json } from '../../node/wire.js'
import type { ValueReply } from '../../tools/ring-client.js'
import { addNode, crashNode, leaveNode } from '../../tools/ring-ops.js'
import { faultActions } from './fault-api.js'
import { collectMessages, collectTrace, nowMs, repairWindowMs, sentByThisPage, startTrace, type Conversation } from './traces.js'
import type { WebRing } from './web-ring.js'

/** /api/messages without a `since`: the last second. */
const DEFAULT_MESSAGES_WINDOW_MS = 1000
/** Nodes named in one /api/messages?involving= at most. */
const MAX_INVOLVING = 64

type ApiRequest = { query: URLSearchParams; body: Record<string, unknown> }

/** An API route: its JSON body (when it has one) must be an object; the handler's answer is the reply. */
function api(answer: (request: ApiRequest) => Promise<Json>): Route {
  return { handler: async ({ query, body }) => ({ body: await answer({ query, body: body === undefined ? {} : asObject(body, 'the body') }) }) }
}

function conversationJson(c: Conversation): Record<string, Json> {
  return { messages: c.messages.map(messageJson), lanes: c.lanes as Json, unreachable: c.unreachable }
}

/** POST /api/store, GET /api/lookup: through the node on `port`, or without one straight to the key's owner; traced. */
async function valueRoute(ring: WebRing, op: 'store' | 'lookup', value: string, port: number | undefined): Promise<Json> {
  const { state, client } = ring.open()
  const { traceId, traceparent } = startTrace()
  if (port === undefined) {
    if (state.processes.length === 0) ring.pickNode(state, undefined) // 503: no node runs
    const direct = ring.direct(client, state)
    const { route, redirects, asked, ...reply } = op === 'store' ? await direct.store(value, { traceparent }) : await direct.lookup(value, { traceparent })
    return { op, ...reply, entry: asked, route, redirects, traceId } as unknown as Json
  }
  const entry = ring.pickNode(state, port)
  const reply: ValueReply = op === 'store' ? await client.store(entry, value, { traceparent }) : await client.lookup(entry, value, { traceparent })
  return { op, ...reply, entry: { id: entry.id, host: entry.host, port: entry.port }, traceId } as unknown as Json
}

/** POST /api/add: the new node runs its join inside the trace (--traceparent): there is no request to carry it. */
async function addRoute(ring: WebRing): Promise<Json> {
  ring.open()
  const { traceId, traceparent } = startTrace()
  const node = await addNode(ring.file, { traceparent })
  return { added: { id: node.id, host: node.host, port: node.port, pid: node.pid }, traceId }
}

/** POST /api/leave: the node's log is gone with it, so what it logged of its leave is kept here. */
async function leaveRoute(ring: WebRing, port: number | undefined): Promise<Json> {
  const { state, client } = ring.open()
  const node = ring.pickNode(state, port)
  const { traceId, spanId, traceparent } = startTrace()
  const start = nowMs()
  const { handedTo, spans } = await leaveNode(ring.file, client, node, { traceparent })
  // Its answer brought back all but the LEAVE itself (logged once answered), which this side, its sender, records instead.
  const leave = spans.some((m) => m.spanId === spanId)
    ? []
    : [sentByThisPage({ traceId, spanId, to: node, method: 'POST', path: '/leave', start, end: nowMs(), status: 200, summary: `leave: keys handed to ${handedTo ? `@${handedTo.port}` : 'no one'}` })]
  ring.keepDeparted(traceId, [...leave, ...spans])
  return { left: { id: node.id, host: node.host, port: node.port }, handedTo: handedTo as Json, traceId }
}

/**
 * POST /api/crash: a crash sends no message to trace, so the page replays the repair instead: the
 * maintenance of the next few seconds that involves the node or its neighbours (asked before it dies).
 */
async function crashRoute(ring: WebRing, port: number | undefined): Promise<Json> {
  const { state, client } = ring.open()
  const node = ring.pickNode(state, port)
  const neighbours = await client.nodeInfo(node).then(
    (info) => [info.predecessor, info.successor].filter((p) => p !== null).map((p) => client.wire.peer(p)),
    () => [],
  )
  const since = Date.now()
  crashNode(ring.file, node)
  const crashed = { id: node.id, host: node.host, port: node.port }
  const nodes = new Map([crashed, ...neighbours].map((p) => [`${p.host}:${p.port}`, { id: p.id, host: p.host, port: p.port }]))
  return { crashed: { ...crashed, pid: node.pid }, repair: { since, until: since + repairWindowMs(state.settings), nodes: [...nodes.values()] } }
}

/** GET /api/trace?id=: what every node logged of one trace. */
async function traceRoute(ring: WebRing, query: URLSearchParams): Promise<Json> {
  const id = query.get('id') ?? ''
  if (!isTraceId(id)) throw bad('id must be a trace id: 32 lowercase hex digits, not all zeros')
  const { state, client } = ring.open()
  return { traceId: id, ...conversationJson(await collectTrace(client, ring.traceNodes(state), id, ring.departed(id))) }
}

/** GET /api/messages: the ring's messages of a stretch of time, client operations or (all=1) maintenance too. */
async function messagesRoute(ring: WebRing, query: URLSearchParams): Promise<Json> {
  const now = Date.now()
  const since = query.has('since') ? timeField(query.get('since'), 'since') : now - DEFAULT_MESSAGES_WINDOW_MS
  const until = query.has('until') ? timeField(query.get('until'), 'until') : undefined
  const involving = listField(query.get('involving'), 'involving', MAX_INVOLVING)
  const tasks = listField(query.get('task'), 'task', MAX_INVOLVING)
  const { state, client } = ring.open()
  const found = await collectMessages(
    client,
    ring.traceNodes(state),
    { since, all: query.get('all') === '1', ...(until === undefined ? {} : { until }), ...(involving ? { involving } : {}), ...(tasks ? { tasks } : {}) },
    now,
  )
  return { ...conversationJson(found), now: found.now }
}

export function apiRoutes(ring: WebRing): RouteTable {
  const faults = faultActions({
    open: () => {
      const { state, client } = ring.open()
      return { file: ring.file, state, client, entry: (port) => ring.pickNode(state, port) }
    },
    book: ring.plans,
  })
  return {
    '/api/ring': { GET: api(() => ring.view()) },
    '/api/store': { POST: api(({ body }) => valueRoute(ring, 'store', asString(body.value, 'value'), portField(body.port))) },
    '/api/lookup': { GET: api(({ query }) => valueRoute(ring, 'lookup', asString(query.get('value') ?? undefined, 'value'), portField(query.get('port')))) },
    '/api/add': { POST: api(() => ring.serial(() => addRoute(ring))) },
    '/api/leave': { POST: api(({ body }) => ring.serial(() => leaveRoute(ring, portField(body.port)))) },
    '/api/crash': { POST: api(({ body }) => ring.serial(() => crashRoute(ring, portField(body.port)))) },
    '/api/trace': { GET: api(({ query }) => traceRoute(ring, query)) },
    '/api/messages': { GET: api(({ query }) => messagesRoute(ring, query)) },
    '/api/slow': { POST: api(({ body }) => ring.serial(() => faults.slow(body))) },
    '/api/drop': { POST: api(({ body }) => ring.serial(() => faults.drop(body))) },
    '/api/partition': { POST: api(({ body }) => ring.serial(() => faults.partition(body))) },
    '/api/heal': { POST: api(() => ring.serial(() => faults.heal())) },
  }
}

/** A comma-separated list in a query (nodes' "host:port", tasks' names), or undefined when not given. */
function listField(value: string | null, field: string, max: number): Set<string> | undefined {
  if (!value) return undefined
  const items = new Set(value.split(',').filter((item) => item !== ''))
  if (items.size > max) throw bad(`${field} names at most ${max} items`)
  return items
}

/** Epoch milliseconds in a query. */
function timeField(value: string | null, field: string): number {
  const ms = Number(value)
  if (value === null || value.trim() === '' || !Number.isFinite(ms) || ms < 0) throw bad(`${field} must be a time in epoch milliseconds`)
  return ms
}

function portField(value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : asInteger(value, 'port', 1, 65535)
}
