// What one node knows: its pointers (predecessor, successor list, fingers), its content and its status,
// with the rules that keep them consistent (forgetting a failed peer, the range of keys it holds).
// No I/O happens here; the protocol modules read and change this state and do the calls.
//
// Ownership follows the lab: a node owns the keys from its own id up to, not including, its
// successor's id. Copies of a key live on its owner and the owner's r-1 predecessors, which is
// exactly where the key's range goes when the owner fails or leaves; with virtual nodes, on the first
// predecessor of each further process (placement.ts), so no process holds two copies.
import type { NodeConfig } from '../config.js'
import { between, betweenLeftIncl, type Id, type IdSpace } from '../ring.js'
import { FingerTable } from './finger-table.js'
import { KeyStore } from './key-store.js'
import { MemberTable } from './member-table.js'
import { holdEnd, holdingTest, replicaSegments, successorList, type Holding, type ReplicaSegment } from './placement.js'
import { sameNode, type NodeStatus, type Peer } from './types.js'
import { versionAt, VersionClock, type Version } from './version-clock.js'

export type Logger = (line: string) => void

/** The callbacks' default: one function for every node rather than a closure each. */
const nothing = (): void => {}

/** How many peers that stopped answering a node remembers, to try them again. */
const UNREACHABLE_KEPT = 32

export class NodeState {
  readonly self: Peer
  readonly space: IdSpace
  readonly config: NodeConfig
  readonly store = new KeyStore()
  readonly fingers: FingerTable
  /** Wall-clock milliseconds (injected: simulations run on their own clock). */
  readonly now: () => number
  /** Stamps the writes this node applies as a key's owner. */
  readonly versions: VersionClock
  /** One-hop mode only: every node of the ring as this node knows it. */
  readonly members: MemberTable | undefined
  status: NodeStatus = 'ready'
  /** Pointer changes and failures so far: a maintenance round that sees none was quiet. */
  changes = 0
  /** Called on every pointer change or failure (the node's maintenance snaps back to its periods). */
  onChange: () => void = nothing
  /** Called once the node has left the ring: its maintenance stops. */
  onStop: () => void = nothing
  /** `changes` when a whole fix_fingers refresh last found the table right (-1: never); see fixFingers. */
  fingersCheckedAt = -1
  /** fix_fingers audits one finger a round while nothing changes: the next one's turn. */
  fingerAudits = 0
  #predecessor: Peer | null = null
  /** Set by the predecessor's notify, cleared by check_predecessor: a live predecessor costs no ping. */
  predecessorHeardFrom = false
  /** Never empty: [self] while alone. Distinct nodes, nearest first, spanning r processes (r nodes without virtual nodes). */
  #successors: Peer[]
  // The lock and the two lists below are made on first use: most nodes of a simulated million never need them.
  /** Changes of the successor pointer that hand keys over run one at a time (joins, stabilize, leave). */
  #pointerLock: Promise<unknown> | undefined
  /**
   * Peers this node stopped reaching, and since when (Shafaat et al.'s passive list): retried now and
   * then, so that when a partition heals, the first one to answer starts the merge of the two rings.
   */
  #unreachable: Map<Id, { peer: Peer; since: number; nextTry: number; waitMs: number }> | undefined
  /** Neighbours found failed, by whatever call found them, that the ring has not yet been told of. */
  #failedNeighbours: Map<Id, Peer> | undefined

  constructor(self: Peer, space: IdSpace, config: NodeConfig, now: () => number = Date.now) {
    this.self = self
    this.space = space
    this.config = config
    this.now = now
    this.versions = new VersionClock(now)
    this.members = config.routeMode === 'onehop' ? new MemberTable() : undefined
    this.members?.apply({ peer: self, alive: true, version: this.versions.next() })
    this.fingers = new FingerTable(self, space)
    this.#successors = [self]
  }

  get predecessor(): Peer | null {
    return this.#predecessor
  }

  set predecessor(peer: Peer | null) {
    if (sameNode(peer, this.#predecessor) || (peer === null && this.#predecessor === null)) return
    this.#predecessor = peer
    this.#changed()
  }

  get successor(): Peer {
    return this.#successors[0] ?? this.self
  }

  get successors(): Peer[] {
    return [...this.#successors]
  }

  /** Makes `successor`, then as many of `itsSuccessors` as span r processes, our successor list (placement.ts). */
  setSuccessors(successor: Peer, itsSuccessors: readonly Peer[] = []): void {
    // A copy of the exact length (push leaves spare room): a simulation keeps millions of these lists.
    this.#setList(successorList(this.self, successor, itsSuccessors, this.config.replicas).slice())
  }

  #setList(list: Peer[]): void {
    const same = list.length === this.#successors.length && list.every((p, i) => sameNode(p, this.#successors[i]))
    this.#successors = list
    if (!same) this.#changed()
  }

  #changed(): void {
    this.changes++
    this.onChange()
  }

  /** Something changed around us that no pointer of ours shows yet (news of a join nearby): maintain at full speed. */
  touch(): void {
    this.#changed()
  }

  /**
   * Runs `work` once no other pointer change is running. A change decides on the successor it finds
   * inside, so two joins (or a join and stabilize) can never both hand away the same range.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = (this.#pointerLock ?? Promise.resolve()).then(work, work)
    this.#pointerLock = run.catch(() => undefined)
    return run
  }

  /** Peers that failed a call in the last `maxAgeMs` and are due for another try, oldest first; older ones are dropped. */
  unreachablePeers(maxAgeMs: number): Peer[] {
    const now = this.now()
    const unreachable = this.#unreachable
    if (!unreachable) return []
    for (const [id, entry] of unreachable) if (entry.since < now - maxAgeMs) unreachable.delete(id)
    return [...unreachable.values()].filter((entry) => entry.nextTry <= now).map((entry) => entry.peer)
  }

  /** Whether any peer is on the passive list (retry_unreachable has work while one is). */
  get anyUnreachable(): boolean {
    return (this.#unreachable?.size ?? 0) > 0
  }

  /** A retry that failed: wait twice as long before the next, up to `maxWaitMs` (a dead node costs little). */
  retryLater(peer: Peer, firstWaitMs: number, maxWaitMs: number): void {
    const entry = this.#unreachable?.get(peer.id)
    if (!entry) return
    entry.waitMs = Math.min(maxWaitMs, entry.waitMs === 0 ? firstWaitMs : 2 * entry.waitMs)
    entry.nextTry = this.now() + entry.waitMs
  }

  /** A peer that answers again is no longer on the list. */
  reachable(peer: Peer): void {
    this.#unreachable?.delete(peer.id)
  }

  /** Stands alone: every other node is gone. */
  standAlone(): void {
    this.#setList([this.self])
  }

  /**
   * A peer that failed a call: forgotten, and when it was a neighbour (predecessor or successor),
   * kept until maintenance announces its failure. Any call may be the first to find a neighbour dead
   * (a lookup, a copy, a sync), and once it is forgotten no pointer names it for stabilize to notice.
   */
  failed(peer: Peer): void {
    if (sameNode(this.predecessor, peer) || this.#successors.some((p) => sameNode(p, peer))) (this.#failedNeighbours ??= new Map()).set(peer.id, peer)
    this.forget(peer)
  }

  /** The failed neighbours still to be announced; taking them empties the list. */
  takeFailedNeighbours(): Peer[] {
    const failed = [...(this.#failedNeighbours?.values() ?? [])]
    this.#failedNeighbours = undefined
    return failed
  }

  /** A node that is gone (it failed, or it said it left): stop routing through it until it is heard of again. */
  forget(peer: Peer): void {
    if (sameNode(peer, this.self)) return
    const unreachable = (this.#unreachable ??= new Map())
    if (!unreachable.has(peer.id)) {
      // Bounded: the oldest entry makes room (a ring cut in two has at most a few neighbours across the cut).
      if (unreachable.size >= UNREACHABLE_KEPT) unreachable.delete(unreachable.keys().next().value!)
      unreachable.set(peer.id, { peer, since: this.now(), nextTry: 0, waitMs: 0 })
    }
    this.fingers.forget(peer.id)
    if (sameNode(this.predecessor, peer)) this.predecessor = null
    const rest = this.#successors.filter((p) => !sameNode(p, peer))
    // Never fall back to standing alone while others are known: a node alone claims the whole ring.
    // The nearest finger (or the predecessor) stands in until stabilize finds the true successor.
    this.#setList(rest.length > 0 ? rest : [this.fingers.distinct()[0]?.node ?? this.predecessor ?? this.self])
    this.#changed() // a failure, even of a node no pointer named: repair at full speed
  }

  /** This node owns [self, successor). */
  owns(key: Id): boolean {
    return betweenLeftIncl(key, this.self.id, this.successor.id)
  }

  /** Where the keys we hold end: past the r-th process, or ourselves (the whole ring) when the ring has fewer. */
  holdEnd(): Id {
    return holdEnd(this.self, this.#successors, this.config.replicas)
  }

  /** Whether [self, to) lies within what we hold. */
  holds(to: Id): boolean {
    const end = this.holdEnd()
    return end === this.self.id || to === end || between(to, this.self.id, end)
  }

  /** What we are to each key, as our successor list stands now: a holder of a copy, or not (placement.ts). */
  holding(): (key: Id) => Holding {
    return holdingTest(this.self, this.#successors, this.config.replicas)
  }

  /**
   * Our copies of our successors' ranges, [s1, end), in parts each reconciled with the node that holds
   * all of it: one part, held by our successor, unless virtual nodes of one process cut it. None with r = 1.
   */
  replicaSegments(): ReplicaSegment[] {
    return replicaSegments(this.self, this.#successors, this.config.replicas)
  }

  /** Tombstones stamped before this version are past the grace period: forgotten, and not taken from others. */
  tombstoneCutoff(): Version {
    return versionAt(this.now() - this.config.tombstoneGraceMs)
  }

  /**
   * What routing keeps, in nodes named and their size as JSON ({ id, host, port }): the successor list,
   * the predecessor and the distinct fingers, and in one-hop mode every member too.
   */
  routingState(): { entries: number; bytes: number } {
    const peers = [...this.#successors, ...(this.#predecessor ? [this.#predecessor] : []), ...this.fingers.distinct().map((row) => row.node), ...(this.members?.entries().map((m) => m.peer) ?? [])]
    const bytes = peers.reduce((sum, p) => sum + JSON.stringify({ id: this.space.toHex(p.id), host: p.host, port: p.port }).length, 0)
    return { entries: peers.length, bytes }
  }

  /** A node as people read it in logs: short id and port. */
  short(peer: Peer): string {
    return `${this.space.toHex(peer.id).slice(0, 8)}@${peer.port}`
  }
}
