// A node's fault plan as data: what is injected (delay and jitter, lost calls, a slow node, the peers a
// partition cuts off), its JSON form on GET and PUT /faults, validated field by field with the bounds
// of the settings table, and a short description for people. Pure: no I/O, no clock.
import { HOST_PATTERN, SETTINGS } from '../settings.js'
import { asArray, asInteger, asObject, asString, bad, type Json } from '../wire.js'

export interface FaultPlan {
  /** Every call from this node to another is held this long before it is sent. */
  delayMs: number
  /** ± this much around delayMs, drawn per call (never below 0). */
  jitterMs: number
  /** The chance that a node-to-node call is lost: it never reaches the peer, the caller times out. */
  dropRate: number
  /** Every request this node handles waits this long first. */
  slowMs: number
  /** host:port of the nodes this node cannot reach (a partition). */
  blocked: string[]
}

export const NO_FAULTS: Readonly<FaultPlan> = Object.freeze({ delayMs: 0, jitterMs: 0, dropRate: 0, slowMs: 0, blocked: [] as string[] })

const FIELDS = Object.keys(NO_FAULTS) as ReadonlyArray<keyof FaultPlan>
/** More addresses than any ring of this lab has nodes: a bound on what one request makes a node keep. */
const MAX_BLOCKED = 100_000
const ADDRESS = /^(.+):(\d{1,5})$/

/** A full plan from a partial one: what is not given is off. */
export function planOf(partial: Partial<FaultPlan> = {}): FaultPlan {
  return { ...NO_FAULTS, ...partial, blocked: [...new Set(partial.blocked ?? [])] }
}

/** True when nothing is injected at all. */
export function isHealthy(plan: FaultPlan): boolean {
  return plan.delayMs === 0 && plan.jitterMs === 0 && plan.dropRate === 0 && plan.slowMs === 0 && plan.blocked.length === 0
}

/**
 * A plan from JSON (a PUT /faults body, or a node's reply): an object with any of the fields, each checked
 * against the bounds of its setting (DELAY_MS, JITTER_MS, RATE, MS); fields left out are off. An unknown
 * field is refused, so a typo never passes for a healthy node. Errors are 400 BAD_REQUEST naming the field.
 */
export function parsePlan(value: unknown, field = 'body'): FaultPlan {
  const object = asObject(value, field)
  for (const key of Object.keys(object)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw bad(`${field}.${key} is not a fault; the faults are ${FIELDS.join(', ')}`)
  }
  const integer = (key: 'delayMs' | 'jitterMs' | 'slowMs', bounds: { min: number; max: number }) =>
    object[key] === undefined ? 0 : asInteger(object[key], `${field}.${key}`, bounds.min, bounds.max)
  return planOf({
    delayMs: integer('delayMs', SETTINGS.delayMs),
    jitterMs: integer('jitterMs', SETTINGS.jitterMs),
    slowMs: integer('slowMs', SETTINGS.slowMs),
    dropRate: object.dropRate === undefined ? 0 : fraction(object.dropRate, `${field}.dropRate`, SETTINGS.dropRate),
    blocked: object.blocked === undefined ? [] : addresses(object.blocked, `${field}.blocked`),
  })
}

export function planJson(plan: FaultPlan): Json {
  return { delayMs: plan.delayMs, jitterMs: plan.jitterMs, dropRate: plan.dropRate, slowMs: plan.slowMs, blocked: [...plan.blocked] }
}

/** "delay 25 ± 5 ms, 10 % of calls lost, slow 200 ms, 3 nodes cut off", or "no faults". */
export function describePlan(plan: FaultPlan): string {
  const parts = [
    plan.delayMs > 0 || plan.jitterMs > 0 ? `calls delayed ${plan.delayMs}${plan.jitterMs > 0 ? ` ± ${plan.jitterMs}` : ''} ms` : '',
    plan.dropRate > 0 ? `${percent(plan.dropRate)} of calls lost` : '',
    plan.slowMs > 0 ? `slow ${plan.slowMs} ms` : '',
    plan.blocked.length > 0 ? `${plan.blocked.length} node${plan.blocked.length === 1 ? '' : 's'} cut off` : '',
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(', ') : 'no faults'
}

/** 0.1 as "10 %", 0.005 as "0.5 %". */
export function percent(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))} %`
}

function fraction(value: unknown, field: string, bounds: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < bounds.min || value > bounds.max) throw bad(`${field} must be a number from ${bounds.min} to ${bounds.max}`)
  return value
}

function addresses(value: unknown, field: string): string[] {
  const list = asArray(value, field)
  if (list.length > MAX_BLOCKED) throw bad(`${field} has more than ${MAX_BLOCKED} addresses`)
  return list.map((item, i) => {
    const text = asString(item, `${field}[${i}]`)
    const match = ADDRESS.exec(text)
    const port = match ? Number(match[2]) : NaN
    if (!match || !HOST_PATTERN.test(match[1]!) || port < 1 || port > 65535) throw bad(`${field}[${i}] must be host:port`)
    return text
  })
}
