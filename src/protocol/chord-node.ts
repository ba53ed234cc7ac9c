// One Chord node as the rest of the program sees it: the handlers other nodes call (RemoteNode), the
// client operations (STORE, LOOKUP, delete, findNode) and the maintenance schedule. A thin facade: each
// step lives in its own module (routing, membership, content, maintenance) over one NodeState, and
// other nodes are reached only through the Transport, so the same code runs between processes and in one.
import type { NodeConfig, RouteMode } from '../config.js'
import type { Id, IdSpace } from '../ring.js'
import * as content from './content.js'
import { NodeContext } from './context.js'
import * as maintenance from './maintenance.js'
import * as membership from './membership.js'
import { NodeState, type Logger } from './node-state.js'
import type { RemoteNode } from './remote.js'
import { answerRouteStep, findOwner, type RouteResult } from './routing.js'
import { Scheduler, type SchedulerOptions, type Task } from './scheduler.js'
import type { Entry, InsertRole, JoinResult, KeyRange, Neighbors, NodeInfo, NodeStatus, Peer, RangeAnswer, RouteStep, Transport } from './types.js'

export type { Logger } from './node-state.js'
export type { RouteResult } from './routing.js'
export type { ValueResult } from './content.js'

/** The maintenance tasks by name, as the scheduler runs them and the simulator drives them. */
export type TaskName = 'stabilize' | 'check_predecessor' | 'fix_fingers'

export class ChordNode implements RemoteNode {
  readonly #state: NodeState
  readonly #context: NodeContext
  readonly #tasks: ReadonlyMap<TaskName, Task>
  #scheduler: Scheduler | undefined

  constructor(self: Peer, space: IdSpace, transport: Transport, config: NodeConfig, log: Logger = () => {}) {
    this.#state = new NodeState(self, space, config)
    this.#context = new NodeContext(this.#state, transport, this, log)
    const context = this.#context
    const state = this.#state
    const task = (name: TaskName, periodMs: number, run: () => Promise<unknown>): [TaskName, Task] => [
      name,
      // A node that stopped (left, failed to join, crashed in a simulation) does no more rounds.
      { name, periodMs, run: async () => void (state.status === 'stopped' ? undefined : await run()) },
    ]
    this.#tasks = new Map<TaskName, Task>([
      // Replica sync rides on stabilize: the fingerprint stabilize brought says whether there is anything to copy.
      task('stabilize', config.stabilizeIntervalMs, async () => {
        const learned = await maintenance.stabilize(context)
        if (state.status === 'ready') await maintenance.syncReplicas(context, learned.replicaDigest)
      }),
      task('check_predecessor', config.checkPredecessorIntervalMs, () => maintenance.checkPredecessor(context)),
      task('fix_fingers', config.fingerIntervalMs, () => maintenance.fixFingers(context)),
    ])
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
      bits: state.space.bits,
      replicas: state.config.replicas,
      routeMode: state.config.routeMode,
    }
  }

  async ping(): Promise<void> {}

  async neighbors(digestOf?: KeyRange): Promise<Neighbors> {
    const state = this.#state
    const neighbors: Neighbors = { predecessor: state.predecessor, successors: state.successors }
    if (digestOf && state.status === 'ready' && digestOf.from === state.self.id && state.holds(digestOf.to)) {
      neighbors.digest = state.store.digest(digestOf.from, digestOf.to)
    }
    return neighbors
  }

  async routeStep(key: Id, mode: RouteMode, withValues = false): Promise<RouteStep> {
    return answerRouteStep(this.#state, key, mode, withValues)
  }

  setSuccessor(successor: Peer): Promise<void> { return membership.setSuccessor(this.#context, successor) }
  setPredecessor(predecessor: Peer | null): Promise<void> { return membership.setPredecessor(this.#context, predecessor) }
  notify(candidate: Peer): Promise<void> { return membership.notify(this.#context, candidate) }
  join(joiner: Peer): Promise<JoinResult> { return membership.join(this.#context, joiner) }

  async leave(): Promise<void> {
    await membership.leave(this.#context)
    this.stop()
  }

  insert(entries: Entry[], role: InsertRole, copies: number): Promise<void> { return content.insert(this.#context, entries, role, copies) }
  get(key: Id): Promise<string[]> { return content.get(this.#context, key) }
  delete(key: Id, value: string | undefined, copies: number): Promise<number> { return content.deleteEntries(this.#context, key, value, copies) }
  rangeEntries(from: Id, to: Id, digest?: string): Promise<RangeAnswer> { return content.rangeEntries(this.#context, from, to, digest) }

  // ---- client operations, coordinated by this node

  storeValue(value: string): Promise<content.ValueResult> { return content.storeValue(this.#context, value) }
  lookupValue(value: string): Promise<content.ValueResult> { return content.lookupValue(this.#context, value) }
  deleteValue(value: string): Promise<content.ValueResult & { deleted: number }> { return content.deleteValue(this.#context, value) }

  findOwner(key: Id, mode: RouteMode = this.#state.config.routeMode, options: { withValues?: boolean } = {}): Promise<RouteResult> {
    return findOwner(this.#context, key, mode, options)
  }

  joinVia(bootstrap: Peer): Promise<JoinResult> { return membership.joinVia(this.#context, bootstrap) }

  // ---- maintenance: the same tasks whether timers, tests or the simulator run them

  /** One run of a maintenance task, exactly as its timer runs it. */
  runTask(name: TaskName): Promise<void> {
    return this.#tasks.get(name)!.run()
  }

  stabilize(): Promise<maintenance.StabilizeOutcome> { return maintenance.stabilize(this.#context) }
  checkPredecessor(): Promise<void> { return maintenance.checkPredecessor(this.#context) }
  fixFingers(): Promise<void> { return maintenance.fixFingers(this.#context) }

  syncReplicas(known?: maintenance.ReplicaDigest, options: { force?: boolean } = {}): Promise<void> {
    return maintenance.syncReplicas(this.#context, known, options)
  }

  /** Starts the maintenance timers; each task re-arms only once its previous run has finished. */
  start(options: SchedulerOptions = {}): void {
    this.#scheduler ??= new Scheduler([...this.#tasks.values()], {
      onError: (task, message) => this.#context.log(`${task} failed: ${message}`),
      ...options,
    })
    this.#scheduler.start()
  }

  stop(): void {
    this.#scheduler?.stop()
  }
}
