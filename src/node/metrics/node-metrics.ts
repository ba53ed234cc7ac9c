// What a node counts and shows at GET /metrics: the families (requests handled and calls made by route
// and status, their durations, peer failures, maintenance rounds) that the server wrapper, the
// Transport wrapper and the scheduler's task wrapper bump as they go, and the gauges read from the
// node's state at each scrape (content, routing state, periods, the ring's estimated size, the message
// log, the span exporter). The protocol never sees any of it.
import { allRoutes } from '../api/openapi.js'
import type { ChordNode } from '../protocol/chord-node.js'
import type { NodeInfo } from '../protocol/types.js'
import type { IdSpace, Id } from '../ring.js'
import type { MessageLog } from '../trace/message-log.js'
import type { ExportStats } from '../trace/span-export.js'
import { Registry, type Counter, type CounterSeries, type Gauge, type Histogram, type HistogramSeries } from './exposition.js'

/** Where the scrape-time gauges come from, known once the node is made. */
export interface MetricsSources {
  node: ChordNode
  /** With VNODES=v, every virtual node of the process (node first): content and routing state are summed over them. */
  vnodes?: readonly ChordNode[]
  messages: MessageLog
  /** The OTLP exporter's counts, when spans leave the node. */
  exports?: () => ExportStats
}

/** A call that got no answer: the peer is gone or slow. */
export type PeerFailure = 'timeout' | 'unreachable'

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE'])
/** Every path the API declares: anything else is counted as one route, so a scan of odd URLs adds no series. */
const ROUTES = new Set(allRoutes().map((route) => route.path))
const OTHER = 'other'

export function routeLabel(path: string): string {
  return ROUTES.has(path) ? path : OTHER
}

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : OTHER
}

export class NodeMetrics {
  /** Paused (PUT /metrics): nothing is counted, so one ring can measure what counting costs. */
  counting = true
  // Families render in the order they are made here (field initializers run in order, registry first).
  readonly registry = new Registry()
  readonly #requests = this.registry.counter('chord_requests_total', 'Requests this node handled, by method, route and the status it answered.', ['method', 'route', 'status'])
  readonly #requestSeconds = this.registry.histogram('chord_request_duration_seconds', 'How long this node took to answer a request, in seconds.', ['method', 'route'])
  readonly #calls = this.registry.counter('chord_calls_total', 'Calls this node made to other nodes, by method, route and the status of the answer (no_answer: none came).', ['method', 'route', 'status'])
  readonly #callSeconds = this.registry.histogram('chord_call_duration_seconds', 'How long a call to another node took, answer or failure, in seconds.', ['method', 'route'])
  readonly #peerFailures = this.registry.counter('chord_peer_failures_total', 'Calls to another node that got no answer: it timed out or could not be reached.', ['method', 'route', 'reason'])
  readonly #rounds = this.registry.counter('chord_maintenance_rounds_total', 'Maintenance rounds run, by task and what they found (changed, quiet or failed).', ['task', 'outcome'])
  readonly #period = this.registry.gauge('chord_maintenance_period_seconds', "Each maintenance task's wait now: its period, or longer after quiet rounds.", ['task'])
  readonly #keys = this.registry.gauge('chord_keys', 'Keys with at least one live value held here (owned or copies).')
  readonly #values = this.registry.gauge('chord_values', 'Live values held here (owned or copies).')
  readonly #tombstones = this.registry.gauge('chord_tombstones', 'Deleted values remembered here until their grace period ends.')
  readonly #bytes = this.registry.gauge('chord_value_bytes', 'UTF-8 bytes of the values held here, live ones and those tombstones keep.', ['state'])
  readonly #routing = this.registry.gauge('chord_routing_entries', 'Nodes routing state names: successors, predecessor, distinct fingers and, one-hop, every member.')
  readonly #routingBytes = this.registry.gauge('chord_routing_bytes', 'The routing state as JSON, in bytes.')
  readonly #successors = this.registry.gauge('chord_successors', 'Length of the successor list.')
  readonly #fingers = this.registry.gauge('chord_fingers', 'Distinct nodes in the finger table.')
  readonly #predecessor = this.registry.gauge('chord_predecessor_known', '1 when the node knows a predecessor, else 0.')
  readonly #members = this.registry.gauge('chord_members', 'One-hop mode: live members in the member table (0 in other modes).')
  readonly #ringSize = this.registry.gauge('chord_ring_size_estimate', "The ring's size as this node estimates it from its successor list's id spacing.")
  readonly #logMessages = this.registry.gauge('chord_message_log_messages', 'Messages held in the message log.')
  readonly #logCapacity = this.registry.gauge('chord_message_log_capacity_messages', 'Messages the message log holds at most (0: no log, no tracing).')
  readonly #logRecording = this.registry.gauge('chord_message_log_recording', '1 while the message log records, else 0.')
  readonly #exportQueue = this.registry.gauge('chord_otlp_queue_spans', 'Spans waiting to be exported over OTLP.')
  readonly #exported = this.registry.counter('chord_otlp_spans_exported_total', 'Spans the OTLP collector accepted.')
  readonly #dropped = this.registry.counter('chord_otlp_spans_dropped_total', 'Spans dropped: the queue was full (queue_full) or the collector failed or was too slow (export_failed).', ['reason'])
  readonly #info = this.registry.gauge('chord_node_info', 'This node: 1, with its id, address and routing mode as labels (one series per virtual node with VNODES).', ['id', 'host', 'port', 'mode'])
  readonly #rss = this.registry.gauge('process_resident_memory_bytes', 'Resident memory of the node process, in bytes.')
  readonly #heap = this.registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.')
  readonly #started = this.registry.gauge('process_start_time_seconds', 'When the node process started, in seconds since the epoch.')
  readonly #cpuSeconds = this.registry.counter('process_cpu_seconds_total', 'CPU time the node process used, user and system, in seconds.')
  /** CPU seconds counted so far: each scrape adds what was used since. */
  #cpuCounted = 0
  #sources: MetricsSources | undefined

  /** The node's state to read at each scrape, once the node exists. */
  watch(sources: MetricsSources): void {
    this.#sources = sources
  }

  /** Each declared route's series, by method and path: found once, then every request bumps them directly. */
  readonly #requestRoutes = new Map<string, RouteSeries>()
  readonly #callRoutes = new Map<string, RouteSeries>()

  request(method: string, path: string, status: number, seconds: number): void {
    const key = method + path
    let series = this.#requestRoutes.get(key)
    if (!series) {
      const route = routeLabel(path)
      const verb = methodLabel(method)
      series = new RouteSeries(this.#requests, this.#requestSeconds, verb, route)
      // Only declared routes are kept by their raw method and path: a scan of odd URLs must not grow the map.
      if (route !== OTHER && verb === method) this.#requestRoutes.set(key, series)
    }
    series.status(status).inc()
    series.seconds.observe(seconds)
  }

  /** One call to another node (its RPC's method and path): `outcome` is the answer's status, or why none came. */
  call(method: string, path: string, outcome: number | PeerFailure, seconds: number): void {
    const key = method + path
    let series = this.#callRoutes.get(key)
    if (!series) this.#callRoutes.set(key, (series = new RouteSeries(this.#calls, this.#callSeconds, method, path)))
    series.status(typeof outcome === 'number' ? outcome : 'no_answer').inc()
    series.seconds.observe(seconds)
    if (typeof outcome !== 'number') this.#peerFailures.labels(method, path, outcome).inc()
  }

  round(task: string, outcome: 'changed' | 'quiet' | 'failed'): void {
    this.#rounds.labels(task, outcome).inc()
  }

  /** The exposition: the counters as they stand, and every gauge read now. */
  async render(): Promise<string> {
    const sources = this.#sources
    if (sources) await this.#readNode(sources)
    this.#readProcess()
    return this.registry.render()
  }

  async #readNode({ node, vnodes = [node], messages, exports }: MetricsSources): Promise<void> {
    const info = await node.nodeInfo()
    const all = await Promise.all(vnodes.map((vnode) => (vnode === node ? info : vnode.nodeInfo())))
    const sum = (of: (info: NodeInfo) => number) => all.reduce((total, one) => total + of(one), 0)
    const set = (gauge: Gauge, value: number) => gauge.labels().set(value)
    for (const { task, periodMs } of node.taskPeriods()) this.#period.labels(task).set(periodMs / 1000)
    // What the process holds and keeps, over all its virtual nodes; pointers are its first node's.
    set(this.#keys, sum((one) => one.keys))
    set(this.#values, sum((one) => one.values))
    set(this.#tombstones, sum((one) => one.tombstones))
    const bytes = vnodes.map((vnode) => vnode.store.valueBytes)
    this.#bytes.labels('live').set(bytes.reduce((total, b) => total + b.live, 0))
    this.#bytes.labels('tombstone').set(bytes.reduce((total, b) => total + b.tombstones, 0))
    set(this.#routing, sum((one) => one.routingState.entries))
    set(this.#routingBytes, sum((one) => one.routingState.bytes))
    set(this.#successors, info.successors.length)
    set(this.#fingers, info.fingers.length)
    set(this.#predecessor, info.predecessor ? 1 : 0)
    set(this.#members, node.liveMembers)
    set(this.#ringSize, estimateRingSize(node.space, node.self.id, node.predecessor?.id ?? null, info.successors.map((p) => p.id), node.config.replicas))
    set(this.#logMessages, messages.size)
    set(this.#logCapacity, messages.capacity)
    set(this.#logRecording, messages.recording ? 1 : 0)
    const stats = exports?.() ?? { queued: 0, exported: 0, droppedQueueFull: 0, droppedExportFailed: 0 }
    set(this.#exportQueue, stats.queued)
    // The exporter keeps its own totals: the counters catch up with them.
    const catchUp = (counter: Counter, total: number, ...labels: string[]) => {
      const series = counter.labels(...labels)
      if (total > series.value) series.inc(total - series.value)
    }
    catchUp(this.#exported, stats.exported)
    catchUp(this.#dropped, stats.droppedQueueFull, 'queue_full')
    catchUp(this.#dropped, stats.droppedExportFailed, 'export_failed')
    this.#info.reset()
    for (const vnode of vnodes) this.#info.labels(vnode.space.toHex(vnode.self.id), vnode.self.host, String(vnode.self.port), vnode.config.routeMode).set(1)
  }

  #readProcess(): void {
    const memory = process.memoryUsage()
    this.#rss.labels().set(memory.rss)
    this.#heap.labels().set(memory.heapUsed)
    this.#started.labels().set(Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000)
    const cpu = process.cpuUsage()
    const seconds = (cpu.user + cpu.system) / 1e6
    if (seconds > this.#cpuCounted) this.#cpuSeconds.labels().inc(seconds - this.#cpuCounted)
    this.#cpuCounted = Math.max(this.#cpuCounted, seconds)
  }
}

/** One route's series, made once: its duration histogram and its counters by status. */
class RouteSeries {
  readonly seconds: HistogramSeries
  readonly #byStatus = new Map<number | string, CounterSeries>()

  constructor(
    readonly counter: Counter,
    histogram: Histogram,
    readonly method: string,
    readonly route: string,
  ) {
    this.seconds = histogram.labels(method, route)
  }

  status(status: number | string): CounterSeries {
    let series = this.#byStatus.get(status)
    if (!series) this.#byStatus.set(status, (series = this.counter.labels(this.method, this.route, String(status))))
    return series
  }
}

/**
 * The ring's size from what one node knows: its successor list and predecessor are its nearest
 * neighbours, and nodes sit about evenly apart (their ids are hashes), so k gaps spanning a fraction f
 * of the ring make about k / f nodes. A list shorter than it may be stopped at this node: the whole ring.
 */
export function estimateRingSize(space: IdSpace, self: Id, predecessor: Id | null, successors: readonly Id[], replicas: number): number {
  const others = successors.filter((id) => id !== self)
  if (others.length === 0) return 1
  if (others.length < replicas) return others.length + 1
  const from = predecessor !== null && predecessor !== self ? predecessor : self
  const gaps = others.length + (from === self ? 0 : 1)
  const span = space.distance(from, others[others.length - 1]!)
  if (span === 0n) return others.length + 1
  return Math.max(others.length + 1, Math.round((gaps * Number(space.size)) / Number(span)))
}
