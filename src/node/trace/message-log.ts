// A node's message log: the last `capacity` messages it sent and received, oldest overwritten first.
// Capacity 0 turns it off; pausing it stops tracing for a while (to read a quiet log, or to measure
// what tracing costs on the same ring). Reads copy out what they ask for; it never grows past its bound.
// A sink (the OTLP exporter) is handed each message recorded, and must take it without waiting.
import type { Message } from './messages.js'
import type { SpanSink } from './span-export.js'

/** Newest messages one /messages answer carries at most. */
export const MESSAGES_PER_ANSWER = 1000

export class MessageLog {
  readonly capacity: number
  readonly #slots: Array<Message | undefined>
  #next = 0
  #count = 0

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`a message log holds a whole number of messages, not ${capacity}`)
    this.capacity = capacity
    this.#slots = new Array<Message | undefined>(capacity)
  }

  /** Paused (PUT /messages): nothing is traced or logged, and what is held stays to be read. */
  paused = false

  /** Where each recorded message also goes (spans out over OTLP), if anywhere. */
  sink: SpanSink | undefined

  get enabled(): boolean {
    return this.capacity > 0
  }

  /** Whether messages are traced and logged now: a log that exists and is not paused. */
  get recording(): boolean {
    return this.capacity > 0 && !this.paused
  }

  /** Messages held now, at most the capacity. */
  get size(): number {
    return this.#count
  }

  record(message: Message): void {
    if (!this.recording) return
    this.#slots[this.#next] = message
    this.#next = (this.#next + 1) % this.capacity
    if (this.#count < this.capacity) this.#count++
    this.sink?.offer(message)
  }

  /** This node's messages of one trace, sent and received, oldest first. */
  trace(traceId: string): Message[] {
    return this.#oldestFirst().filter((m) => m.traceId === traceId)
  }

  /** Messages that started after `since` (epoch ms), the newest `limit` of them, oldest first. */
  since(since: number, limit = MESSAGES_PER_ANSWER): Message[] {
    const after = this.#oldestFirst().filter((m) => m.start > since)
    return after.slice(Math.max(0, after.length - limit)).sort((a, b) => a.start - b.start)
  }

  #oldestFirst(): Message[] {
    const out: Message[] = []
    const first = this.#count < this.capacity ? 0 : this.#next
    for (let i = 0; i < this.#count; i++) out.push(this.#slots[(first + i) % this.capacity]!)
    return out
  }
}
