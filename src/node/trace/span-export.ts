// Spans out of the node: the message log hands every message it records to a SpanSink, and the OTLP
// exporter here queues it and posts the queue to a collector's /v1/traces in batches, once a second or
// as soon as a batch is full. Recording a message only pushes it on a bounded queue, never waits: a
// full queue (a collector slow or down) drops the message and counts it, and a batch the collector
// refuses or does not take in time is dropped and counted too. One export is in flight at a time.
import { errorMessage } from '../errors.js'
import { HttpClient } from '../transport/http-client.js'
import type { Message } from './messages.js'
import { otlpTraces, type SpanSource } from './otlp-json.js'

/** Where recorded messages go besides the log; `offer` must return at once. */
export interface SpanSink {
  offer(message: Message): void
}

export interface ExportStats {
  /** Spans waiting in the queue. */
  queued: number
  /** Spans a collector accepted. */
  exported: number
  /** Spans dropped because the queue was full. */
  droppedQueueFull: number
  /** Spans of batches the collector refused, or did not answer in time. */
  droppedExportFailed: number
}

export interface SpanExporterOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL (http://host:4318); spans go to {endpoint}/v1/traces. */
  endpoint: string
  source: SpanSource
  /** How often the queue is sent, at least. */
  intervalMs?: number
  /** Spans per POST at most; a full batch is sent without waiting for the interval. */
  batchSize?: number
  /** Spans queued at most; more are dropped. */
  maxQueue?: number
  /** How long one POST may take before its batch counts as failed. */
  timeoutMs?: number
  log?: (line: string) => void
}

/** OpenTelemetry's batch span processor defaults, but a shorter interval: a lab wants to see a trace at once. */
const DEFAULTS = { intervalMs: 1000, batchSize: 512, maxQueue: 2048, timeoutMs: 5000 }

/** The collector's address and the path spans are posted to, from OTEL_EXPORTER_OTLP_ENDPOINT's value. */
export function tracesUrl(endpoint: string): { host: string; port: number; path: string } {
  const url = new URL(endpoint)
  if (url.protocol !== 'http:') throw new RangeError(`the OTLP endpoint must be an http:// URL, got ${endpoint}`)
  const base = url.pathname.replace(/\/+$/, '')
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), path: `${base}/v1/traces` }
}

export class SpanExporter implements SpanSink {
  readonly #target: { host: string; port: number; path: string }
  readonly #source: SpanSource
  readonly #batchSize: number
  readonly #maxQueue: number
  readonly #log: (line: string) => void
  readonly #client: HttpClient
  readonly #timer: NodeJS.Timeout
  #queue: Message[] = []
  #inFlight: Promise<void> | undefined
  #soon = false
  #failing = false
  #stopped = false
  readonly #stats = { exported: 0, droppedQueueFull: 0, droppedExportFailed: 0 }

  constructor(options: SpanExporterOptions) {
    this.#target = tracesUrl(options.endpoint)
    this.#source = options.source
    this.#batchSize = options.batchSize ?? DEFAULTS.batchSize
    this.#maxQueue = options.maxQueue ?? DEFAULTS.maxQueue
    this.#log = options.log ?? (() => {})
    // Its own client: no cluster secret goes to a collector, and one connection is enough.
    this.#client = new HttpClient({ timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs, maxSocketsPerPeer: 1 })
    this.#timer = setInterval(() => this.#flush(), options.intervalMs ?? DEFAULTS.intervalMs)
    this.#timer.unref()
  }

  stats(): ExportStats {
    return { queued: this.#queue.length, ...this.#stats }
  }

  offer(message: Message): void {
    if (this.#stopped) return
    if (this.#queue.length >= this.#maxQueue) {
      this.#stats.droppedQueueFull++
      return
    }
    this.#queue.push(message)
    // A full batch goes on the next turn, not in the caller's.
    if (this.#queue.length >= this.#batchSize && !this.#soon && !this.#inFlight) {
      this.#soon = true
      setImmediate(() => {
        this.#soon = false
        this.#flush()
      })
    }
  }

  /** Sends what is queued, then stops: at most `graceMs` for the last batches. */
  async stop(graceMs = 1000): Promise<void> {
    if (this.#stopped) return
    clearInterval(this.#timer)
    const deadline = Date.now() + graceMs
    while (Date.now() < deadline && (this.#inFlight || this.#queue.length > 0)) {
      this.#flush()
      const left = deadline - Date.now()
      await Promise.race([this.#inFlight, new Promise((resolve) => setTimeout(resolve, Math.max(0, left)).unref())])
    }
    this.#stopped = true
    this.#stats.droppedExportFailed += this.#queue.length
    this.#queue = []
    this.#client.close()
  }

  /** Starts one export of the oldest batch, unless one is in flight. */
  #flush(): void {
    if (this.#inFlight || this.#queue.length === 0 || this.#stopped) return
    const batch = this.#queue.splice(0, this.#batchSize)
    this.#inFlight = this.#post(batch).finally(() => {
      this.#inFlight = undefined
      if (this.#queue.length >= this.#batchSize) this.#flush()
    })
  }

  async #post(batch: Message[]): Promise<void> {
    const { host, port, path } = this.#target
    try {
      await this.#client.request({ host, port }, 'POST', path, otlpTraces(this.#source, batch))
      this.#stats.exported += batch.length
      if (this.#failing) this.#log(`OTLP export to http://${host}:${port}${path} works again`)
      this.#failing = false
    } catch (error) {
      this.#stats.droppedExportFailed += batch.length
      // Said once per outage, not once per batch.
      if (!this.#failing) this.#log(`OTLP export to http://${host}:${port}${path} failed, dropping spans until it answers: ${errorMessage(error)}`)
      this.#failing = true
    }
  }
}
