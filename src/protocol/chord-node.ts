// One Chord node as the rest of the program sees it: the handlers other nodes call (RemoteNode), the
// client operations (STORE, LOOKUP, delete, findNode) and the maintenance schedule. A thin facade: each
// step lives in its own module (routing, membership, content, maintenance) over one NodeState, and
// other nodes are reached only through the Transport, so the same code runs between processes and in one.
import type { NodeConfig, RouteMode } from '../config.js'
import { DhtError } from '../errors.js'
import type { Id, IdSpace } from '../ring.js'
import * as announcements from './announcements.js'
import * as content from './content.js'
import { NodeContext } from './context.js'
import * as maintenance from './maintenance.js'
import * as membership from './membership.js'
import * as unification from './unification.js'
import { NodeState, type Logger } from './node-state.js'
import type { RemoteNode } from './remote.js'
import { answerRouteStep, findOwner, type RouteResult } from './routing.js'
import { Scheduler, systemClock, type Clock, type RoundOutcome, type SchedulerOptions, type Task } from './scheduler.js'
import type { Announcement, DeleteOptions, Member, InsertRole, JoinResult, KeyRead, Neighbors, NeighborsRequest, NodeInfo, NodeStatus, Peer, RangeAnswer, RouteStep, StoredRecord, Transport } from './types.js'

export type { Logger } from './node-state.js'
export type { RouteResult } from './routing.js'
export type { ValueResult } from './content.js'

/** The maintenance tasks by name, as the scheduler runs them and the simulator drives them. */
export type TaskName = 'stabilize' | 'check_predecessor' | 'fix_fingers' | 'retry_unreachable'

/**
 * How much longer than its period a task waits after quiet rounds (doubling each time). Stabilize stays
 * within seconds, and check_predecessor a little longer, so a quiet predecessor's notify always comes
 * between two of its rounds (no ping); a crashed neighbour is noticed at once anyway, through the
 * connection its exit closes (connectionClosed). Fingers, which cost hops and never correctness when
 * stale, back off much further; retry_unreachable backs off only while its list is empty (a failure
 * snaps it back, and a partition's peers keep it at its period).
 */
const STABILIZE_BACKOFF = 6
const CHECK_PREDECESSOR_BACKOFF = 8
const FINGER_BACKOFF = 12
const RETRY_BACKOFF = 8

export interface NodeOptions {
  /** Time for versions, tombstone expiry and the maintenance timers; simulations pass their own. */
  clock?: Clock
}

export class ChordNode implements RemoteNode {
  readonly #state: NodeState
  readonly #context: NodeContext
  readonly #tasks: ReadonlyMap<TaskName, Task>
  readonly #clock: Clock
  #scheduler: Scheduler | undefined

  constructor(self: Peer, space: IdSpace, transport: Transport, config: NodeConfig, log: Logger = () => {}, options: NodeOptions = {}) {
    this.#clock = options.clock ?? systemClock
    const clock = this.#clock
    this.#state = new NodeState(self, space, config, () => clock.now())
    this.#context = new NodeContext(this.#state, transport, this, log)
    const context = this.#context
    const state = this.#state
    // A round that changed no pointer and found nothing to do is quiet: its task may wait longer next time.
    const task = (name: TaskName, periodMs: number, maxFactor: number | undefined, run: () => Promise<boolean | void>): [TaskName, Task] => [
      name,
      {
        name,
        periodMs,
        ...(maxFactor ? { maxPeriodMs: maxFactor * periodMs } : {}),
        run: async () => {
          // A node that stopped (left, failed to join, crashed in a simulation) does no more rounds.
          if (state.status === 'stopped') return 'quiet'
          const before = state.changes
          const busy = await run()
          return busy === true || state.changes !== before ? 'changed' : 'quiet'
        },
      },
    ]
    this.#tasks = new Map<TaskName, Task>([
      // Replica sync rides on stabilize: the fingerprint stabilize brought says whether there is anything to copy.
      task('stabilize', config.stabilizeIntervalMs, STABILIZE_BACKOFF, async () => {
        const learned = await maintenance.stabilize(context)
        return state.status === 'ready' ? maintenance.syncReplicas(context, learned.replicaDigest) : false
      }),
      task('check_predecessor', config.checkPredecessorIntervalMs, CHECK_PREDECESSOR_BACKOFF, () => maintenance.checkPredecessor(context)),
      task('fix_fingers', config.fingerIntervalMs, FINGER_BACKOFF, async () => (await maintenance.fixFingers(context)) > 0),
      // Every other stabilize period: a healed partition is noticed within seconds (each peer backs off on its own).
      task('retry_unreachable', 2 * config.stabilizeIntervalMs, RETRY_BACKOFF, () => unification.retryUnreachable(context)),
    ])
    // Any change or failure: every task back to its period at once.
    state.onChange = () => this.#scheduler?.snapBack()
  }

  get self(): Peer { return this.#state.self }
  get space(): IdSpace { return this.#state.space }
  get config(): NodeConfig { return this.#state.config }
  get store() { return this.#state.store }
  get fingers() { return this.#state.fingers }
  get successor(): Peer { return this.#state.successor }
  get successors(): Peer[] { return this.#state.successors }
  get predecessor(): Peer | null { return this.#state.predecessor }
  get status(): NodeStatus { return this.#state.status }

  // ---- handlers other nodes call (RemoteNode)

  async nodeInfo(): Promise<NodeInfo> {
    const state = this.#state
    return {
      self: state.self,
      status: state.status,
      predecessor: state.predecessor,
      successor: state.successor,
      successors: state.successors,
      fingers: state.fingers.distinct(),
      keys: state.store.keyCount,
      values: state.store.valueCount,
      tombstones: state.store.tombstoneCount,
      bits: state.space.bits,
      replicas: state.config.replicas,
      routeMode: state.config.routeMode,
      routingState: state.routingState(),
    }
  }

  async ping(): Promise<void> {
    this.#open()
  }

  async neighbors(request: NeighborsRequest = {}): Promise<Neighbors> {
    this.#open()
    const state = this.#state
    const { digestOf, notify } = request
    // A notify that fails (the candidate does not answer) changes nothing; the neighbours are still answered.
    if (notify) await membership.notify(this.#context, notify).catch(() => undefined)
    const neighbors: Neighbors = { predecessor: state.predecessor, successors: state.successors }
    if (digestOf && state.status === 'ready' && digestOf.from === state.self.id && state.holds(digestOf.to)) {
      neighbors.digest = state.store.digest(digestOf.from, digestOf.to)
    }
    // One hop: a predecessor whose table differs from ours gets ours (stabilize is the anti-entropy).
    if (request.membersDigest !== undefined && state.members && request.membersDigest !== state.members.digest()) neighbors.members = state.members.entries()
    return neighbors
  }

  async members(): Promise<Member[]> {
    this.#open()
    return this.#state.members?.entries() ?? []
  }

  async routeStep(key: Id, mode: RouteMode, withValues = false): Promise<RouteStep> {
    this.#open()
    return answerRouteStep(this.#state, key, mode, withValues)
  }

  async setSuccessor(successor: Peer, expected?: Peer): Promise<void> { this.#open(); return membership.setSuccessor(this.#context, successor, expected) }
  async setPredecessor(predecessor: Peer | null): Promise<void> { this.#open(); return membership.setPredecessor(this.#context, predecessor) }
  async notify(candidate: Peer): Promise<void> { this.#open(); return membership.notify(this.#context, candidate) }
  async join(joiner: Peer): Promise<JoinResult> { this.#open(); return membership.join(this.#context, joiner) }

  async leave(): Promise<void> {
    this.#open()
    await membership.leave(this.#context)
    this.stop()
  }

  async insert(records: StoredRecord[], role: InsertRole, copies: number): Promise<void> { this.#open(); return content.insert(this.#context, records, role, copies) }
  async get(key: Id): Promise<KeyRead> { this.#open(); return content.get(this.#context, key) }
  async delete(key: Id, value: string | undefined, copies: number, options?: DeleteOptions): Promise<number> {
    this.#open()
    return content.deleteEntries(this.#context, key, value, copies, options)
  }
  async rangeEntries(from: Id, to: Id, digest?: string): Promise<RangeAnswer> { this.#open(); return content.rangeEntries(this.#context, from, to, digest) }
  async announce(news: Announcement, limit: Id): Promise<void> { this.#open(); return announcements.receive(this.#context, news, limit) }
  async unify(candidate: Peer): Promise<void> { this.#open(); return unification.unify(this.#context, candidate) }
  async offer(candidate: Peer): Promise<void> { this.#open(); return unification.offer(this.#context, candidate) }

  // ---- client operations, coordinated by this node

  async storeValue(value: string): Promise<content.ValueResult> { this.#open(); return content.storeValue(this.#context, value) }
  async lookupValue(value: string): Promise<content.ValueResult> { this.#open(); return content.lookupValue(this.#context, value) }
  async deleteValue(value: string): Promise<content.ValueResult & { deleted: number }> { this.#open(); return content.deleteValue(this.#context, value) }

  async findOwner(key: Id, mode: RouteMode = this.#state.config.routeMode, options: { withValues?: boolean } = {}): Promise<RouteResult> {
    this.#open()
    return findOwner(this.#context, key, mode, options)
  }

  joinVia(bootstrap: Peer): Promise<JoinResult> { return membership.joinVia(this.#context, bootstrap) }

  // ---- maintenance: the same tasks whether timers, tests or the simulator run them

  /** One run of a maintenance task, exactly as its timer runs it. */
  runTask(name: TaskName): Promise<RoundOutcome> {
    return this.#tasks.get(name)!.run()
  }

  stabilize(): Promise<maintenance.StabilizeOutcome> { return maintenance.stabilize(this.#context) }
  checkPredecessor(): Promise<void> { return maintenance.checkPredecessor(this.#context) }
  fixFingers(): Promise<number> { return maintenance.fixFingers(this.#context) }

  syncReplicas(known?: maintenance.ReplicaDigest, options: { force?: boolean } = {}): Promise<boolean> {
    return maintenance.syncReplicas(this.#context, known, options)
  }

  /** Starts the maintenance timers; each task re-arms only once its previous run has finished. */
  start(options: SchedulerOptions = {}): void {
    this.#scheduler ??= new Scheduler([...this.#tasks.values()], {
      clock: this.#clock,
      onError: (task, message) => this.#context.log(`${task} failed: ${message}`),
      ...options,
    })
    this.#scheduler.start()
  }

  stop(): void {
    this.#scheduler?.stop()
  }

  /**
   * The transport saw `address` close a kept-alive connection, which a node does when it exits or
   * crashes (the client closes idle connections before the server would). A neighbour's is a hint, not
   * a verdict: maintenance checks at full speed at once, so a crash is repaired in about one period.
   */
  connectionClosed(address: { host: string; port: number }): void {
    const state = this.#state
    const at = (p: Peer | null) => p !== null && p.host === address.host && p.port === address.port
    if (state.status === 'ready' && (at(state.predecessor) || state.successors.some(at))) state.touch()
  }

  /** A node that has left (or failed to join) answers nothing more but its nodeinfo: to others it is gone. */
  #open(): void {
    if (this.#state.status === 'stopped') throw new DhtError('NODE_LEFT', `${this.#state.short(this.#state.self)} has left the ring`)
  }
}
