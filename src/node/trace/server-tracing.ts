// The server's side of tracing: a wrapper around a node's dispatch that hands the request's scope to
// the handler (the trace its traceparent header names, or a new one), so whatever the node sends on
// its behalf is a child of it. A request from outside the ring (a tool, the web view) is logged here as
// a received message with a one-line summary of its answer; a node's is in its sender's log already.
import type { IncomingRequest, Reply, Wrapper } from '../server/json-server.js'
import { preview } from '../text.js'
import type { Message } from './messages.js'
import { CHORD_FROM, newSpanId, newTraceId, parseTraceparent, TRACEPARENT, TRACESTATE, taskOfTracestate } from './trace-context.js'
import type { Tracer } from './tracer.js'

/** Reads of a node's own state that the tools poll all the time: logged only when they belong to a trace. */
const POLLED = new Set(['/nodeinfo', '/content', '/trace', '/messages', '/ping', '/metrics'])

export function tracingWrapper(tracer: Tracer): Wrapper {
  return (next) => async (request) => {
    if (!tracer.log.recording) return next(request)
    const header = parseTraceparent(request.headers[TRACEPARENT])
    if (!header && POLLED.has(request.path)) return next(request)
    const task = taskOfTracestate(request.headers[TRACESTATE])
    const context: { traceId: string; spanId: string; task?: string } = { traceId: header?.traceId ?? newTraceId(), spanId: header?.parentId ?? newSpanId() }
    if (task) context.task = task
    // Logging a node's message here too would double what tracing costs under load.
    // The request is this server's own object for this one request: the scope goes on it, no copy made.
    request.scope = context
    if (request.headers[CHORD_FROM] !== undefined) return next(request)
    const start = tracer.now()
    const reply = await next(request)
    const status = reply.status ?? 200
    const error = status >= 400 ? errorCode(reply) : undefined
    const message: Message = {
      traceId: context.traceId,
      spanId: context.spanId,
      parentId: null,
      from: null,
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
    const what = request.path === '/lookup' || request.path === '/store' || request.path === '/value' ? ` ${quoted}` : ''
    const owner = errorCode(reply) === 'MOVED' ? ` to ${at(body.owner)}` : ''
    return `${request.method} ${request.path}${what}: ${errorCode(reply)}${owner}`
  }
  switch (`${request.method} ${request.path}`) {
    case 'GET /lookup':
      return `lookup ${quoted}: found on ${at(body.node)} (${hops(body.hops)})`
    case 'POST /store':
      return `store ${quoted}: on ${at(body.node)} (${hops(body.hops)})`
    case 'DELETE /store':
      return `delete ${quoted}: on ${at(body.node)} (${hops(body.hops)})`
    case 'GET /value':
      return `lookup ${quoted} at the owner: found on ${at(body.node)}`
    case 'POST /value':
      return `store ${quoted} at the owner: on ${at(body.node)}`
    case 'DELETE /value':
      return `delete ${quoted} at the owner: on ${at(body.node)}`
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
