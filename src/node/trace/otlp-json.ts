// The message log's messages as OpenTelemetry spans, in OTLP's JSON encoding (the body of a POST to a
// collector's /v1/traces): resourceSpans → scopeSpans → spans. One message is one span: its sender
// logged it (a client span) or, for a request from outside the ring, its receiver did (a server span);
// the parent is the message it was sent on behalf of, so a trace's spans from every node fit together
// as they do in make trace. Pure: no I/O.
import type { Json } from '../wire.js'
import type { Message, Party } from './messages.js'

/** OTLP's SpanKind and StatusCode values, as the JSON encoding writes them (integers). */
const SPAN_KIND_SERVER = 2
const SPAN_KIND_CLIENT = 3
const STATUS_UNSET = 0
const STATUS_ERROR = 2

/** Who sends the spans: the resource every span of one export belongs to. */
export interface SpanSource {
  /** The node's id, in hex. */
  id: string
  host: string
  port: number
  /** The program's version (package.json). */
  version: string
}

type Attribute = { key: string; value: { stringValue: string } | { intValue: string } }

const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } })
const integer = (key: string, value: number): Attribute => ({ key, value: { intValue: String(Math.trunc(value)) } })

/** Epoch milliseconds (fractional) as OTLP's fixed64 nanoseconds, a decimal string (a JSON number would lose digits). */
export function unixNanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString()
}

function address(party: Party): string {
  return party ? `${party.host}:${party.port}` : 'client'
}

/** One message as an OTLP span. */
export function otlpSpan(message: Message): Json {
  const attributes: Attribute[] = [text('http.request.method', message.method), text('url.path', message.path), text('chord.summary', message.summary), text('chord.from', address(message.from)), text('chord.to', address(message.to))]
  if (message.to) attributes.push(text('server.address', message.to.host), integer('server.port', message.to.port), text('chord.to.id', message.to.id))
  if (message.from) attributes.push(text('chord.from.id', message.from.id))
  if (message.status !== null) attributes.push(integer('http.response.status_code', message.status))
  if (message.error) attributes.push(text('error.type', message.error))
  if (message.task) attributes.push(text('chord.task', message.task))
  const failed = message.error !== undefined || message.status === null
  return {
    traceId: message.traceId,
    spanId: message.spanId,
    ...(message.parentId ? { parentSpanId: message.parentId } : {}),
    name: `${message.method} ${message.path}`,
    kind: message.side === 'sent' ? SPAN_KIND_CLIENT : SPAN_KIND_SERVER,
    startTimeUnixNano: unixNanos(message.start),
    endTimeUnixNano: unixNanos(message.start + message.durationMs),
    attributes: attributes as unknown as Json,
    status: failed ? { code: STATUS_ERROR, message: message.error ?? 'no answer' } : { code: STATUS_UNSET },
  }
}

/** An ExportTraceServiceRequest: the spans of one node, under one resource and one scope. */
export function otlpTraces(source: SpanSource, messages: readonly Message[]): Json {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            text('service.name', 'chord-lab'),
            text('service.instance.id', `${source.host}:${source.port}`),
            text('service.version', source.version),
            text('chord.node.id', source.id),
          ] as unknown as Json,
        },
        scopeSpans: [{ scope: { name: 'chord-lab', version: source.version }, spans: messages.map(otlpSpan) }],
      },
    ],
  }
}
