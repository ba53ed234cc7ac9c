// One node's faults, set at run time: the plan in force (plan.ts), and the draws and waits made from it
// for each call and request. Its randomness and its sleep are injected, so the simulator runs it seeded
// and without waiting on the wall clock; a node process uses Math.random and real timers.
import { setTimeout as wait } from 'node:timers/promises'
import { isHealthy, planOf, type FaultPlan } from './plan.js'

export interface FaultsOptions {
  /** The plan at start (a node's DELAY_MS and JITTER_MS). */
  plan?: Partial<FaultPlan>
  /** A float in [0, 1): drawn only when there is jitter or a drop rate. */
  random?: () => number
  /** Resolves after at least `ms` (the simulator's resolves at once). */
  sleep?: (ms: number) => Promise<void>
}

/** At least `ms` of wall-clock time: timers may fire a fraction of a millisecond early, and a delay must never be shorter than asked. */
export async function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms
  for (let left = ms; left > 0; left = until - performance.now()) await wait(Math.ceil(left))
}

export class Faults {
  readonly sleep: (ms: number) => Promise<void>
  readonly #random: () => number
  #plan: FaultPlan
  #blocked: ReadonlySet<string>

  constructor(options: FaultsOptions = {}) {
    this.#random = options.random ?? Math.random
    this.sleep = options.sleep ?? sleepAtLeast
    this.#plan = planOf(options.plan)
    this.#blocked = new Set(this.#plan.blocked)
  }

  /** The plan in force (a copy). */
  get plan(): FaultPlan {
    return { ...this.#plan, blocked: [...this.#plan.blocked] }
  }

  /** Replaces the whole plan: what `plan` leaves out is off. Answers the plan now in force. */
  replace(plan: Partial<FaultPlan>): FaultPlan {
    this.#plan = planOf(plan)
    this.#blocked = new Set(this.#plan.blocked)
    return this.plan
  }

  /** Changes only the faults given, keeping the others. */
  update(change: Partial<FaultPlan>): FaultPlan {
    return this.replace({ ...this.#plan, ...change })
  }

  /** No faults at all (make heal). */
  clear(): FaultPlan {
    return this.replace({})
  }

  get healthy(): boolean {
    return isHealthy(this.#plan)
  }

  /** Whether any outgoing call is touched: when not, the transport passes calls straight on. */
  get affectsCalls(): boolean {
    const p = this.#plan
    return p.delayMs > 0 || p.jitterMs > 0 || p.dropRate > 0 || p.blocked.length > 0
  }

  get slowMs(): number {
    return this.#plan.slowMs
  }

  /** A partition cuts this node off from `address` (host:port). */
  blocks(address: string): boolean {
    return this.#blocked.has(address)
  }

  /** Whether one call is lost (a draw only when there is a drop rate). */
  drops(): boolean {
    return this.#plan.dropRate > 0 && this.#random() < this.#plan.dropRate
  }

  /** How long one call is held: delayMs ± jitterMs, uniformly, never below 0 (a draw only when there is jitter). */
  holdMs(): number {
    const { delayMs, jitterMs } = this.#plan
    if (jitterMs === 0) return delayMs
    return Math.max(0, delayMs + (this.#random() * 2 - 1) * jitterMs)
  }
}
