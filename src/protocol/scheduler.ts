// Runs the maintenance tasks on a clock: each task after its period with some jitter (so a ring's nodes
// do not fall into step), re-armed only once its previous run has finished (a slow round never piles up).
// The clock is injected, so tests and simulations drive time instead of sleeping.
import { errorMessage } from '../errors.js'

export interface Clock {
  now(): number
  setTimer(callback: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export interface Task {
  name: string
  periodMs: number
  run: () => Promise<void>
}

/** Wraps every run of a task: the seam where tracing starts a trace per maintenance round. */
export type TaskWrapper = (task: string, run: () => Promise<void>) => Promise<void>

export interface SchedulerOptions {
  clock?: Clock
  /** Each wait is the period times a factor drawn from [1 - jitter, 1 + jitter]. */
  jitter?: number
  random?: () => number
  wrap?: TaskWrapper
  onError?: (task: string, message: string) => void
}

export class Scheduler {
  readonly #clock: Clock
  readonly #jitter: number
  readonly #random: () => number
  readonly #wrap: TaskWrapper
  readonly #onError: (task: string, message: string) => void
  readonly #timers = new Map<string, unknown>()
  readonly #running = new Map<string, Promise<void>>()
  #started = false

  constructor(readonly tasks: readonly Task[], options: SchedulerOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#jitter = options.jitter ?? 0.1
    this.#random = options.random ?? Math.random
    this.#wrap = options.wrap ?? ((_task, run) => run())
    this.#onError = options.onError ?? (() => {})
  }

  start(): void {
    if (this.#started) return
    this.#started = true
    for (const task of this.tasks) this.#arm(task)
  }

  stop(): void {
    this.#started = false
    for (const handle of this.#timers.values()) this.#clock.clearTimer(handle)
    this.#timers.clear()
  }

  /** Resolves once no task is running (tests: advance the clock, then wait for the rounds it started). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values())
  }

  /** The wait before a task's next run. */
  delayOf(task: Task): number {
    const factor = 1 - this.#jitter + 2 * this.#jitter * this.#random()
    return Math.max(1, Math.round(task.periodMs * factor))
  }

  #arm(task: Task): void {
    if (!this.#started) return
    const handle = this.#clock.setTimer(() => {
      this.#timers.delete(task.name)
      const run = this.#wrap(task.name, task.run)
        .catch((error: unknown) => this.#onError(task.name, errorMessage(error)))
        .finally(() => {
          this.#running.delete(task.name)
          this.#arm(task)
        })
      this.#running.set(task.name, run)
    }, this.delayOf(task))
    this.#timers.set(task.name, handle)
  }
}
