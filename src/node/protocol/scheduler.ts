// Runs the maintenance tasks on a clock: each task after its period with some jitter (so a ring's nodes
// do not fall into step), re-armed only once its previous run has finished (a slow round never piles up).
// A task whose round found nothing to do waits twice as long next time, up to its longest period, so an
// idle ring costs little; any change (snapBack) brings every task back to its period at once, so repair
// is as fast as ever. The clock is injected, so tests and simulations drive time instead of sleeping.
import { errorMessage } from '../errors.js'
import type { CallScope } from './types.js'

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

/** What a round found: 'quiet' when there was nothing to do (the task may then wait longer). */
export type RoundOutcome = 'changed' | 'quiet' | void

export interface Task {
  name: string
  periodMs: number
  /** The longest a quiet task waits; without it the period never grows. */
  maxPeriodMs?: number
  /** `scope`: on whose behalf the round's calls are made (tracing gives each round a trace of its own). */
  run: (scope?: CallScope) => Promise<RoundOutcome>
}

/** Wraps every run of a task: the seam where tracing starts a trace per maintenance round (the scope it runs in). */
export type TaskWrapper = (task: string, run: (scope?: CallScope) => Promise<RoundOutcome>) => Promise<RoundOutcome>

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
  readonly #timers = new Map<string, { handle: unknown; due: number }>()
  readonly #running = new Map<string, Promise<void>>()
  /** Each task's wait now: its period, or longer after quiet rounds. */
  readonly #periods = new Map<string, number>()
  #started = false

  constructor(readonly tasks: readonly Task[], options: SchedulerOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#jitter = options.jitter ?? 0.1
    this.#random = options.random ?? Math.random
    this.#wrap = options.wrap ?? ((_task, run) => run())
    this.#onError = options.onError ?? (() => {})
    for (const task of tasks) this.#periods.set(task.name, task.periodMs)
  }

  start(): void {
    if (this.#started) return
    this.#started = true
    for (const task of this.tasks) this.#arm(task)
  }

  stop(): void {
    this.#started = false
    for (const { handle } of this.#timers.values()) this.#clock.clearTimer(handle)
    this.#timers.clear()
  }

  /** Resolves once no task is running (tests: advance the clock, then wait for the rounds it started). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values())
  }

  /** A task's current wait before jitter: its period, or longer after quiet rounds. */
  periodOf(name: string): number {
    return this.#periods.get(name) ?? 0
  }

  /** The wait before a task's next run. */
  delayOf(task: Task): number {
    const factor = 1 - this.#jitter + 2 * this.#jitter * this.#random()
    return Math.max(1, Math.round((this.#periods.get(task.name) ?? task.periodMs) * factor))
  }

  /**
   * Something changed (a failure, a join, a new predecessor): every task back to its own period, and a
   * task waiting longer than that runs after one period from now instead.
   */
  snapBack(): void {
    for (const task of this.tasks) {
      if (this.periodOf(task.name) === task.periodMs) continue
      this.#periods.set(task.name, task.periodMs)
      const timer = this.#timers.get(task.name)
      if (!timer || timer.due - this.#clock.now() <= task.periodMs) continue
      this.#clock.clearTimer(timer.handle)
      this.#timers.delete(task.name)
      this.#arm(task)
    }
  }

  #arm(task: Task): void {
    if (!this.#started) return
    const wait = this.delayOf(task)
    const handle = this.#clock.setTimer(() => {
      this.#timers.delete(task.name)
      const run = this.#wrap(task.name, task.run)
        .then((outcome) => this.#settle(task, outcome))
        .catch((error: unknown) => {
          this.#periods.set(task.name, task.periodMs)
          this.#onError(task.name, errorMessage(error))
        })
        .finally(() => {
          this.#running.delete(task.name)
          this.#arm(task)
        })
      this.#running.set(task.name, run)
    }, wait)
    this.#timers.set(task.name, { handle, due: this.#clock.now() + wait })
  }

  /** A quiet round doubles the wait, up to the task's longest; any other outcome brings it back. */
  #settle(task: Task, outcome: RoundOutcome): void {
    const quiet = outcome === 'quiet' && task.maxPeriodMs !== undefined
    this.#periods.set(task.name, quiet ? Math.min(2 * this.periodOf(task.name), task.maxPeriodMs!) : task.periodMs)
  }
}
