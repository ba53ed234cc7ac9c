// A checked run as the tracer's messages (src/node/trace/messages.ts): one record per message between
// nodes and per client operation or crash, each a span whose parent is the message, maintenance round or
// operation it was sent on behalf of. Time is counted in steps (1 ms = 1 step), so the terminal's
// sequence diagram, the SVG writer and the web view's replay draw a counterexample like any other trace.
// Ids are counters, not random: one choice sequence always gives the same record.
import type { Message, Party } from '../../node/trace/messages.js'
import type { CallScope } from '../../node/protocol/types.js'

/** One unit of work: a message, a maintenance round or a client operation. */
export interface Span {
  id: string
  parentId: string | null
  /** What it is, without step numbers: the same work on two paths has the same label. */
  label: string
  /** The labels from the root down to it: who a message or a waiting handler works for. */
  path: string
  task?: string
}

/** Where time 0 of a checked run sits on the epoch (the diagrams print offsets from the first message). */
const EPOCH_MS = Date.UTC(2026, 0, 1)

export class TraceRecord {
  readonly traceId: string
  /** Off while searching: only spans are kept (the state's hash needs their paths), not the messages. */
  readonly recording: boolean
  readonly #messages = new Map<string, Message & { sentStep: number; handledStep?: number }>()
  #next = 0

  readonly #paths = new Map<string, string>()

  constructor(options: { recording: boolean; traceId?: string }) {
    this.recording = options.recording
    this.traceId = options.traceId ?? '0'.repeat(31) + '1'
  }

  /** A new span on behalf of `parent` (a round or message in progress), or a root. */
  span(label: string, parent?: Pick<CallScope, 'spanId' | 'task'>, task = parent?.task): Span {
    const id = (++this.#next).toString(16).padStart(16, '0')
    const above = parent ? this.#paths.get(parent.spanId) : undefined
    const path = above ? `${above} > ${label}` : label
    this.#paths.set(id, path)
    return { id, parentId: parent?.spanId ?? null, label, path, ...(task ? { task } : {}) }
  }

  /** The scope the protocol carries for a span: what it sends meanwhile becomes the span's children. */
  scopeOf(span: Span): CallScope {
    return { traceId: this.traceId, spanId: span.id, ...(span.task ? { task: span.task } : {}) }
  }

  /** A message sent at `step`, not answered yet. */
  sent(span: Span, from: Party, to: Party, route: { method: string; path: string }, summary: () => string, step: number): void {
    if (!this.recording) return
    const message: Message & { sentStep: number } = {
      traceId: this.traceId,
      spanId: span.id,
      parentId: span.parentId,
      from,
      to,
      method: route.method,
      path: route.path,
      start: EPOCH_MS + step,
      durationMs: 0,
      status: null,
      summary: `${summary()}: in flight`,
      side: 'sent',
      sentStep: step,
      ...(span.task ? { task: span.task } : {}),
    }
    this.#messages.set(span.id, message)
  }

  /** The receiver handled it at `step`: the arrow is drawn then. */
  handled(spanId: string, step: number): void {
    const message = this.#messages.get(spanId)
    if (!message) return
    message.handledStep = step
    message.start = EPOCH_MS + step
  }

  /** The answer (or the failure) reached the sender at `step`. */
  answered(spanId: string, step: number, outcome: () => { status: number | null; summary: string; error?: string }): void {
    const message = this.#messages.get(spanId)
    if (!message) return
    const { status, summary, error } = outcome()
    message.durationMs = Math.max(0, EPOCH_MS + step - message.start)
    message.status = status
    // The arrow is drawn at the step it was handled; when it was sent and answered are other steps.
    message.summary = message.sentStep === step ? summary : `${summary} (sent ${message.sentStep}, answered ${step})`
    if (error) message.error = error
    else delete message.error
  }

  /** The messages drawn by `step` (all by default), in the order the diagrams draw them: by the step it was handled (or sent), then as made. */
  messages(step = Infinity): Message[] {
    return [...this.#messages.values()]
      .filter((m) => m.start <= EPOCH_MS + step)
      .sort((a, b) => a.start - b.start || (a.spanId < b.spanId ? -1 : 1))
      .map(({ sentStep: _sent, handledStep: _handled, ...message }) => message)
  }
}
