// One node, assembled and started: the HTTP server and its routes (derived from the API table), the
// transport stack the protocol calls through (HTTP, then faults, then tracing, then counting), the node
// itself (or, with VNODES=v, its v virtual nodes behind one port), its join and its maintenance, and what it shows of itself (metrics, spans out over OTLP). startNode(flags) is what the node process runs and what a test can call
// in-process; it reads no environment and never exits the process: it answers a handle, or rejects.
import fs from 'node:fs'
import { requestSigner } from './auth/request-signing.js'
import { nodeConfigFrom } from './config.js'
import { errorMessage, ToolError } from './errors.js'
import { FaultTransport } from './faults/fault-transport.js'
import { Faults } from './faults/faults.js'
import { slowDispatch } from './faults/slow-dispatch.js'
import { ringSettingsOf, type NodeFlags } from './flags.js'
import type { Transport } from './api/transport.js'
import { MetricsTransport } from './metrics/metrics-transport.js'
import { NodeMetrics } from './metrics/node-metrics.js'
import { metricsWrapper } from './metrics/server-metrics.js'
import { ChordNode } from './protocol/chord-node.js'
import type { TaskWrapper } from './protocol/scheduler.js'
import type { Peer } from './protocol/types.js'
import { IdSpace } from './ring.js'
import { createNodeServer } from './server/http-server.js'
import type { Dispatch, JsonServer, RouteTable, Wrapper } from './server/json-server.js'
import { nodeRoutes } from './server/routes.js'
import { hostedRoutes } from './server/vnode-routes.js'
import { MessageLog } from './trace/message-log.js'
import { tracingWrapper } from './trace/server-tracing.js'
import { SpanExporter } from './trace/span-export.js'
import { TracingTransport } from './trace/traced-transport.js'
import { newSpanId, newTraceId, parseTraceparent } from './trace/trace-context.js'
import { Tracer } from './trace/tracer.js'
import { HttpClient } from './transport/http-client.js'
import { HttpTransport } from './transport/http-transport.js'
import { Wire } from './wire.js'

export interface StartedNode {
  /** The process's first (with VNODES=1 its only) virtual node. */
  node: ChordNode
  /** Every virtual node the process hosts, by index. */
  nodes: readonly ChordNode[]
  server: JsonServer
  /** The node as peers reach it. */
  self: Peer
  /** The port the server is bound to (the OS's pick with --port 0). */
  boundPort: number
  /** An orderly stop: no more maintenance, the requests in flight answered, connections closed. */
  stop(): Promise<void>
}

export interface StartOptions {
  log?: (line: string) => void
  /** The node has left the ring (LEAVE answered): its process should go. */
  onLeft?: () => void
  /** The API document's version. */
  version?: string
}

/** How long an orderly stop waits for the requests in flight to be answered, at most. */
const DRAIN_CAP_MS = 3000

export async function startNode(flags: NodeFlags, options: StartOptions = {}): Promise<StartedNode> {
  const log = options.log ?? (() => {})
  const settings = ringSettingsOf(flags)
  const space = new IdSpace(settings.bits)
  const config = nodeConfigFrom(settings)
  const wire = new Wire(space)
  const secret = flags.secretFile ? readSecret(flags.secretFile) : undefined
  const messages = new MessageLog(settings.messageLog)
  const nodes: ChordNode[] = []
  const sign = requestSigner(secret, settings.auth)
  const client = new HttpClient({
    timeoutMs: settings.timeoutMs,
    ...(sign ? { sign } : {}),
    onClosedByPeer: (peer) => {
      for (const node of nodes) node.connectionClosed(peer)
    },
  })
  /** Faults injected at run time (PUT /faults); a ring booted with DELAY_MS= starts with its delay. */
  const faults = new Faults({ plan: { delayMs: settings.delayMs, jitterMs: settings.jitterMs } })
  /** Made once the node knows its address (its id); with MESSAGE_LOG=0 there is none and nothing is traced. */
  let tracer: Tracer | undefined
  const tracing: Wrapper = (next) => {
    let traced: Dispatch | undefined
    return (request) => (tracer ? (traced ??= tracingWrapper(tracer)(next)) : next)(request)
  }
  // Filled in once the port, and so the id, is known; the server looks routes up per request.
  const routes: RouteTable = {}
  // METRICS=0: no counting anywhere, not even a wrapper that checks whether to count.
  const metrics = settings.metrics ? new NodeMetrics() : undefined
  const wrappers = [...(metrics ? [metricsWrapper(metrics)] : []), tracing, slowDispatch(faults)]
  const server = createNodeServer(routes, { maxBodyBytes: settings.maxBodyBytes, maxConnections: settings.maxConnections, ...(secret ? { secret, auth: settings.auth } : {}), wrappers }, log)
  const boundPort = await listen(server, flags.port, flags.host)

  let exporter: SpanExporter | undefined
  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const node of nodes) node.stop()
      await server.drain(Math.min(settings.timeoutMs, DRAIN_CAP_MS))
      client.close()
      // The spans of the last requests go out too, if the collector takes them quickly.
      await exporter?.stop()
    })())

  try {
    // Peers reach us at the advertised address (another machine's view of us), which is what our ids hash.
    const [publicHost, publicPort] = flags.advertise ? splitAddress(flags.advertise.includes(':') ? flags.advertise : `${flags.advertise}:${boundPort}`) : [flags.host, boundPort]
    // VNODES=v: v virtual nodes, each its own Chord node on the ring, behind one port.
    const selves: Peer[] = Array.from({ length: settings.vnodes }, (_, index) => ({ id: space.nodeId(publicHost, publicPort, index), host: publicHost, port: publicPort }))
    const self = selves[0]!
    tracer = messages.enabled ? new Tracer(wire.peer(self), messages) : undefined
    if (flags.otlpEndpoint) {
      if (tracer) {
        exporter = new SpanExporter({ endpoint: flags.otlpEndpoint, source: { id: wire.id(self.id), host: self.host, port: self.port, version: options.version ?? '0.0.0' }, log })
        messages.sink = exporter
        log(`exporting spans to ${flags.otlpEndpoint} (OTLP/JSON)`)
      } else log('OTEL_EXPORTER_OTLP_ENDPOINT is set but MESSAGE_LOG=0 traces nothing: no spans to export')
    }
    const http = new HttpTransport(client, wire, config.maxValueBytes)
    // A virtual node that has left is no longer listed (the tools visit those listed).
    const inRing = () => (nodes.length > 0 ? nodes.filter((node) => node.status !== 'stopped').map((node) => node.self) : selves)
    const hooks = { onLeft: options.onLeft ?? (() => void stop()), messages, faults, auth: settings.auth, vnodes: inRing, ...(metrics ? { metrics } : {}), ...(options.version ? { version: options.version } : {}) }
    const tables: RouteTable[] = []
    for (const [index, vnode] of selves.entries()) {
      // Each virtual node sends as itself: its own trace lane, and faults that spare only calls within the process.
      const vtracer = index === 0 ? tracer : tracer && new Tracer(wire.peer(vnode), messages)
      const faulty = new FaultTransport(http, faults, { timeoutMs: settings.timeoutMs, self: vnode })
      const traced: Transport = vtracer ? new TracingTransport(faulty, vtracer, wire) : faulty
      const transport: Transport = metrics ? new MetricsTransport(traced, metrics) : traced
      const vlog = selves.length === 1 ? log : (line: string) => log(`[vnode ${index}] ${line}`)
      const chord = new ChordNode(vnode, space, transport, config, vlog)
      nodes.push(chord)
      // The process leaves the ring as a whole: one virtual node's LEAVE does not end it (server/vnode-routes.ts).
      tables.push(nodeRoutes(chord, { wire, maxValueBytes: config.maxValueBytes }, selves.length === 1 ? hooks : { ...hooks, onLeft: () => {} }))
    }
    const chord = nodes[0]!
    const spans = exporter
    metrics?.watch({ node: chord, ...(nodes.length > 1 ? { vnodes: nodes } : {}), messages, ...(spans ? { exports: () => spans.stats() } : {}) })
    Object.assign(routes, selves.length === 1 ? tables[0] : hostedRoutes(tables, nodes, wire, hooks.onLeft, settings.stabilizeMs))

    // make add TRACE=1: the whole join (the POST /join, then stabilize, replica sync, fingers) in the tool's trace.
    // Untraced, the join is still one trace of its own, so make messages shows it as one operation.
    const parent = parseTraceparent(flags.traceparent)
    const context = parent ? { traceId: parent.traceId, spanId: parent.parentId } : { traceId: newTraceId(), spanId: newSpanId() }
    // A new ring starts with the first virtual node; the others join through it, as every one does through a bootstrap.
    const bootstrap: Peer | undefined = flags.join ? { id: space.nodeId(flags.join.host, flags.join.port), ...flags.join } : undefined
    if (!bootstrap) log('started a new ring')
    for (const node of nodes) {
      const via = bootstrap ?? (node === chord ? undefined : chord.self)
      if (!via) continue
      const result = await (tracer ? node.within(context) : node).joinVia(via)
      log(`${selves.length === 1 ? '' : `vnode ${wire.id(node.self.id).slice(0, 8)} `}joined via ${via.host}:${via.port}: predecessor ${result.predecessor.port}, successor ${result.successor.port}`)
    }
    for (const node of nodes) node.start({ wrap: roundWrapper(tracer, metrics) })
    log(`ready id=${wire.id(self.id)} ${self.host}:${self.port} (bound to ${flags.host}:${boundPort}) bits=${space.bits} r=${config.replicas}${selves.length === 1 ? '' : ` vnodes=${selves.length}`}`)
    return { node: chord, nodes, server, self, boundPort, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Each maintenance round in a trace of its own (when tracing), and counted by its outcome (when counting). */
function roundWrapper(tracer: Tracer | undefined, metrics: NodeMetrics | undefined): TaskWrapper {
  const traced: TaskWrapper = (task, run) => run(tracer?.log.recording ? tracer.round(task) : undefined)
  if (!metrics) return traced
  return (task, run) =>
    traced(task, run).then(
      (outcome) => {
        if (metrics.counting) metrics.round(task, outcome === 'quiet' ? 'quiet' : 'changed')
        return outcome
      },
      (error: unknown) => {
        if (metrics.counting) metrics.round(task, 'failed')
        throw error
      },
    )
}

/** Listens; a busy port is PORT_IN_USE, any other failure LISTEN_FAILED. */
function listen(server: JsonServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new ToolError('PORT_IN_USE', `port ${port} is already in use`) : new Error(`cannot listen on ${host}:${port}: ${errorMessage(error)}`))
    })
    server.listen(port, host, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('the server has no port'))
      else resolve(address.port)
    })
  })
}

function readSecret(file: string): string {
  let secret: string
  try {
    secret = fs.readFileSync(file, 'utf8').trim()
  } catch (error) {
    throw new ToolError('BAD_SECRET', `cannot read the cluster secret: ${errorMessage(error)}`)
  }
  if (secret.length < 16) throw new ToolError('BAD_SECRET', `the secret in ${file} is shorter than 16 characters`)
  return secret
}

function splitAddress(text: string): [string, number] {
  const at = text.lastIndexOf(':')
  const port = Number(text.slice(at + 1))
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new ToolError('BAD_ARGUMENT', `expected host:port, got "${text}"`)
  return [text.slice(0, at), port]
}
