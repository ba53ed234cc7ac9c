// What the model checker needs of a node, whichever protocol it runs: today's (the node processes'
// own modules, through today-node.ts) or the SIGCOMM 2001 paper's (sigcomm-node.ts). It receives
// messages, runs the maintenance task the checker fires, joins, and shows its state: as the view the
// invariants read, and as canonical text for the hash of the explored state.
import type { CallScope, NodeStatus, Peer, StoredRecord } from '../../node/protocol/types.js'
import type { Transport } from '../../node/api/transport.js'
import { SEEDED_BUGS, type PROTOCOL_VARIANTS } from '../../node/settings.js'
import type { NodeView } from '../../tools/ring-invariants.js'
import type { Receiver } from './network.js'

export type VariantName = (typeof PROTOCOL_VARIANTS)[number]

/**
 * Rules broken on purpose, to show the checker catches them:
 * - notify-any: notify takes any candidate as the predecessor, nearer or not (both variants);
 * - notify-keeps: notify never replaces a predecessor it has, however near the candidate (both variants);
 * - handoff-dropped: a node handed keys (on a join, a leave, a stray re-homed) keeps none of them (today's).
 */
export { SEEDED_BUGS }
export type SeededBug = (typeof SEEDED_BUGS)[number]

export interface ProtocolNode extends Receiver {
  readonly self: Peer
  readonly status: NodeStatus
  view(): NodeView
  /** Everything of its state that decides what it does next, as canonical text (no counters, no clock). */
  digest(): string
  runTask(name: string, scope: CallScope): Promise<unknown>
  /** Joins through `bootstrap`: resolves once it has its place (and, today, its keys, copies and fingers). */
  join(bootstrap: Peer, scope: CallScope): Promise<unknown>
  leave(scope: CallScope): Promise<unknown>
  store(value: string, scope: CallScope): Promise<unknown>
  remove(value: string, scope: CallScope): Promise<unknown>
  /** True when found, false when NOT_FOUND; any other failure throws. */
  lookup(value: string, scope: CallScope): Promise<boolean>
  /** What it holds of one value, tombstones included. */
  records(value: string): StoredRecord[]
}

export interface NodeOptions {
  /** The successor list's length (and copies of each key, today). */
  replicas: number
  bits: number
  bug?: SeededBug
}

export interface Variant {
  readonly name: VariantName
  /** Its maintenance tasks, as the checker may fire them. */
  readonly tasks: readonly string[]
  /** The tasks that repair the ring, which a run's end runs in turn until it settles. */
  readonly repairTasks: readonly string[]
  /** Whether it has a leave, and stores values. */
  readonly leaves: boolean
  readonly content: boolean
  /** The seeded bugs it can be run with. */
  readonly bugs: readonly SeededBug[]
  /** A node not yet in any ring. */
  create(self: Peer, transport: Transport, options: NodeOptions): ProtocolNode
  /** Sets `ring` (in id order) to the state maintenance converges to, directly: no messages. */
  converge(ring: readonly ProtocolNode[], options: NodeOptions): void
}

/** The canonical text of a peer in a digest. */
export function peerText(peer: Peer | null | undefined): string {
  return peer ? String(peer.port) : '-'
}
