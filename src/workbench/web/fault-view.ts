// The faults as the page shows them: each node's plan in /api/ring's compact form (how many nodes it
// cuts off, not their addresses, which would make a 200-node ring's snapshot heavy), the sides of a
// partition told apart by what each node blocks, the summary's lines, the one-line answers of the
// page's fault actions, and the book of plans last read, which says whose to read on each poll. Pure:
// no I/O, no clock.
import { describePlan, percent, type FaultPlan } from '../../node/faults/plan.js'
import { clearedFaults, nodeNames, type Changes, type FaultNode } from '../faults/ring-faults.js'
import type { Json } from '../../node/wire.js'

/** A node's plan as /api/ring and the actions' answers show it. */
export interface CompactPlan {
  delayMs: number
  jitterMs: number
  dropRate: number
  slowMs: number
  /** How many nodes a partition cuts this one off from. */
  cutOff: number
}

/** A node whose plan was read, as the summary and the sides are computed from. */
export interface PlannedNode extends FaultNode {
  plan: FaultPlan
}

/** The side letters, in ring order of each side's first node; a partition has two, more only by hand (PUT /faults). */
const SIDE_NAMES = 'abcdefghijklmnopqrstuvwxyz'

export function compactPlan(plan: FaultPlan): CompactPlan {
  return { delayMs: plan.delayMs, jitterMs: plan.jitterMs, dropRate: plan.dropRate, slowMs: plan.slowMs, cutOff: plan.blocked.length }
}

/**
 * The side of each node in a partition (by address): nodes that block the same nodes are on one side,
 * so the two sides that make partition leaves get two letters, named in the order of `nodes` (the
 * ring's). A node that blocks no one (it joined after the cut, or no partition stands) is on no side.
 */
export function partitionSides(nodes: readonly PlannedNode[]): Map<string, string> {
  const letterOf = new Map<string, string>()
  const sides = new Map<string, string>()
  for (const n of nodes) {
    if (n.plan.blocked.length === 0) continue
    const blocks = [...n.plan.blocked].sort().join(',')
    let letter = letterOf.get(blocks)
    if (letter === undefined) letterOf.set(blocks, (letter = SIDE_NAMES[letterOf.size % SIDE_NAMES.length]!))
    sides.set(n.address, letter)
  }
  return sides
}

/** The sides as lists of nodes, in letter order. */
export function sideLists<N extends { address: string }>(nodes: readonly N[], sides: ReadonlyMap<string, string>): Array<{ side: string; nodes: N[] }> {
  const lists = new Map<string, N[]>()
  for (const n of nodes) {
    const side = sides.get(n.address)
    if (side !== undefined) lists.set(side, [...(lists.get(side) ?? []), n])
  }
  return [...lists.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([side, list]) => ({ side, nodes: list }))
}

/** Nodes counted with their noun. */
const count = (n: number) => `${n} node${n === 1 ? '' : 's'}`

/** Groups `nodes` by a key; the groups in order of first appearance. */
function groupBy<T>(nodes: readonly T[], key: (n: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>()
  for (const n of nodes) {
    const k = key(n)
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), n])
  }
  return [...groups.values()]
}

/**
 * The summary's lines about every fault but the partition (the page draws that one with its colours):
 * lost calls, slow nodes, delays; none when no such fault is injected.
 */
export function faultLines(nodes: readonly PlannedNode[]): string[] {
  const of = `of ${nodes.length}`
  const drops = groupBy(nodes, (n) => (n.plan.dropRate > 0 ? String(n.plan.dropRate) : undefined)).map(
    (group) => `${percent(group[0]!.plan.dropRate)} of calls lost on ${group.length} ${of} nodes`,
  )
  const slow = groupBy(nodes, (n) => (n.plan.slowMs > 0 ? String(n.plan.slowMs) : undefined)).map((group) => `${nodeNames(group)} slow ${group[0]!.plan.slowMs} ms`)
  const delays = groupBy(nodes, (n) => (n.plan.delayMs > 0 || n.plan.jitterMs > 0 ? `${n.plan.delayMs}±${n.plan.jitterMs}` : undefined)).map((group) => {
    const { delayMs, jitterMs } = group[0]!.plan
    return `calls delayed ${delayMs}${jitterMs > 0 ? ` ± ${jitterMs}` : ''} ms on ${group.length} ${of} nodes`
  })
  return [...drops, ...slow, ...delays]
}

/** A node's faults in /api/ring: its compact plan, the plan in words and its side (null: on none). */
export function nodeFaultsJson(plan: FaultPlan, side: string | undefined): Json {
  return { ...compactPlan(plan), text: describePlan(plan), side: side ?? null } as unknown as Json
}

/** What a fault action did, node by node, as its answer carries it. */
export function changesJson(changes: Changes): Json {
  const peer = (n: FaultNode) => ({ id: n.id, host: n.host, port: n.port })
  return {
    changed: changes.changed.map((c) => ({ node: peer(c.node), before: compactPlan(c.before), after: compactPlan(c.after) })),
    failed: changes.failed.map((f) => ({ node: peer(f.node), error: f.error })),
  } as unknown as Json
}

/** The answers' one line, as the page shows it: what the action did, then where it failed. */
export const changeSummary = {
  slow(changes: Changes, slowMs: number): string {
    const names = nodeNames(changes.changed.map((c) => c.node))
    const done = changes.changed.length === 0 ? '' : slowMs === 0 ? `${names} is not slow any more` : `${names} is slow: it holds every request it handles ${slowMs} ms`
    return withFailures(done, changes)
  },
  drop(changes: Changes, dropRate: number): string {
    const n = count(changes.changed.length)
    const lose = changes.changed.length === 1 ? 'loses' : 'lose'
    return withFailures(dropRate === 0 ? `${n} ${lose} no calls any more` : `${n} now ${lose} ${percent(dropRate)} of their calls to other nodes`, changes)
  },
  partition(changes: Changes, side: readonly FaultNode[], rest: readonly FaultNode[]): string {
    const done = `partitioned: ${nodeNames(side)} (${count(side.length)}) and ${nodeNames(rest)} (${count(rest.length)}) cannot reach each other`
    return withFailures(done, changes)
  },
  heal(changes: Changes): string {
    const cleared = clearedFaults(changes)
    const n = count(changes.changed.length)
    return withFailures(cleared.length === 0 ? `nothing to heal: no faults on any of the ${n}` : `healed ${n}: ${cleared.join(', ')}`, changes)
  },
}

function withFailures(done: string, changes: Changes): string {
  if (changes.failed.length === 0) return done
  const failed = `failed on ${count(changes.failed.length)}: ${changes.failed.map((f) => `${f.node.address}: ${f.error}`).join('; ')}`
  return done ? `${done}; ${failed}` : failed
}

/** A plan read from a node, or why it could not be. */
export type PlanReading = { plan: FaultPlan } | { error: string }

/**
 * The plans last read, by address. A poll reads the plans of a small ring all at once and, of a large
 * one, at most `max` a poll, the longest unread first; an action's answer is recorded at once. A read
 * that started before a newer answer arrived is dropped, so a poll under way never puts back a plan an
 * action has just changed.
 */
export class PlanBook {
  readonly #entries = new Map<string, { reading: PlanReading; tick: number }>()
  #tick = 0

  /** Which of `addresses` to read now: at most `max`, those never read first, then the longest unread. */
  due(addresses: readonly string[], max: number): string[] {
    const age = (address: string) => this.#entries.get(address)?.tick ?? -1
    return [...addresses].sort((a, b) => age(a) - age(b)).slice(0, max)
  }

  /** A read begins: pass what this returns to record() with its answer. */
  begin(): number {
    return this.#tick++
  }

  /** Keeps an answer unless a newer one has arrived since the read began (an action's answer is newest). */
  record(address: string, reading: PlanReading, began: number = this.begin()): void {
    const known = this.#entries.get(address)
    if (known && known.tick > began) return
    this.#entries.set(address, { reading, tick: began })
  }

  get(address: string): PlanReading | undefined {
    return this.#entries.get(address)?.reading
  }

  /** Forgets the nodes no longer on the ring. */
  keepOnly(addresses: Iterable<string>): void {
    const keep = new Set(addresses)
    for (const address of this.#entries.keys()) if (!keep.has(address)) this.#entries.delete(address)
  }
}
