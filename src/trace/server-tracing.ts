// The server's side of tracing: a wrapper around a node's dispatch that enters the trace a request
// belongs to (from its traceparent header, or a new one), so whatever the node sends on its behalf is
// a child of it, and logs the request as a received message with a one-line summary of its answer.
import type { IncomingRequest, Reply, Wrapper } from '../http/json-server.js'
import { preview } from '../text.js'
import type { Message, Party } from './messages.js'
import { CHORD_FROM, newSpanId, newTraceId, parseTraceparent, TRACEPARENT, TRACESTATE, taskOfTracestate } from './trace-context.js'
import type { Tracer } from './tracer.js'

/** Reads of a node's own state that the tools poll all the time: logged only when they belong to a trace. */
const POLLED = new Set(['/nodeinfo', '/content', '/trace', '/messages', '/ping'])

/** `partyOf("host:port")`: the sending node as the log names it (null when the header is not an address). */
export function tracingWrapper(tracer: Tracer, partyOf: (address: string) => Party): Wrapper {
  return (next) => async (request) => {
    const header = parseTraceparent(request.headers[TRACEPARENT])
    if (!header && POLLED.has(request.path)) return next(request)
    const task = taskOfTracestate(request.headers[TRACESTATE])
    const context = { traceId: header?.traceId ?? newTraceId(), spanId: header?.parentId ?? newSpanId(), ...(task ? { task } : {}) }
    const sender = request.headers[CHORD_FROM]
    const from = typeof sender === 'string' ? partyOf(sender) : null
    const start = tracer.now()
    const reply = await tracer.within(context, () => next(request))
    const status = reply.status ?? 200
    const error = status >= 400 ? errorCode(reply) : undefined
    const message: Message = {
      traceId: context.traceId,
      spanId: context.spanId,
      parentId: null,
      from,
      to: tracer.self,
      method: request.method,
      path: request.path,
      start,
      durationMs: Math.max(0, tracer.now() - start),
      status,
      ...(error ? { error } : {}),
      summary: describeRequest(request, reply),
      side: 'received',
      ...(task ? { task } : {}),
    }
    tracer.log.record(message)
    return reply
  }
}

function errorCode(reply: Reply): string {
  const body = reply.body as { code?: unknown }
  return typeof body?.code === 'string' ? body.code : 'ERROR'
}

const at = (node: unknown): string => (typeof node === 'object' && node !== null && 'port' in node ? `@${String((node as { port: unknown }).port)}` : 'none')
const hops = (n: unknown): string => `${String(n)} hop${n === 1 ? '' : 's'}`

/** What a client asked a node and what it answered, in one line; node-to-node requests are named by their sender's log. */
export function describeRequest(request: Pick<IncomingRequest, 'method' | 'path' | 'query'>, reply: Reply): string {
  const body = (Buffer.isBuffer(reply.body) ? {} : reply.body) as Record<string, unknown>
  const value = typeof body.value === 'string' ? body.value : (request.query.get('value') ?? '')
  const quoted = `"${preview(value, 24)}"`
  if ((reply.status ?? 200) >= 400) {
    const what = request.path === '/lookup' || request.path === '/store' ? ` ${quoted}` : ''
    return `${request.method} ${request.path}${what}: ${errorCode(reply)}`
  }
  switch (`${request.method} ${request.path}`) {
    case 'GET /lookup':
      return `lookup ${quoted}: found on ${at(body.node)} (${hops(body.hops)})`
    case 'POST /store':
      return `store ${quoted}: on ${at(body.node)} (${hops(body.hops)})`
    case 'DELETE /store':
      return `delete ${quoted}: on ${at(body.node)} (${hops(body.hops)})`
    case 'GET /findnode':
      return `findnode ${String(body.id).slice(0, 8)}: ${at(body.node)} (${hops(body.hops)})`
    case 'POST /join':
      return `join: between ${at(body.predecessor)} and ${at(body.successor)}`
    case 'POST /leave':
      return `leave: keys to ${at(body.handedTo)}`
    default:
      return `${request.method} ${request.path}`
  }
}
