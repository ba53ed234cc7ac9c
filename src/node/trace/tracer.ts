// Which trace a node's work belongs to, and the messages it sends as spans of it. The trace is handed
// on explicitly, as the protocol's CallScope: the server's dispatch makes one for each request it
// handles, a maintenance round starts a trace of its own, and every message sent within one becomes a
// child span, recorded in the node's message log, whose scope (with the headers that tell its receiver
// where it belongs) the transport below carries on. No AsyncLocalStorage: in Node 20 it hooks every
// promise, which cost a node a sixth of its lookups per second.
import { DhtError, ErrorCodes, isPeerFailure } from '../errors.js'
import type { CallScope } from '../protocol/types.js'
import type { PeerJson } from '../wire.js'
import type { MessageLog } from './message-log.js'
import type { Message, Party } from './messages.js'
import { CHORD_FROM, formatTraceparent, newSpanId, newTraceId, TRACEPARENT, TRACESTATE, tracestateOf } from './trace-context.js'

/** Wall-clock epoch milliseconds with sub-millisecond resolution, for message timestamps. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now()
}

export class Tracer {
  readonly log: MessageLog
  readonly self: PeerJson
  readonly #now: () => number
  /** This node as the chord-from header names it. */
  readonly #from: string

  constructor(self: PeerJson, log: MessageLog, now: () => number = preciseNow) {
    this.self = self
    this.log = log
    this.#now = now
    this.#from = `${self.host}:${self.port}`
  }

  now(): number {
    return this.#now()
  }

  /** A maintenance round: a trace of its own, marked with the task's name so it can be shown or hidden. */
  round(task: string): CallScope {
    return { traceId: newTraceId(), spanId: newSpanId(), task }
  }

  /**
   * Sends one message: a new span, a child of `parent` (or the root of a new trace), made by `call` in
   * the message's own scope, and logged with its outcome and a one-line summary once the answer (or the
   * failure) is in.
   */
  async send<T>(parent: CallScope | undefined, to: Party, method: string, path: string, call: (message: CallScope) => Promise<T>, summarize: (result: T) => string, request: string): Promise<T> {
    const traceId = parent?.traceId ?? newTraceId()
    const spanId = newSpanId()
    const task = parent?.task
    const headers: Record<string, string> = { [TRACEPARENT]: formatTraceparent(traceId, spanId), [CHORD_FROM]: this.#from }
    // Optional fields are set after the literal, not spread into it: this runs for every message sent.
    if (task) headers[TRACESTATE] = tracestateOf(task)
    const message: { -readonly [K in keyof CallScope]: CallScope[K] } = { traceId, spanId, headers }
    if (task) message.task = task
    const start = this.#now()
    const entry = (status: number | null, summary: string, error?: string): Message => {
      const logged: Message = { traceId, spanId, parentId: parent?.spanId ?? null, from: this.self, to, method, path, start, durationMs: Math.max(0, this.#now() - start), status, summary, side: 'sent' }
      if (error) logged.error = error
      if (task) logged.task = task
      return logged
    }
    try {
      const result = await call(message)
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
