// Which trace a node's work belongs to, carried implicitly through its async calls (AsyncLocalStorage),
// so the protocol never passes it: the server's dispatch enters the trace of each request it handles,
// a maintenance round starts a trace of its own, and every message sent meanwhile becomes a child span,
// recorded in the node's message log with the headers that tell its receiver where it belongs.
import { AsyncLocalStorage } from 'node:async_hooks'
import { DhtError, ErrorCodes, isPeerFailure } from '../errors.js'
import type { PeerJson } from '../wire.js'
import type { MessageLog } from './message-log.js'
import type { Message, Party } from './messages.js'
import { CHORD_FROM, formatTraceparent, newSpanId, newTraceId, TRACEPARENT, TRACESTATE, tracestateOf, type TraceContext } from './trace-context.js'

interface Scope extends TraceContext {
  /** Set while a message is being sent: the headers that carry its span to the receiver. */
  outgoing?: Record<string, string>
}

/**
 * One store for the process: a node process has one tracer, but a simulation has one per node, and a
 * message handed from one to another in memory must carry its scope across.
 */
const scopes = new AsyncLocalStorage<Scope>()

/** The headers of the message being sent right now, by whichever tracer of this process sends it. */
export function outgoingHeaders(): Record<string, string> | undefined {
  return scopes.getStore()?.outgoing
}

/** Wall-clock epoch milliseconds with sub-millisecond resolution, for message timestamps. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now()
}

export class Tracer {
  readonly log: MessageLog
  readonly self: PeerJson
  readonly #now: () => number

  constructor(self: PeerJson, log: MessageLog, now: () => number = preciseNow) {
    this.self = self
    this.log = log
    this.#now = now
  }

  now(): number {
    return this.#now()
  }

  /** The trace the running work belongs to, if any. */
  current(): TraceContext | undefined {
    return scopes.getStore()
  }

  /** Runs `work` inside `context`: what it sends are children of context.spanId. */
  within<T>(context: TraceContext, work: () => T): T {
    return scopes.run({ traceId: context.traceId, spanId: context.spanId, ...(context.task ? { task: context.task } : {}) }, work)
  }

  /** A maintenance round: a trace of its own, marked with the task's name so it can be shown or hidden. */
  task<T>(name: string, work: () => T): T {
    return this.within({ traceId: newTraceId(), spanId: newSpanId(), task: name }, work)
  }

  /** The headers of the message being sent right now (read by the HTTP client), if any. */
  outgoingHeaders(): Record<string, string> | undefined {
    return outgoingHeaders()
  }

  /**
   * Sends one message: a new span, a child of the current one (or the root of a new trace), logged with
   * its outcome and a one-line summary once the answer (or the failure) is in.
   */
  async send<T>(to: Party, method: string, path: string, call: () => Promise<T>, summarize: (result: T) => string, request: string): Promise<T> {
    const parent = this.current()
    const traceId = parent?.traceId ?? newTraceId()
    const spanId = newSpanId()
    const outgoing: Record<string, string> = { [TRACEPARENT]: formatTraceparent(traceId, spanId), [CHORD_FROM]: `${this.self.host}:${this.self.port}` }
    if (parent?.task) outgoing[TRACESTATE] = tracestateOf(parent.task)
    const start = this.#now()
    const entry = (status: number | null, summary: string, error?: string): Message => ({
      traceId,
      spanId,
      parentId: parent?.spanId ?? null,
      from: this.self,
      to,
      method,
      path,
      start,
      durationMs: Math.max(0, this.#now() - start),
      status,
      ...(error ? { error } : {}),
      summary,
      side: 'sent',
      ...(parent?.task ? { task: parent.task } : {}),
    })
    try {
      const result = await scopes.run({ ...(parent ?? { traceId, spanId }), outgoing }, call)
      this.log.record(entry(200, summarize(result)))
      return result
    } catch (error) {
      const code = error instanceof DhtError ? error.code : 'ERROR'
      // A peer that did not answer sent no status; one that refused answered with its code's.
      const status = isPeerFailure(error) || !(error instanceof DhtError) ? null : ErrorCodes[error.code]
      this.log.record(entry(status, `${request}: ${code}`, code))
      throw error
    }
  }
}
