// One Chord node as the rest of the program sees it: its handlers and client operations (NodeHandlers,
// in the node's base context), its state as read-only getters, and the maintenance schedule. A thin
// facade: each step lives in its own module (routing, membership, content, maintenance) over one
// NodeState, and other nodes are reached only through the Transport, so the same code runs between
// processes and in one.
import type { NodeConfig } from '../config.js'
import type { IdSpace } from '../ring.js'
import { NodeContext } from './context.js'
import * as maintenance from './maintenance.js'
import { NodeHandlers } from './node-handlers.js'
import * as unification from './unification.js'
import { NodeState, type Logger } from './node-state.js'
import { Scheduler, systemClock, type Clock, type RoundOutcome, type SchedulerOptions, type Task } from './scheduler.js'
import type { Transport } from '../api/transport.js'
import { sameNode, type CallScope, type NodeStatus, type Peer } from './types.js'

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

// One function for all nodes, not a closure each (a simulation holds millions of nodes).
/** Every node's own handlers in a context of its own. */
const localHandlers = (within: NodeContext) => new NodeHandlers(within)
const silent: Logger = () => {}
/** Each clock's now() as a plain function, made once per clock. */
const readers = new WeakMap<Clock, () => number>()
function readerOf(clock: Clock): () => number {
  let read = readers.get(clock)
  if (!read) readers.set(clock, (read = () => clock.now()))
  return read
}

export interface NodeOptions {
  /** Time for versions, tombstone expiry and the maintenance timers; simulations pass their own. */
  clock?: Clock
}

export class ChordNode extends NodeHandlers {
  readonly #state: NodeState
  readonly #context: NodeContext
  readonly #clock: Clock
  /** Made on first use (a round run or the timers started): a simulated node that only routes needs none. */
  #tasks: ReadonlyMap<TaskName, Task> | undefined
  #scheduler: Scheduler | undefined

  constructor(self: Peer, space: IdSpace, transport: Transport, config: NodeConfig, log: Logger = silent, options: NodeOptions = {}) {
    const clock = options.clock ?? systemClock
    const state = new NodeState(self, space, config, readerOf(clock))
    const context = new NodeContext(state, transport, localHandlers, log)
    super(context)
    this.#clock = clock
    this.#state = state
    this.#context = context
  }

  /** The maintenance tasks, each a round exactly as its timer runs it. */
  #taskMap(): ReadonlyMap<TaskName, Task> {
    if (this.#tasks) return this.#tasks
    const state = this.#state
    const context = this.#context
    const config = state.config
    // A round that changed no pointer and found nothing to do is quiet: its task may wait longer next time.
    // A round run on behalf of a scope (tracing: a trace of its own) makes its calls within it.
    const task = (name: TaskName, periodMs: number, maxFactor: number | undefined, run: (round: NodeContext) => Promise<boolean | void>): [TaskName, Task] => [
      name,
      {
        name,
        periodMs,
        ...(maxFactor ? { maxPeriodMs: maxFactor * periodMs } : {}),
        run: async (scope?: CallScope) => {
          // A node that stopped (left, failed to join, crashed in a simulation) does no more rounds.
          if (state.status === 'stopped') return 'quiet'
          const before = state.changes
          const busy = await run(scope ? context.within(scope) : context)
          return busy === true || state.changes !== before ? 'changed' : 'quiet'
        },
      },
    ]
    this.#tasks = new Map<TaskName, Task>([
      // Replica sync rides on stabilize: the fingerprint stabilize brought says whether there is anything to copy.
      task('stabilize', config.stabilizeIntervalMs, STABILIZE_BACKOFF, async (round) => {
        const learned = await maintenance.stabilize(round)
        return state.status === 'ready' ? maintenance.syncReplicas(round, learned.replicaDigest) : false
      }),
      task('check_predecessor', config.checkPredecessorIntervalMs, CHECK_PREDECESSOR_BACKOFF, (round) => maintenance.checkPredecessor(round)),
      task('fix_fingers', config.fingerIntervalMs, FINGER_BACKOFF, async (round) => (await maintenance.fixFingers(round)) > 0),
      // Every other stabilize period: a healed partition is noticed within seconds (each peer backs off on its own).
      task('retry_unreachable', 2 * config.stabilizeIntervalMs, RETRY_BACKOFF, (round) => unification.retryUnreachable(round)),
    ])
    return this.#tasks
  }

  get self(): Peer { return this.#state.self }
  get space(): IdSpace { return this.#state.space }
  get config(): NodeConfig { return this.#state.config }
  get store() { return this.#state.store }
  get fingers() { return this.#state.fingers }
  /** One-hop mode: the live nodes of the member table (every node of the ring as this node knows it); 0 in other modes. */
  get liveMembers(): number { return this.#state.members?.alive().length ?? 0 }
  get successor(): Peer { return this.#state.successor }
  get successors(): Peer[] { return this.#state.successors }
  get predecessor(): Peer | null { return this.#state.predecessor }
  get status(): NodeStatus { return this.#state.status }

  /**
   * Takes the pointers a settled ring gives this node, without a message: how a simulator starts from a
   * converged ring of millions (as the Chord paper's simulator does) instead of running N joins. Nothing
   * else changes (the fingers are set on the table); a process never calls this.
   */
  assumeSettled(predecessor: Peer | null, successors: readonly Peer[]): void {
    const state = this.#state
    state.predecessor = predecessor && !sameNode(predecessor, state.self) ? predecessor : null
    const [first, ...rest] = successors
    state.setSuccessors(first ?? state.self, rest)
  }

  // ---- maintenance: the same tasks whether timers, tests or the simulator run them

  /** One run of a maintenance task, exactly as its timer runs it. */
  runTask(name: TaskName, scope?: CallScope): Promise<RoundOutcome> {
    return this.#taskMap().get(name)!.run(scope)
  }

  stabilize(): Promise<maintenance.StabilizeOutcome> { return maintenance.stabilize(this.#context) }
  checkPredecessor(): Promise<void> { return maintenance.checkPredecessor(this.#context) }
  fixFingers(): Promise<number> { return maintenance.fixFingers(this.#context) }

  syncReplicas(known?: maintenance.ReplicaDigest, options: { force?: boolean } = {}): Promise<boolean> {
    return maintenance.syncReplicas(this.#context, known, options)
  }

  /** Starts the maintenance timers; each task re-arms only once its previous run has finished. */
  start(options: SchedulerOptions = {}): void {
    if (!this.#scheduler) {
      this.#scheduler = new Scheduler([...this.#taskMap().values()], {
        clock: this.#clock,
        onError: (task, message) => this.#context.log(`${task} failed: ${message}`),
        ...options,
      })
      // Any change or failure: every task back to its period at once (with no timers there is nothing to hurry).
      this.#state.onChange = () => this.#scheduler?.snapBack()
      // A node that has left runs no more rounds.
      this.#state.onStop = () => this.stop()
    }
    this.#scheduler.start()
  }

  stop(): void {
    this.#scheduler?.stop()
  }

  /** Each maintenance task's wait now: its period, or longer after quiet rounds; before start, its period. */
  taskPeriods(): Array<{ task: TaskName; periodMs: number }> {
    return [...this.#taskMap().values()].map((task) => ({ task: task.name as TaskName, periodMs: this.#scheduler?.periodOf(task.name) ?? task.periodMs }))
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
}
