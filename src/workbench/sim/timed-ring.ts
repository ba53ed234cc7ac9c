// A whole ring on the timed simulator: the real ChordNode of every node over the TimedNetwork, one
// clock (the timeline) for all of them. It builds a converged ring directly from the sorted ids (as the
// Chord paper's simulator does, and what makes 2^21 nodes fit in minutes), joins and crashes nodes,
// starts their maintenance timers on simulated time, and knows the truth a lookup is checked against.
import { defaultNodeConfig, type NodeConfig } from '../../node/config.js'
import { ChordNode } from '../../node/protocol/chord-node.js'
import type { Peer } from '../../node/protocol/types.js'
import { between, IdSpace, insertionIndex, ownerIndex, type Id } from '../../node/ring.js'
import { ConvergedFingers } from './converged.js'
import { delaySampler, PAPER_LATENCY, type LatencyModel } from './latency.js'
import { SeededRandom } from './random.js'
import { simAddress, TimedNetwork } from './timed-network.js'
import { Timeline } from './timeline.js'

export interface TimedRingOptions {
  seed: number
  bits?: number
  config?: Partial<NodeConfig>
  latency?: LatencyModel
  /** How long a call to a node that does not answer waits (the paper: 500 ms). */
  timeoutMs?: number
  /** Each maintenance wait is its period times a factor from [1 - jitter, 1 + jitter] (0.5: the paper's 15–45 s for 30 s). */
  jitter?: number
}

/** Simulated time starts here, so versions and tombstone expiry look like real ones. */
const SIM_EPOCH_MS = Date.UTC(2026, 0, 1)

export class TimedRing {
  readonly timeline = new Timeline(SIM_EPOCH_MS)
  readonly network: TimedNetwork
  readonly space: IdSpace
  readonly config: NodeConfig
  /** The experiment's own choices (who fails, who looks up what). */
  readonly random: SeededRandom
  readonly #schedulerRandom: SeededRandom
  readonly #jitter: number
  #nextIndex = 0
  /** Live nodes that have finished joining, in no order; #slot[address index] is a node's place here. */
  readonly #members: ChordNode[] = []
  readonly #slot: number[] = []
  /** The members' ids in ring order: the truth lookups are checked against. */
  #sortedIds: Id[] = []
  /** Nodes joining right now: a lookup may rightly end at one of them. */
  readonly #joining = new Set<ChordNode>()

  constructor(options: TimedRingOptions) {
    this.space = new IdSpace(options.bits ?? 160)
    this.config = defaultNodeConfig({ bits: this.space.bits, ...options.config })
    this.random = new SeededRandom(options.seed)
    this.#schedulerRandom = new SeededRandom(options.seed ^ 0x5c4ed)
    this.#jitter = options.jitter ?? 0.5
    const delay = delaySampler(options.latency ?? PAPER_LATENCY, options.seed ^ 0x1a7e)
    this.network = new TimedNetwork(this.timeline, { delay, timeoutMs: options.timeoutMs ?? 500 })
  }

  /** Live members (joined, not crashed). */
  get members(): readonly ChordNode[] {
    return this.#members
  }

  get size(): number {
    return this.#members.length
  }

  /** A converged ring of `count` nodes, every pointer as maintenance would leave it; no message is sent. */
  buildConverged(count: number): void {
    if (this.#members.length > 0) throw new Error('buildConverged makes a new ring: this one has nodes already')
    const made = Array.from({ length: count }, () => this.#create())
    const nodes = inRingOrder(made, this.space.bits)
    const ids = nodes.map((node) => node.self.id)
    for (let i = 1; i < count; i++) if (ids[i] === ids[i - 1]) throw new Error(`two nodes share id ${this.space.toHex(ids[i]!)}`)
    const r = Math.min(this.config.replicas, count - 1)
    const successors: Peer[] = []
    for (let i = 0; i < count; i++) {
      successors.length = 0
      for (let k = 1; k <= r; k++) successors.push(nodes[(i + k) % count]!.self)
      nodes[i]!.assumeSettled(count > 1 ? nodes[(i - 1 + count) % count]!.self : null, successors)
    }
    const fingers = new ConvergedFingers(this.space, ids)
    const peerAt = (k: number) => nodes[k]!.self
    for (const node of nodes) {
      const rows: Array<{ first: number; node: Peer }> = []
      fingers.fill(node.self.id, peerAt, (first, _end, peer) => rows.push({ first, node: peer }))
      node.fingers.assign(rows)
    }
    for (const node of nodes) this.#admit(node, false)
    this.#sortedIds = ids
  }

  /** Starts every member's maintenance timers on simulated time. */
  startMaintenance(): void {
    for (const node of this.#members) this.#start(node)
  }

  /**
   * A new node joins through a random member, as `make add` does, and starts its maintenance once in.
   * Resolves with the node, or undefined when its join failed (the node then stays out).
   */
  async join(options: { maintain?: boolean } = {}): Promise<ChordNode | undefined> {
    const via = this.random.pick(this.#members)
    const node = this.#create()
    this.#joining.add(node)
    try {
      await node.joinVia(via.self)
    } catch {
      this.#joining.delete(node)
      this.network.crash(this.#indexOf(node))
      return undefined
    }
    this.#joining.delete(node)
    if (!this.network.isUp(this.#indexOf(node))) return undefined // crashed while joining
    this.#admit(node, true)
    if (options.maintain) this.#start(node)
    return node
  }

  /** A member or a joining node stops at once, without a word. */
  crash(node: ChordNode): void {
    this.network.crash(this.#indexOf(node))
    this.#joining.delete(node)
    const slot = this.#slot[this.#indexOf(node)]
    if (slot === undefined || this.#members[slot] !== node) return
    const last = this.#members.pop()!
    if (last !== node) {
      this.#members[slot] = last
      this.#slot[this.#indexOf(last)] = slot
    }
    const at = ownerIndex(this.#sortedIds, node.self.id)
    if (this.#sortedIds[at] === node.self.id) this.#sortedIds.splice(at, 1)
  }

  /** The member that owns `key` now (the last one at or before it). */
  ownerOf(key: Id): Id {
    return this.#sortedIds[ownerIndex(this.#sortedIds, key)]!
  }

  /** Whether `owner` is a right answer for `key` now: its owner among the members, or a joining node that took the key over. */
  rightOwner(key: Id, owner: Id): boolean {
    const member = this.ownerOf(key)
    if (owner === member) return true
    for (const node of this.#joining) {
      const id = node.self.id
      if (id === owner && (id === key || between(id, member, key))) return true
    }
    return false
  }

  #create(): ChordNode {
    const index = this.#nextIndex++
    const { host, port } = simAddress(index)
    const self: Peer = { id: this.space.nodeId(host, port), host, port }
    const node = new ChordNode(self, this.space, this.network.endpoint(index), this.config, undefined, { clock: this.timeline })
    this.network.add(index, node)
    return node
  }

  #admit(node: ChordNode, sorted: boolean): void {
    this.#slot[this.#indexOf(node)] = this.#members.length
    this.#members.push(node)
    if (!sorted) return
    this.#sortedIds.splice(insertionIndex(this.#sortedIds, node.self.id), 0, node.self.id)
  }

  #start(node: ChordNode): void {
    node.start({ jitter: this.#jitter, random: () => this.#schedulerRandom.next() })
  }

  #indexOf(node: ChordNode): number {
    return this.network.indexOf(node.self)
  }
}

/**
 * The nodes sorted by id. Sorted by each id's top 52 bits as doubles first (a typed array: comparing
 * millions of bigints scattered over the heap is mostly cache misses), the bigints breaking ties.
 */
function inRingOrder(nodes: readonly ChordNode[], bits: number): ChordNode[] {
  const shift = BigInt(Math.max(0, bits - 52))
  const positions = Float64Array.from(nodes, (node) => Number(node.self.id >> shift))
  const order = Uint32Array.from(nodes, (_, i) => i)
  order.sort((a, b) => positions[a]! - positions[b]! || compareIds(nodes[a]!.self.id, nodes[b]!.self.id))
  return Array.from(order, (i) => nodes[i]!)
}

function compareIds(a: Id, b: Id): number {
  return a < b ? -1 : a > b ? 1 : 0
}
