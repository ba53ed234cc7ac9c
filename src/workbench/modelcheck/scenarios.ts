// The situations the model checker explores: which nodes form the ring at the start (converged), which
// join, leave or may crash, which values are stored and deleted, and which maintenance tasks run. The
// checker fires each event when it chooses, so every ordering of events, messages and rounds is tried.
// Nodes are named by their place in id order (0 is the smallest id); every id is fixed, so a run is
// the same every time.
import type { Peer } from '../../node/protocol/types.js'
import { IdSpace } from '../../node/ring.js'
import { MODELCHECK_SCENARIOS } from '../../node/settings.js'
import type { VariantName } from './protocol-node.js'

export const SCENARIO_NAMES = MODELCHECK_SCENARIOS
export type ScenarioName = (typeof SCENARIO_NAMES)[number]

export interface Scenario {
  name: ScenarioName
  summary: string
  /** The fewest nodes it needs. */
  minNodes: number
  variants: readonly VariantName[]
  /** Places (in id order) of the nodes in the ring at the start. */
  initial(nodes: number): number[]
  /** Places of the nodes that join, each through the smallest ready member when the checker chooses. */
  joiners(nodes: number): number[]
  /** Places of the nodes asked to leave. */
  leavers(nodes: number): number[]
  /** How many nodes may crash, any of them, each only while every other member keeps a live successor (Zave's rule). */
  crashes: number
  /** Values stored and then, once the store is acknowledged, deleted: each lands in the range of the node at this place. */
  valuesAt(nodes: number): number[]
  /** The maintenance tasks the checker fires (default: stabilize, with notify and replica sync, and check_predecessor). */
  tasks?: readonly string[]
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)
const allBut = (nodes: number, out: readonly number[]): number[] => range(0, nodes).filter((i) => !out.includes(i))

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  joins: {
    name: 'joins',
    summary: 'every other node joins a ring of one at once',
    minNodes: 2,
    variants: ['today', 'sigcomm'],
    initial: () => [0],
    joiners: (nodes) => range(1, nodes),
    leavers: () => [],
    crashes: 0,
    valuesAt: () => [],
  },
  'join-crash': {
    name: 'join-crash',
    summary: 'a node joins the ring of the others, and any one node may crash: a failure right after a notify',
    minNodes: 3,
    variants: ['today', 'sigcomm'],
    initial: (nodes) => allBut(nodes, [1]),
    joiners: () => [1],
    leavers: () => [],
    crashes: 1,
    valuesAt: () => [],
  },
  'joins-crash': {
    name: 'joins-crash',
    summary: 'two nodes join the ring of the others at once and any one node may crash',
    minNodes: 3,
    variants: ['today', 'sigcomm'],
    initial: (nodes) => allBut(nodes, [1, 2]),
    joiners: () => [1, 2],
    leavers: () => [],
    crashes: 1,
    valuesAt: () => [],
  },
  leave: {
    name: 'leave',
    summary: 'a node joins while its successor-to-be leaves',
    minNodes: 3,
    variants: ['today'],
    initial: (nodes) => allBut(nodes, [1]),
    joiners: () => [1],
    leavers: () => [2],
    crashes: 0,
    valuesAt: () => [],
  },
  store: {
    name: 'store',
    summary: 'a value in the joiner\'s range is stored, then deleted, while the node joins',
    minNodes: 3,
    variants: ['today'],
    initial: (nodes) => allBut(nodes, [1]),
    joiners: () => [1],
    leavers: () => [],
    crashes: 0,
    valuesAt: () => [1],
  },
  crash: {
    name: 'crash',
    summary: 'a value is stored, then deleted, in a ring where any one node may crash',
    minNodes: 3,
    variants: ['today'],
    initial: (nodes) => range(0, nodes),
    joiners: () => [],
    leavers: () => [],
    crashes: 1,
    valuesAt: () => [1],
  },
  fingers: {
    name: 'fingers',
    summary: 'a node joins while fix_fingers runs beside stabilize and check_predecessor',
    minNodes: 3,
    variants: ['today'],
    initial: (nodes) => allBut(nodes, [1]),
    joiners: () => [1],
    leavers: () => [],
    crashes: 0,
    valuesAt: () => [],
    tasks: ['stabilize', 'check_predecessor', 'fix_fingers'],
  },
}

/** Identifier bits of a checked ring: 64 ids, small enough to read, large enough for five nodes and their fingers. */
export const CHECK_BITS = 6

/** The node at each place: ids spread evenly round the ring, ports from 5001 on one host (diagrams name them @5001, …). */
export function placeNodes(nodes: number, bits = CHECK_BITS): Peer[] {
  const size = 2 ** bits
  return range(0, nodes).map((i) => ({ id: BigInt(Math.round(((i + 0.5) * size) / nodes)), host: '127.0.0.1', port: 5001 + i }))
}

const valuesFound = new Map<string, string>()

/** A value whose key lies in [place's id, next place's id): found by trying v1, v2, … in turn (once: every replay asks). */
export function valueInRange(peers: readonly Peer[], place: number, bits = CHECK_BITS): string {
  const from = peers[place]!.id
  const to = peers[(place + 1) % peers.length]!.id
  const range = `${bits}:${from}:${to}`
  const known = valuesFound.get(range)
  if (known) return known
  const space = new IdSpace(bits)
  for (let i = 1; ; i++) {
    const key = space.hash(`v${i}`)
    if (from < to ? key >= from && key < to : key >= from || key < to) {
      valuesFound.set(range, `v${i}`)
      return `v${i}`
    }
  }
}
