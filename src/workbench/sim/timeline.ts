// Simulated time: the event queue, the clock every simulated node reads (versions, tombstones and the
// maintenance scheduler's timers all run on it), and the loop that runs events in time order.
//
// The protocol is async code: an event (a message arriving, a reply, a timer) resolves a promise and
// the protocol's continuations run as microtasks. Before the next event, every one of them must have
// run, so each sees the time of the event that woke it. A callback queued with process.nextTick runs
// only once the microtask queue is empty (Node runs ticks between microtask drains), so waiting for
// one after each event is an exact and cheap barrier (about a microsecond; setImmediate costs several).
import type { Clock } from '../../node/protocol/scheduler.js'
import { EventQueue, type SimEvent } from './event-queue.js'

/** Resolves once every microtask queued so far, and every one those queue, has run. */
export function microtasksDone(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve))
}

export class Timeline implements Clock {
  readonly #queue = new EventQueue()
  /** Exact simulated time, in milliseconds since the epoch the timeline started at. */
  #time: number
  /** Events run so far. */
  events = 0

  constructor(startMs = 0) {
    this.#time = startMs
  }

  /** Exact simulated milliseconds (fractions included). */
  get time(): number {
    return this.#time
  }

  /** Events waiting (cancelled timers included until they come up). */
  get pending(): number {
    return this.#queue.size
  }

  /** The nodes' clock: whole milliseconds, as Date.now() gives a real process. */
  now(): number {
    return Math.floor(this.#time)
  }

  /** Runs `run` at `delayMs` from now. */
  after(delayMs: number, run: () => void): SimEvent {
    return this.#queue.push(this.#time + Math.max(0, delayMs), run)
  }

  /** Runs `run` at simulated time `atMs` (now, if that has passed). */
  at(atMs: number, run: () => void): SimEvent {
    return this.#queue.push(Math.max(this.#time, atMs), run)
  }

  setTimer(callback: () => void, ms: number): SimEvent {
    return this.after(ms, callback)
  }

  clearTimer(handle: unknown): void {
    ;(handle as SimEvent).cancelled = true
  }

  /** Runs every event due by `untilMs` in time order, then stands at `untilMs`. */
  async runUntil(untilMs: number): Promise<void> {
    for (;;) {
      const next = this.#queue.peek()
      if (!next || next.at > untilMs) break
      await this.#step()
    }
    if (untilMs > this.#time) this.#time = untilMs
  }

  /** Runs events until `work` settles, and answers its outcome; an empty queue before then is a deadlock. */
  async settle<T>(work: Promise<T>): Promise<T> {
    let settled = false
    const watched = work.finally(() => {
      settled = true
    })
    watched.catch(() => {})
    await microtasksDone()
    while (!settled) {
      if (!this.#queue.peek()) throw new Error('the simulation ran out of events before the operation finished')
      await this.#step()
    }
    return work
  }

  /** Runs events until none is left (a ring whose timers are stopped comes to rest). */
  async runOut(): Promise<void> {
    while (this.#queue.peek()) await this.#step()
  }

  async #step(): Promise<void> {
    const event = this.#queue.pop()!
    this.#time = event.at
    this.events++
    event.run()
    await microtasksDone()
  }
}
