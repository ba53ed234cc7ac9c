// A whole ring in one process over the in-memory transport: build it, drive its maintenance
// by hand (no timers, no sleeping), crash nodes, partition and heal it, and check it. Shared by tests
// and `make simulate`.
import { DEFAULTS, defaultNodeConfig, type NodeConfig } from '../../node/config.js'
import { FaultTransport } from '../../node/faults/fault-transport.js'
import { Faults } from '../../node/faults/faults.js'
import { partitionPlan } from '../../node/faults/partition.js'
import { ChordNode } from '../../node/protocol/chord-node.js'
import { sameProcess } from '../../node/protocol/placement.js'
import { peerAddress, type Peer } from '../../node/protocol/types.js'
import { IdSpace, ownerIndex } from '../../node/ring.js'
import { MessageLog } from '../../node/trace/message-log.js'
import { TracingTransport } from '../../node/trace/traced-transport.js'
import { Tracer } from '../../node/trace/tracer.js'
import { MemoryNetwork } from '../../node/transport/memory.js'
import { Wire } from '../../node/wire.js'
import { ManualClock } from './manual-clock.js'
import { SeededRandom } from './random.js'

export interface SimOptions {
  seed: number
  bits?: number
  config?: Partial<NodeConfig>
  /**
   * Up to this many microtask turns before each message is delivered (seeded, from its own stream so the
   * ring's other choices stay as they were): concurrent operations then interleave message by message.
   */
  reorder?: number
  /** Every node keeps a message log of this many messages, and sends through a traced transport. */
  trace?: number
}

/** Simulated time starts here, so versions and tombstone expiry look like real ones. */
const SIM_EPOCH_MS = Date.UTC(2026, 0, 1)

export class SimRing {
  readonly network: MemoryNetwork
  readonly space: IdSpace
  readonly random: SeededRandom
  readonly config: NodeConfig
  /** The nodes' clock: each maintenance round moves it one stabilize period on. */
  readonly clock = new ManualClock(SIM_EPOCH_MS)
  /** Each node's tracer, when the ring is traced. */
  readonly tracers = new Map<ChordNode, Tracer>()
  readonly #traceCapacity: number
  readonly #wire: Wire
  /** Each node's faults (by address), injected in its outgoing calls; none unless a test sets some. */
  readonly #faults = new Map<string, Faults>()
  /** The faults' own seeded stream, so setting a fault never shifts the ring's other random choices. */
  readonly #faultRandom: SeededRandom
  /** While partitioned: the addresses on one side (every other node is on the other). */
  #side: Set<string> | undefined
  /** Live nodes (crashed and departed ones are removed). */
  readonly nodes: ChordNode[] = []
  /**
   * Every id a node was ever made with: a live node's id is among them, so the scan of the live list for
   * a taken id runs only on a hash collision (small id spaces), not once per node (which made building
   * a ring quadratic).
   */
  readonly #issued = new Set<bigint>()
  #nextPort = 1

  constructor(options: SimOptions) {
    this.space = new IdSpace(options.bits ?? 160)
    this.random = new SeededRandom(options.seed)
    const reorder = options.reorder ?? 0
    const delays = new SeededRandom(options.seed ^ 0x5eed)
    this.#faultRandom = new SeededRandom(options.seed ^ 0xfa17)
    this.#traceCapacity = options.trace ?? 0
    this.#wire = new Wire(this.space)
    this.network = new MemoryNetwork({
      ...(reorder > 0 ? { delayTurns: () => delays.int(reorder + 1) } : {}),
    })
    this.config = defaultNodeConfig({ bits: this.space.bits, ...options.config })
  }

  /** A node with a fresh address whose id no live node has. */
  createNode(): ChordNode {
    return this.createProcess(1)[0]!
  }

  /**
   * A process with a fresh address hosting `vnodes` nodes (VNODES=v): ids SHA-1 of host:port for the first,
   * host:port:i for the others, as a node process's; none is an id a live node has. They share the
   * process's faults, as a process's virtual nodes share its fault plan.
   */
  createProcess(vnodes: number): ChordNode[] {
    for (;;) {
      const port = this.#nextPort++
      const host = `10.${(port >> 16) & 255}.${(port >> 8) & 255}.${port & 255}`
      const selves: Peer[] = Array.from({ length: vnodes }, (_, index) => ({ id: this.space.nodeId(host, port, index), host, port }))
      const taken = (self: Peer) => this.#issued.has(self.id) && this.nodes.some((n) => n.self.id === self.id)
      if (selves.some(taken) || new Set(selves.map((self) => self.id)).size < vnodes) continue
      // Waits are instant: a lost call fails with PEER_TIMEOUT at once, a delayed one is merely a turn later.
      const faults = new Faults({ random: () => this.#faultRandom.next(), sleep: () => Promise.resolve() })
      this.#faults.set(peerAddress(selves[0]!), faults)
      const nodes = selves.map((self) => this.#makeNode(self, faults))
      // A node made during a partition starts on the second side (join() puts it beside the node it joins through).
      this.#applyPartition()
      return nodes
    }
  }

  #makeNode(self: Peer, faults: Faults): ChordNode {
    this.#issued.add(self.id)
    const tracer = this.#traceCapacity > 0 ? new Tracer(this.#wire.peer(self), new MessageLog(this.#traceCapacity)) : undefined
    const faulty = new FaultTransport(this.network, faults, { timeoutMs: DEFAULTS.requestTimeoutMs, self })
    const transport = tracer ? new TracingTransport(faulty, tracer, this.#wire) : faulty
    const node = new ChordNode(self, this.space, transport, this.config, () => {}, { clock: this.clock })
    if (tracer) this.tracers.set(node, tracer)
    this.network.add(node)
    return node
  }

  /** The first node: a ring of one. */
  bootstrap(): ChordNode {
    const node = this.createNode()
    this.nodes.push(node)
    return node
  }

  /** A node joining through a random live node, as `make add` does. */
  async join(): Promise<ChordNode> {
    return (await this.joinProcess(1))[0]!
  }

  /**
   * A process of `vnodes` nodes: the first process of the ring (its first node starts the ring, the others
   * join through it) or, once there is a ring, one whose nodes each join through a random live node, in
   * turn, as `make add VNODES=v` does.
   */
  async joinProcess(vnodes: number): Promise<ChordNode[]> {
    const via = this.nodes.length === 0 ? undefined : this.random.pick(this.nodes)
    const nodes = this.createProcess(vnodes)
    if (via && this.#side?.has(peerAddress(via.self))) {
      this.#side.add(peerAddress(nodes[0]!.self))
      this.#applyPartition()
    }
    for (const node of nodes) {
      const through = via ?? (node === nodes[0] ? undefined : nodes[0])
      if (through) await node.joinVia(through.self)
      this.nodes.push(node)
    }
    return nodes
  }

  /** The live nodes of the process at `node`'s address (its virtual nodes; itself alone without). */
  processOf(node: ChordNode): ChordNode[] {
    return this.nodes.filter((other) => sameProcess(other.self, node.self))
  }

  /** A crash takes the whole process at the node's address: with virtual nodes, every one of them at once. */
  crash(node: ChordNode): void {
    this.network.crash(node.self)
    for (const gone of [node, ...this.processOf(node)]) this.#drop(gone)
  }

  async leave(node: ChordNode): Promise<void> {
    await node.leave()
    this.network.remove(node.self)
    this.#drop(node)
  }

  /** A node's faults, for a test to set (delays and losses of its calls, blocked peers; slowMs does nothing here: there is no server). */
  faultsOf(node: ChordNode): Faults {
    const faults = this.#faults.get(peerAddress(node.self))
    if (!faults) throw new RangeError(`${peerAddress(node.self)} is no node of this simulation`)
    return faults
  }

  /**
   * Cuts `side` and every other node apart, in both directions, as make partition does: each node blocks
   * the nodes of the other side (its other faults stay). Nodes joining meanwhile go to the side of the
   * node they join through. A new partition replaces the one in force.
   */
  partition(side: readonly ChordNode[]): void {
    const addresses = side.map((node) => peerAddress(node.self))
    partitionPlan(this.nodes.map((node) => peerAddress(node.self)), addresses) // refuses an empty side, the whole ring, a node not in it
    this.#side = new Set(addresses)
    this.#applyPartition()
  }

  /** Ends the partition and every other fault, as make heal does. */
  heal(): void {
    this.#side = undefined
    for (const faults of this.#faults.values()) faults.clear()
  }

  get partitioned(): boolean {
    return this.#side !== undefined
  }

  /** While partitioned: whether the node is on the side given to partition(). */
  onFirstSide(node: ChordNode): boolean {
    return this.#side?.has(peerAddress(node.self)) ?? false
  }

  #applyPartition(): void {
    if (!this.#side) return
    const blocked = partitionPlan([...this.#faults.keys()], [...this.#side])
    for (const [address, faults] of this.#faults) faults.update({ blocked: blocked.get(address) ?? [] })
  }

  /** Takes a node off the live list; one that is not on it (crashed twice, never joined) leaves the list alone. */
  #drop(node: ChordNode): void {
    const index = this.nodes.indexOf(node)
    if (index >= 0) this.nodes.splice(index, 1)
  }

  /**
   * One maintenance round on every node, in a seeded random order: each runs its tasks exactly as its
   * timers would (check_predecessor, then stabilize with the replica sync that rides on it, then fix_fingers).
   */
  async maintain(options: { fingers?: boolean } = {}): Promise<void> {
    this.clock.advance(this.config.stabilizeIntervalMs)
    for (const node of this.#shuffled()) {
      await node.runTask('check_predecessor')
      await node.runTask('stabilize')
      if (options.fingers) await node.runTask('fix_fingers')
      await node.runTask('retry_unreachable')
    }
  }

  /** Live nodes in ring order. */
  sorted(): ChordNode[] {
    return [...this.nodes].sort((a, b) => (a.self.id < b.self.id ? -1 : a.self.id > b.self.id ? 1 : 0))
  }

  /** The node that should own key: the last node at or before it (the lab's ownership). */
  ownerOf(key: bigint): ChordNode {
    const ring = this.sorted()
    return ring[ownerIndex(ring.map((node) => node.self.id), key)]!
  }

  #shuffled(): ChordNode[] {
    const copy = [...this.nodes]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.random.int(i + 1)
      ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
    }
    return copy
  }
}
