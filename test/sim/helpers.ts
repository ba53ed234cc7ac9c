// Shared pieces of the simulation tests: build a ring, store values, check it, drive maintenance.
// Everything random comes from the ring's SeededRandom, so a failing seed replays exactly.
import { isDhtError } from '../../src/node/errors.js'
import type { NodeConfig } from '../../src/node/config.js'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import type { Id, IdSpace } from '../../src/node/ring.js'
import { checkRing, formatViolations, viewOf, type Violation, type ViolationKind } from '../../src/tools/ring-invariants.js'
import type { SeededRandom } from '../../src/workbench/sim/random.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'

export interface RingOptions {
  seed: number
  nodes: number
  bits?: number
  config?: Partial<NodeConfig>
  /** Messages delivered out of order, up to this many microtask turns late (see SimRing). */
  reorder?: number
  /** Every node keeps a message log this long (see SimRing). */
  trace?: number
}

/** A ring built by sequential joins through random live nodes, with no maintenance run. */
export async function buildRing(options: RingOptions): Promise<SimRing> {
  const sim = new SimRing({ seed: options.seed, bits: options.bits ?? 160, config: options.config ?? {}, reorder: options.reorder ?? 0, trace: options.trace ?? 0 })
  sim.bootstrap()
  for (let i = 1; i < options.nodes; i++) await sim.join()
  return sim
}

/** A uniformly random id of the space. */
export function randomKey(random: SeededRandom, space: IdSpace): Id {
  let key = 0n
  for (let i = 0; i < Math.ceil(space.bits / 32); i++) key = (key << 32n) | BigInt(random.int(2 ** 32))
  return key % space.size
}

/** Stores `count` distinct values, each through a random live node; returns them. */
export async function storeValues(sim: SimRing, count: number, tag: string): Promise<string[]> {
  const values: string[] = []
  for (let i = 0; i < count; i++) {
    const value = `value-${tag}-${i}`
    await sim.random.pick(sim.nodes).storeValue(value)
    values.push(value)
  }
  return values
}

export function keysOf(sim: SimRing, values: string[]): Id[] {
  return values.map((v) => sim.space.hash(v))
}

export function check(sim: SimRing, storedKeys?: Id[]): Violation[] {
  return checkRing(sim.nodes.map(viewOf), sim.space, storedKeys ? { replicas: sim.config.replicas, storedKeys } : { replicas: sim.config.replicas })
}

export function only(violations: Violation[], kinds: ViolationKind[]): Violation[] {
  return violations.filter((v) => kinds.includes(v.kind))
}

export const POINTER_KINDS: ViolationKind[] = ['ring', 'order', 'predecessor']

export function show(violations: Violation[]): string {
  return violations.length === 0 ? '(none)' : '\n' + formatViolations(violations)
}

/**
 * Maintenance rounds until checkRing is clean, at most maxRounds. Returns how many rounds it took
 * (0 when already clean) and what is still wrong if it never got clean.
 */
export async function settle(
  sim: SimRing,
  options: { storedKeys?: Id[]; maxRounds: number; fingers?: boolean },
): Promise<{ rounds: number; violations: Violation[] }> {
  let violations = check(sim, options.storedKeys)
  let rounds = 0
  while (violations.length > 0 && rounds < options.maxRounds) {
    await sim.maintain({ fingers: options.fingers ?? false })
    rounds++
    violations = check(sim, options.storedKeys)
  }
  return { rounds, violations }
}

/** Values not on their owner (the value itself, not only its key: keys collide in small spaces). */
export function valuesNotOnOwner(sim: SimRing, values: string[]): string[] {
  return values.filter((v) => {
    const key = sim.space.hash(v)
    return !sim.ownerOf(key).store.get(key).includes(v)
  })
}

/** Values held by no live node at all: data loss. */
export function lostValues(sim: SimRing, values: string[]): string[] {
  return values.filter((v) => {
    const key = sim.space.hash(v)
    return !sim.nodes.some((n) => n.store.get(key).includes(v))
  })
}

export type LookupAnswer = { found: true; key: Id; value: string } | { found: false; code: string }

/** LOOKUP from a random live node, reduced to what a client sees: found (and what) or the error code. */
export async function lookup(sim: SimRing, value: string, from?: ChordNode): Promise<LookupAnswer> {
  const node = from ?? sim.random.pick(sim.nodes)
  try {
    const result = await node.lookupValue(value)
    return { found: true, key: result.key, value: result.value }
  } catch (error) {
    if (isDhtError(error)) return { found: false, code: error.code }
    throw error
  }
}

/** Looks every value up from random nodes; returns the ones that were not found, with the reason. */
export async function failedLookups(sim: SimRing, values: string[]): Promise<string[]> {
  const failures: string[] = []
  for (const value of values) {
    const answer = await lookup(sim, value)
    if (!answer.found) failures.push(`${value} (${answer.code})`)
    else if (answer.value !== value || answer.key !== sim.space.hash(value)) failures.push(`${value} (wrong answer ${answer.value})`)
  }
  return failures
}

export function sample<T>(items: T[], n = 5): string {
  return items.length === 0 ? '[]' : `${items.length}: ${items.slice(0, n).join(', ')}${items.length > n ? ', ...' : ''}`
}

/** The seeds a test runs: SIM_SEEDS=1,2,3 replays given seeds, otherwise the defaults. */
export function seeds(defaults: number[]): number[] {
  const env = process.env.SIM_SEEDS
  if (!env) return defaults
  return env.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n))
}

/**
 * Departures (leaves and crashes) by maintenance round, to keep the replication promise: within one repair
 * period fewer than r adjacent nodes go, counting leaves with crashes (a leaver's copies are only re-made
 * by the next replica syncs).
 */
export class Departures {
  readonly #recent: Array<{ id: bigint; round: number }> = []
  round = 0

  constructor(
    readonly replicas: number,
    readonly repairRounds: number,
  ) {}

  /** Whether `victims` may go now without r adjacent nodes (live ring plus recent departures) gone in one repair period. */
  allows(sim: SimRing, victims: ChordNode[]): boolean {
    const recent = this.#recent.filter((d) => this.round - d.round < this.repairRounds)
    const gone = new Set<bigint>([...recent.map((d) => d.id), ...victims.map((v) => v.self.id)])
    const ids = [...new Set<bigint>([...sim.nodes.map((n) => n.self.id), ...recent.map((d) => d.id)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    let run = 0
    for (let i = 0; i < 2 * ids.length; i++) {
      run = gone.has(ids[i % ids.length]!) ? run + 1 : 0
      if (run >= this.replicas) return false
    }
    return true
  }

  add(nodes: ChordNode[]): void {
    for (const node of nodes) this.#recent.push({ id: node.self.id, round: this.round })
  }
}

/** `count` adjacent nodes starting at a random one (never the whole ring). */
export function adjacent(sim: SimRing, count: number): ChordNode[] {
  const ring = sim.sorted()
  const first = sim.random.int(ring.length)
  return Array.from({ length: Math.min(count, ring.length - 1) }, (_, k) => ring[(first + k) % ring.length]!)
}
