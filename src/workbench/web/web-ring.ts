// make web's hold on the ring: the state file read without its lock (a request never waits for a tool),
// a RingClient per (bits, secret, node implementation, AUTH=) so a ring rebooted behind its back gets a
// fresh one, with the client that knows the ring beside each (its copy of the membership outlives a request), the snapshot the page polls (one in flight, shared by every tab), the nodes a trace is asked of,
// the messages a departed node took along, and the changes (add, leave, crash, faults) run one at a
// time, as they would from one terminal. Everything it knows comes from the nodes' own HTTP API.
import { DhtError } from '../../node/errors.js'
import type { Message } from '../../node/trace/messages.js'
import type { Address } from '../../node/transport/http-client.js'
import type { AuthMode, Impl } from '../../node/settings.js'
import type { Json } from '../../node/wire.js'
import { isAlive, NetworkStateFile, type Machine, type NetworkState, type ProcessRecord } from '../../tools/network-state.js'
import { DirectClient } from '../../tools/direct-client.js'
import { RingClient } from '../../tools/ring-client.js'
import { ringFindings } from '../../tools/ring-health.js'
import { portList } from '../../tools/output.js'
import { takeSnapshot } from '../../tools/ring-snapshot.js'
import { snapshotJson } from '../terminal/monitor-view.js'
import { readPlans } from './fault-api.js'
import { PlanBook } from './fault-view.js'
import { pageView } from './ring-view.js'

/** Leaves whose departed node's messages are kept for /api/trace. */
const MAX_DEPARTED_TRACES = 20

export interface WebRingOptions {
  /** The ring's state directory (network.json); undefined: ./state. */
  stateDir: string | undefined
  /** Where nodes added from the page listen. */
  machine: Partial<Machine> | undefined
  /** Per-request timeout towards the nodes, so one hung node cannot stall the page. */
  nodeTimeoutMs: number
}

export class WebRing {
  readonly file: NetworkStateFile
  /** The nodes' fault plans as last read: each poll reads those due (fault-api.ts), each action records its answers. */
  readonly plans = new PlanBook()
  readonly #nodeTimeoutMs: number
  /** The secret stays on this side; the page never sees it. */
  readonly #clients = new Map<string, RingClient>()
  readonly #directs = new WeakMap<RingClient, DirectClient>()
  /** The nodes the page's last snapshot found (recorded, and found by walking successors): a trace is asked of each. */
  #snapshotNodes: Address[] = []
  #snapshotInFlight: Promise<Json> | undefined
  #queue: Promise<unknown> = Promise.resolve()
  /** The messages of a leave that its node took along when it exited, by trace id; the newest few. */
  readonly #departed = new Map<string, Message[]>()

  constructor(options: WebRingOptions) {
    this.file = new NetworkStateFile(options.stateDir, options.machine)
    this.#nodeTimeoutMs = options.nodeTimeoutMs
  }

  /** The recorded ring without the processes that died behind the tools' back (left out here, in memory; the tools prune the file). */
  open(): { state: NetworkState; client: RingClient } {
    const recorded = this.file.requireRing()
    const state = { ...recorded, processes: recorded.processes.filter((p) => isAlive(p.pid)) }
    return { state, client: this.#clientFor(state.settings.bits, this.file.readSecret(), state.settings.impl, state.settings.auth) }
  }

  /** The client that knows the ring: straight to a key's owner, its copy starting from the recorded nodes. */
  direct(client: RingClient, state: NetworkState): DirectClient {
    let direct = this.#directs.get(client)
    if (!direct) this.#directs.set(client, (direct = new DirectClient(client, { seeds: () => this.open().state.processes, routeMode: state.settings.routeMode })))
    return direct
  }

  #clientFor(bits: number, secret: string | undefined, impl: Impl, auth: AuthMode): RingClient {
    const key = `${bits}/${secret ?? ''}/${impl}/${auth}`
    let client = this.#clients.get(key)
    if (!client) this.#clients.set(key, (client = new RingClient(bits, { timeoutMs: this.#nodeTimeoutMs, secret, impl, auth })))
    return client
  }

  /** GET /api/ring: one snapshot in flight at a time, so that several tabs polling share it. */
  view(): Promise<Json> {
    this.#snapshotInFlight ??= (async () => {
      const { state, client } = this.open()
      const snapshot = await takeSnapshot(client, state, { content: true })
      this.#snapshotNodes = snapshot.nodes.filter((n) => n.info).map((n) => ({ host: n.host, port: n.port }))
      // The lab node has no fault injection: no plans to read.
      if (state.settings.impl !== 'lab') await readPlans(client, snapshot.nodes, this.plans)
      return pageView(snapshotJson(snapshot, client, ringFindings(snapshot)), snapshot.bits, state, this.plans)
    })().finally(() => {
      this.#snapshotInFlight = undefined
    })
    return this.#snapshotInFlight
  }

  /** A change to the ring, after the ones before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work)
    this.#queue = next.catch(() => {})
    return next
  }

  /** The node on `port`, or a random one; 404 NOT_FOUND for a port of no node, 503 when none runs. */
  pickNode(state: NetworkState, port: number | undefined): ProcessRecord {
    if (port === undefined) {
      if (state.processes.length === 0) throw new DhtError('UNAVAILABLE', 'no recorded node process is alive: run make boot')
      return state.processes[Math.floor(Math.random() * state.processes.length)]!
    }
    const found = state.processes.find((p) => p.port === port)
    if (!found) throw new DhtError('NOT_FOUND', `no running node of this ring on port ${port}; ports: ${portList(state.processes.map((p) => p.port)) || 'none'}`)
    return found
  }

  /** Every node a trace may have touched: the recorded processes and the last snapshot's nodes. */
  traceNodes(state: NetworkState): Address[] {
    const byAddress = new Map<string, Address>()
    for (const n of [...state.processes, ...this.#snapshotNodes]) byAddress.set(`${n.host}:${n.port}`, { host: n.host, port: n.port })
    return [...byAddress.values()]
  }

  /** Keeps what a leaving node logged of its leave (its log goes with it). */
  keepDeparted(traceId: string, messages: Message[]): void {
    this.#departed.set(traceId, messages)
    for (const old of this.#departed.keys()) if (this.#departed.size > MAX_DEPARTED_TRACES) this.#departed.delete(old)
  }

  departed(traceId: string): Message[] | undefined {
    return this.#departed.get(traceId)
  }

  close(): void {
    for (const client of this.#clients.values()) client.close()
  }
}
