// TRACE=1 on the tools' operations and make trace: a new trace for the operation (its traceparent
// header), and its sequence diagram printed once the ring has logged it, collected from every node.
import { isToolError, ToolError } from '../../node/errors.js'
import type { Message } from '../../node/trace/messages.js'
import { formatTraceparent, newSpanId, newTraceId } from '../../node/trace/trace-context.js'
import { preciseNow } from '../../node/trace/tracer.js'
import type { OpenRing } from '../../tools/open-ring.js'
import { errorMessage, pc, warn } from '../../tools/output.js'
import { sequenceDiagram } from './sequence-diagram.js'
import type { MakeArguments } from '../../tools/args.js'
import type { NetworkState } from '../../tools/network-state.js'
import type { CallOptions, Exchange, RingClient } from '../../tools/ring-client.js'
import { collectTrace, type CollectedTrace } from '../../tools/trace-collect.js'

/** The columns a diagram takes when the output is no terminal (a log, a test). */
const DEFAULT_WIDTH = 120

/** The terminal's columns, or a default when the output is not one. */
export function terminalWidth(): number {
  return process.stdout.columns ?? DEFAULT_WIDTH
}

/** A new trace: its id, and the header of the tool's own request, the trace's root message. */
export interface NewTrace {
  traceId: string
  spanId: string
  traceparent: string
}

export function newTrace(): NewTrace {
  const traceId = newTraceId()
  const spanId = newSpanId()
  return { traceId, spanId, traceparent: formatTraceparent(traceId, spanId) }
}

/** What a tool's TRACE=1 asks for: the diagram, and with ALL=1 the maintenance rounds' messages in it too. */
export interface TraceRequest {
  enabled: boolean
  maintenance: boolean
}

/** TRACE= and ALL= of a tool's Make arguments. */
export function traceRequest(args: MakeArguments): TraceRequest {
  return { enabled: args.switch('trace'), maintenance: args.switch('all') }
}

/**
 * Prints a collected trace: its diagram (maintenance only when asked, or when the trace is nothing
 * else), the nodes that did not answer, and (`again`) how to print it again.
 */
export function printTrace(collected: CollectedTrace, traceId: string, options: { again?: boolean; width?: number; maintenance?: boolean } = {}): void {
  console.log('')
  for (const line of sequenceDiagram(collected.messages, { width: options.width ?? terminalWidth(), maintenance: options.maintenance ?? false })) console.log(line)
  for (const node of collected.unanswered) console.log(pc.dim(`  (no answer from ${node})`))
  if (options.again) console.log(pc.dim(`  again: make trace ID=${traceId}  (SVG=file: also as a drawing)`))
}

/** The lab node keeps no message log (it has no GET /trace, GET /messages): what needs one says so in one line. */
const NO_MESSAGE_LOG = 'the lab node keeps no message log (it has no GET /trace or GET /messages); IMPL=full nodes record every message'

/** make trace and make messages: a lab ring is refused, in one line. */
export function requireMessageLog(state: NetworkState): void {
  if (state.settings.impl === 'lab') throw new ToolError('UNSUPPORTED', NO_MESSAGE_LOG)
}

/** make trace: the trace's messages from the ring, or NO_SUCH_TRACE when no node has any. */
export async function requireTrace(ring: OpenRing, traceId: string): Promise<CollectedTrace> {
  requireMessageLog(ring.state)
  const collected = await collectTrace(ring.client, ring.state, traceId)
  if (collected.messages.length === 0) {
    throw new ToolError('NO_SUCH_TRACE', `no node of the ring has a message of trace ${traceId} (each keeps only its newest messages; a node that left took its log)`)
  }
  return collected
}

/** Where a trace is read from once the operation is done: a client, and the ring's state as it is then. */
export type TraceSource = () => { client: RingClient; state: NetworkState }

/** An open ring as a trace source: its state read again (the operation may have added or removed a node). */
export function ringSource(ring: OpenRing): TraceSource {
  return () => ({ client: ring.client, state: ring.file.read() ?? ring.state })
}

/** The tool's own request, the trace's root message: its span, and when the tool sent it. */
export interface RootRequest {
  traceId: string
  spanId: string
  start: number
}

/**
 * The tool's own request as a message, for a trace whose entry node logged none that can be read (a
 * leaving node logs its LEAVE once it has answered, and then it is gone).
 */
export function clientMessage(root: RootRequest, fields: Pick<Message, 'to' | 'method' | 'path' | 'status' | 'summary' | 'durationMs'>): Message {
  return { ...root, parentId: null, from: null, side: 'sent', ...fields }
}

/**
 * Runs one operation of a tool, traced when the request is enabled: the operation's request carries the trace's
 * header, it prints its usual line, and the diagram follows (also when it failed: the error line comes
 * last). `spansOf` gives messages of the trace the tool has itself (a leaving node's, from its answer).
 */
export async function traced<T>(
  source: TraceSource,
  request: TraceRequest,
  operation: (call: CallOptions) => Promise<T>,
  spansOf?: (result: T, root: RootRequest) => readonly Message[],
): Promise<T> {
  if (!request.enabled) return operation({})
  const trace = newTrace()
  const start = preciseNow()
  const exchanges: Array<Exchange & { start: number }> = []
  const onExchange = (exchange: Exchange) => exchanges.push({ ...exchange, start: preciseNow() - exchange.durationMs })
  let known: readonly Message[] = []
  try {
    const result = await operation({ traceparent: trace.traceparent, onExchange })
    known = spansOf?.(result, { traceId: trace.traceId, spanId: trace.spanId, start }) ?? []
    return result
  } finally {
    // The operation's own error, if any, is the one the tool reports: a trace that cannot be read is a warning.
    // A lab ring keeps no message log: its diagram is the tool's own requests, one hop each.
    const { client, state } = source()
    const logged = state.settings.impl !== 'lab'
    const read = async () => {
      const collected = logged ? await collectTrace(client, state, trace.traceId, known) : { messages: [...known], unanswered: [] }
      return withOwnRequests(collected, exchanges, { traceId: trace.traceId, spanId: trace.spanId, start }, state)
    }
    await read().then(
      (collected) => printTrace(collected, trace.traceId, { again: logged, maintenance: request.maintenance }),
      (error: unknown) => warn(isToolError(error, 'UNSUPPORTED') ? `TRACE=1: no diagram: ${errorMessage(error)}` : `could not read trace ${trace.traceId}: ${errorMessage(error)}`),
    )
  }
}

/**
 * The tool's own requests, for nodes that logged nothing of them (a node that keeps no message log, as
 * the lab node and nodes in other languages, or does not pass traceparent on): each shows as one hop.
 */
function withOwnRequests(collected: CollectedTrace, exchanges: ReadonlyArray<Exchange & { start: number }>, root: RootRequest, ring: NetworkState): CollectedTrace {
  const fromTool = collected.messages.filter((m) => m.from === null)
  const missing = exchanges.filter((e) => !fromTool.some((m) => m.to?.port === e.to.port && m.path === e.path))
  if (missing.length === 0) return collected
  const idOf = (port: number) => ring.processes.find((p) => p.port === port)?.id ?? '0'.repeat(40)
  const own = missing.map((e) =>
    clientMessage(
      { ...root, spanId: missing.length === 1 ? root.spanId : newSpanId(), start: e.start },
      { to: { id: idOf(e.to.port), host: e.to.host, port: e.to.port }, method: e.method, path: e.path, status: e.status, durationMs: e.durationMs, summary: `${e.method} ${e.path}${e.error ? `: ${e.error}` : ''} (the node logged nothing: one hop)` },
    ),
  )
  return { ...collected, messages: [...own, ...collected.messages].sort((a, b) => a.start - b.start) }
}
