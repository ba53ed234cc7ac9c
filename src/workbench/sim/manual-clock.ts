// A clock that moves only when told to: tests and simulations advance it and the timers due meanwhile
// fire in time order, so nothing waits on the wall clock.
import type { Clock } from '../../node/protocol/scheduler.js'

interface Timer {
  at: number
  seq: number
  callback: () => void
}

export class ManualClock implements Clock {
  #now: number
  #seq = 0
  readonly #timers = new Set<Timer>()

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimer(callback: () => void, ms: number): Timer {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback }
    this.#timers.add(timer)
    return timer
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as Timer)
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.size
  }

  /** Moves time forward by `ms`, firing every timer due by then (also ones set while firing), earliest first. */
  advance(ms: number): void {
    const until = this.#now + ms
    for (;;) {
      let next: Timer | undefined
      for (const t of this.#timers) if (t.at <= until && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t
      if (!next) break
      this.#timers.delete(next)
      this.#now = next.at
      next.callback()
    }
    this.#now = until
  }
}
