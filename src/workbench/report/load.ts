// Load generators for benchmarks: one client in a loop, or a fixed number of requests in flight for a
// while (a closed loop, bounded by time AND by count). Each records latencies, successes and errors.
import { summarize, type Summary } from './stats.js'

export interface LoadResult {
  ok: number
  errors: number
  /** Errors by code (a DhtError's code, or the error's name). */
  errorCodes: Record<string, number>
  /** Wall time from the first request to the last reply. */
  seconds: number
  /** Successful requests per second. */
  perSecond: number
  /** Latency of successful requests, in ms. */
  latencyMs: Summary
}

/** One operation; it may return a value for `check`, which turns a wrong answer into an error. */
export type Operation = (index: number) => Promise<unknown>

function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') return code
    if (error instanceof Error) return error.name
  }
  return 'UNKNOWN'
}

class Recorder {
  ok = 0
  errors = 0
  readonly errorCodes: Record<string, number> = {}
  readonly latencies: number[] = []

  async run(index: number, operation: Operation): Promise<void> {
    const started = performance.now()
    try {
      await operation(index)
      this.latencies.push(performance.now() - started)
      this.ok++
    } catch (error) {
      this.errors++
      const code = codeOf(error)
      this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1
    }
  }

  result(seconds: number): LoadResult {
    return { ok: this.ok, errors: this.errors, errorCodes: this.errorCodes, seconds, perSecond: this.ok / seconds, latencyMs: summarize(this.latencies) }
  }
}

/** `count` operations one after another: single-client latency. */
export async function sequential(count: number, operation: Operation): Promise<LoadResult> {
  const recorder = new Recorder()
  const started = performance.now()
  for (let i = 0; i < count; i++) await recorder.run(i, operation)
  return recorder.result((performance.now() - started) / 1000)
}

/**
 * `count` rounds of every operation once, one at a time, the order turning each round: single-client
 * latency of several clients side by side, so a busy moment on the machine falls on each alike.
 */
export async function interleaved(count: number, operations: readonly Operation[]): Promise<LoadResult[]> {
  const recorders = operations.map(() => new Recorder())
  const seconds = operations.map(() => 0)
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < operations.length; k++) {
      const which = (i + k) % operations.length
      const started = performance.now()
      await recorders[which]!.run(i, operations[which]!)
      seconds[which]! += (performance.now() - started) / 1000
    }
  }
  return recorders.map((recorder, k) => recorder.result(seconds[k]!))
}

export interface ClosedLoopOptions {
  /** Requests kept in flight: each worker starts its next request when its last one finished. */
  concurrency: number
  durationMs: number
  /** Stop early after this many requests were started. */
  maxRequests: number
}

/** `concurrency` requests in flight until the time or the count runs out: throughput under load. */
export async function closedLoop(options: ClosedLoopOptions, operation: Operation): Promise<LoadResult> {
  const recorder = new Recorder()
  const started = performance.now()
  const deadline = started + options.durationMs
  let next = 0
  const worker = async () => {
    while (next < options.maxRequests && performance.now() < deadline) await recorder.run(next++, operation)
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return recorder.result((performance.now() - started) / 1000)
}

/** Runs `operation` for every index with at most `concurrency` at once (for work whose timing is not the point). */
export async function pool<T>(count: number, concurrency: number, operation: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      results[index] = await operation(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}
