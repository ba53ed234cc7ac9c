// One explored run: a fresh ring of a scenario, and the choices that drive it one step at a time. A
// choice is a line of text (deliver a message, lose one, fire a node's maintenance task, or a scenario
// event: a join, a leave, a crash, a store, a delete), so a run is replayed from its list of choices,
// shrunk by deleting lines, and written to a file. After each choice the protocol runs until nothing
// moves (every message it sends then waits in flight for the checker), so runs interleave at message
// granularity. The state's hash covers the nodes, the messages in flight and the work waiting on them.
import { createHash } from 'node:crypto'
import { isDhtError } from '../../node/errors.js'
import type { CallScope, Peer } from '../../node/protocol/types.js'
import { IdSpace } from '../../node/ring.js'
import { Wire } from '../../node/wire.js'
import type { NodeView } from '../../tools/ring-invariants.js'
import { memberViews } from '../../tools/zave-invariants.js'
import { eventChoices, flightLabel, parseChoice, taskChoices, type ValueProgress } from './choices.js'
import { ControlledNetwork, type Flight } from './network.js'
import type { NodeOptions, ProtocolNode, SeededBug, Variant } from './protocol-node.js'
import { CHECK_BITS, placeNodes, valueInRange, type Scenario } from './scenarios.js'
import { TraceRecord } from './trace-record.js'

export interface WorldOptions {
  variant: Variant
  scenario: Scenario
  nodes: number
  /** Successor list length (and copies of each value, today). */
  replicas: number
  /** The checker may lose messages too. */
  loss: boolean
  bug?: SeededBug
  /** Log every message for the diagrams (a counterexample's replay); off while searching. */
  record?: boolean
}

/** A client operation or a join in progress, and how it ended. */
export interface Operation {
  status: 'running' | 'done' | 'failed'
  outcome: string
  /** The node that runs it: if it crashes, its client's connection breaks. */
  port: number
  spanId?: string
}

export class World {
  readonly options: WorldOptions
  readonly space = new IdSpace(CHECK_BITS)
  readonly wire = new Wire(this.space)
  readonly trace: TraceRecord
  readonly network: ControlledNetwork
  /** Every node by its place in id order; undefined until it joins. */
  readonly peers: Peer[]
  readonly nodes: Array<ProtocolNode | undefined>
  readonly values: string[]
  readonly tasks: readonly string[]
  readonly operations = new Map<string, Operation>()
  /** Maintenance rounds in progress: "stabilize @5001". */
  readonly running = new Set<string>()
  /** The choices taken so far, one per step. */
  readonly taken: string[] = []
  crashes = 0
  /** The live nodes' views, until the next step changes them. */
  #views: NodeView[] | undefined

  constructor(options: WorldOptions) {
    this.options = options
    this.trace = new TraceRecord({ recording: options.record === true })
    this.network = new ControlledNetwork(this.trace, this.wire)
    this.peers = placeNodes(options.nodes)
    this.nodes = this.peers.map(() => undefined)
    this.values = options.scenario.valuesAt(options.nodes).map((place) => valueInRange(this.peers, place))
    this.tasks = options.scenario.tasks ?? ['stabilize', 'check_predecessor']
    const ring = options.scenario.initial(options.nodes).map((place) => this.#create(place))
    options.variant.converge(ring, this.#nodeOptions())
    // Step 0 in the diagrams, so their time column counts steps.
    const names = ring.map((node) => `@${node.self.port}`)
    this.#clientMessage(ring[0]!.self, 'start', `the scenario starts from the ring ${[...names, names[0]].join(' → ')}`, true)
  }

  get step(): number {
    return this.taken.length
  }

  #nodeOptions(): NodeOptions {
    return { replicas: this.options.replicas, bits: CHECK_BITS, ...(this.options.bug ? { bug: this.options.bug } : {}) }
  }

  #create(place: number): ProtocolNode {
    const peer = this.peers[place]!
    const node = this.options.variant.create(peer, this.network.endpoint(peer), this.#nodeOptions())
    this.network.add(peer, node)
    this.nodes[place] = node
    return node
  }

  /** Nodes that exist and have not crashed. */
  live(): ProtocolNode[] {
    return this.nodes.filter((node): node is ProtocolNode => node !== undefined && !this.network.isCrashed(node.self))
  }

  views(): NodeView[] {
    this.#views ??= this.live().map((node) => node.view())
    return this.#views
  }

  /** The smallest live member that is ready: where joins and client operations enter the ring. */
  entry(): ProtocolNode | undefined {
    const members = memberViews(this.views())
    return this.live().find((node) => node.status === 'ready' && members.has(node.self.id))
  }

  valueProgress(value: string): ValueProgress {
    const of = (label: string) => this.operations.get(label)?.status
    return { store: of(`store "${value}"`), delete: of(`delete "${value}"`) }
  }

  /** The choices the search branches over here. */
  enabled(): string[] {
    const flights = this.network.inFlight
    const deliveries = this.#flightChoices(flights, 'deliver')
    return [...deliveries, ...(this.options.loss ? this.#flightChoices(flights, 'lose') : []), ...taskChoices(this), ...eventChoices(this)]
  }

  #flightChoices(flights: readonly Flight[], verb: 'deliver' | 'lose'): string[] {
    const seen = new Map<string, number>()
    return flights.map((flight) => {
      const label = `${verb} ${flightLabel(flight)}`
      const nth = seen.get(label) ?? 0
      seen.set(label, nth + 1)
      return nth === 0 ? label : `${label} #${nth + 1}`
    })
  }

  /** Takes one step, then lets the protocol run until it waits on the network again. */
  async apply(choice: string): Promise<void> {
    this.#views = undefined
    this.network.step = this.step + 1
    const parsed = parseChoice(choice)
    // A replayed or shrunk run may name a choice this state does not offer (a crash Zave's rule forbids here).
    // Deliveries are checked as they are found, tasks just below (a run's end fires repairs the search does not branch over).
    const offered = parsed.kind !== 'event' || parsed.verb === 'lookup' || this.enabled().includes(choice)
    if (!offered) throw new RangeError(`"${choice}" is not possible now`)
    if (parsed.kind === 'deliver' || parsed.kind === 'lose') {
      const matching = this.network.inFlight.filter((f) => flightLabel(f) === parsed.label)
      const flight = matching[parsed.nth]
      if (!flight) throw new RangeError(`no message in flight for "${choice}"`)
      if (parsed.kind === 'deliver') this.network.deliver(flight)
      else this.network.lose(flight)
    } else if (parsed.kind === 'task') {
      const node = this.#nodeAt(parsed.port)
      const key = `${parsed.task} @${parsed.port}`
      const runs = node.status === 'ready' || node.status === 'leaving'
      if (!runs || this.running.has(key) || !this.options.variant.tasks.includes(parsed.task)) throw new RangeError(`"${choice}" cannot run now`)
      this.running.add(key)
      const span = this.trace.span(key, undefined, parsed.task)
      node.runTask(parsed.task, this.trace.scopeOf(span)).then(
        () => this.#roundOver(key),
        (error: unknown) => {
          if (!isDhtError(error)) this.network.thrown.push(`${key} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
          this.#roundOver(key)
        },
      )
    } else {
      this.#event(parsed.verb, parsed.subject, choice)
    }
    this.taken.push(choice)
    // Nothing in the protocol waits on a timer here: once the microtasks run out, every live thread waits on a message.
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.#views = undefined
  }

  #roundOver(key: string): void {
    this.running.delete(key)
    this.network.activity++
  }

  #nodeAt(port: number): ProtocolNode {
    const node = this.nodes.find((n) => n?.self.port === port)
    if (!node || this.network.isCrashed(node.self)) throw new RangeError(`no live node @${port}`)
    return node
  }

  #event(verb: string, subject: string, choice: string): void {
    if (this.operations.has(choice) && verb !== 'crash') throw new RangeError(`"${choice}" happened already`)
    if (verb === 'crash') {
      const node = this.#nodeAt(Number(subject.slice(1)))
      this.crashes++
      this.#clientMessage(node.self, 'crash', 'crash: the node stops at once, without a word', true)
      this.network.crash(node.self)
      for (const key of [...this.running]) if (key.endsWith(` ${subject}`)) this.running.delete(key)
      for (const op of this.operations.values()) {
        if (op.status === 'running' && op.port === node.self.port) this.#operationOver(op, 'failed', 'PEER_UNREACHABLE')
      }
      this.operations.set(choice, { status: 'done', outcome: 'crashed', port: node.self.port })
      return
    }
    const run = (target: ProtocolNode, route: string, summary: string, work: (scope: CallScope) => Promise<unknown>) => {
      const span = this.#clientMessage(target.self, route, summary, false)
      const operation: Operation = { status: 'running', outcome: '', port: target.self.port, spanId: span.id }
      this.operations.set(choice, operation)
      work(this.trace.scopeOf(span)).then(
        (result) => this.#operationOver(operation, 'done', verb === 'lookup' ? (result ? 'found' : 'NOT_FOUND') : 'ok'),
        (error: unknown) => this.#operationOver(operation, 'failed', isDhtError(error) ? error.code : String(error)),
      )
    }
    if (verb === 'join') {
      const place = this.peers.findIndex((p) => `@${p.port}` === subject)
      const bootstrap = this.entry()
      if (place < 0 || this.nodes[place] || !bootstrap) throw new RangeError(`"${choice}" cannot happen now`)
      const node = this.#create(place)
      run(node, 'join', `join through @${bootstrap.self.port}`, (scope) => node.join(bootstrap.self, scope))
      return
    }
    if (verb === 'leave') {
      const node = this.#nodeAt(Number(subject.slice(1)))
      run(node, 'leave', 'leave', (scope) => node.leave(scope))
      return
    }
    const entry = this.entry()
    if (!entry) throw new RangeError(`no ready node for "${choice}"`)
    const value = JSON.parse(subject) as string
    if (verb === 'store') run(entry, 'store', `store "${value}"`, (scope) => entry.store(value, scope))
    else if (verb === 'delete') run(entry, 'delete', `delete "${value}"`, (scope) => entry.remove(value, scope))
    else if (verb === 'lookup') run(entry, 'lookup', `lookup "${value}"`, (scope) => entry.lookup(value, scope))
    else throw new RangeError(`unknown choice "${choice}"`)
  }

  #operationOver(operation: Operation, status: 'done' | 'failed', outcome: string): void {
    if (operation.status !== 'running') return // its node crashed first: the client saw its connection break
    operation.status = status
    operation.outcome = outcome
    if (operation.spanId) this.trace.answered(operation.spanId, this.network.step, () => ({ status: status === 'done' ? 200 : null, summary: outcome, ...(status === 'failed' ? { error: outcome } : {}) }))
    this.network.activity++
  }

  /** The checker's own message to a node (a client's request, or the crash), drawn on the client's lane. */
  #clientMessage(to: Peer, route: string, summary: string, answered: boolean) {
    const span = this.trace.span(`${route}@${to.port}`)
    this.trace.sent(span, null, this.wire.peer(to), { method: 'POST', path: `/${route}` }, () => summary, this.network.step)
    this.trace.handled(span.id, this.network.step)
    if (answered) this.trace.answered(span.id, this.network.step, () => ({ status: 200, summary }))
    return span
  }

  /** The explored state: nodes, messages in flight with whom they work for, waiting handlers, rounds and operations. */
  hash(): string {
    const ancestry = (f: Flight) => f.span.path
    const flights = this.network.inFlight.map((f) => `${flightLabel(f)} ${json(f.request)} ${f.outcome ? (f.outcome.ok ? json(f.outcome.value) : f.outcome.error.code) : ''} ${ancestry(f)}`).sort()
    const handling = this.network.handling.map((f) => `${f.rpc} @${f.callee.port} ${ancestry(f)}`).sort()
    const nodes = this.nodes.map((node) => (!node ? '_' : this.network.isCrashed(node.self) ? 'X' : node.digest()))
    const operations = [...this.operations].map(([label, op]) => `${label}=${op.status}:${op.outcome}`).sort()
    const text = [nodes.join('\n'), flights.join('\n'), handling.join('\n'), [...this.running].sort().join(','), operations.join(',')].join('\n#\n')
    return createHash('sha1').update(text).digest('base64').slice(0, 22)
  }
}

/** JSON with ids (bigints) as text: the canonical form of a message's content. */
export function json(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v)) ?? 'undefined'
}
