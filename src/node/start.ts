// One node, assembled and started: the HTTP server and its routes (derived from the API table), the
// transport stack the protocol calls through (HTTP, then faults, then tracing, then counting), the node
// itself, its join and its maintenance, and what it shows of itself (metrics, spans out over OTLP). startNode(flags) is what the node process runs and what a test can call
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
  node: ChordNode
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
  let node: ChordNode | undefined
  const sign = requestSigner(secret, settings.auth)
  const client = new HttpClient({
    timeoutMs: settings.timeoutMs,
    ...(sign ? { sign } : {}),
    onClosedByPeer: (peer) => node?.connectionClosed(peer),
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
      node?.stop()
      await server.drain(Math.min(settings.timeoutMs, DRAIN_CAP_MS))
      client.close()
      // The spans of the last requests go out too, if the collector takes them quickly.
      await exporter?.stop()
    })())

  try {
    // Peers reach us at the advertised address (another machine's view of us), which is what our id hashes.
    const [publicHost, publicPort] = flags.advertise ? splitAddress(flags.advertise.includes(':') ? flags.advertise : `${flags.advertise}:${boundPort}`) : [flags.host, boundPort]
    const self: Peer = { id: space.nodeId(publicHost, publicPort), host: publicHost, port: publicPort }
    tracer = messages.enabled ? new Tracer(wire.peer(self), messages) : undefined
    if (flags.otlpEndpoint) {
      if (tracer) {
        exporter = new SpanExporter({ endpoint: flags.otlpEndpoint, source: { id: wire.id(self.id), host: self.host, port: self.port, version: options.version ?? '0.0.0' }, log })
        messages.sink = exporter
        log(`exporting spans to ${flags.otlpEndpoint} (OTLP/JSON)`)
      } else log('OTEL_EXPORTER_OTLP_ENDPOINT is set but MESSAGE_LOG=0 traces nothing: no spans to export')
    }
    const faulty = new FaultTransport(new HttpTransport(client, wire, config.maxValueBytes), faults, { timeoutMs: settings.timeoutMs, self })
    const traced: Transport = tracer ? new TracingTransport(faulty, tracer, wire) : faulty
    const transport: Transport = metrics ? new MetricsTransport(traced, metrics) : traced
    const chord = (node = new ChordNode(self, space, transport, config, log))
    const spans = exporter
    metrics?.watch({ node: chord, messages, ...(spans ? { exports: () => spans.stats() } : {}) })
    const hooks = { onLeft: options.onLeft ?? (() => void stop()), messages, faults, auth: settings.auth, ...(metrics ? { metrics } : {}), ...(options.version ? { version: options.version } : {}) }
    Object.assign(routes, nodeRoutes(chord, { wire, maxValueBytes: config.maxValueBytes }, hooks))

    if (flags.join) {
      const bootstrap: Peer = { id: space.nodeId(flags.join.host, flags.join.port), ...flags.join }
      // make add TRACE=1: the whole join (the POST /join, then stabilize, replica sync, fingers) in the tool's trace.
      // Untraced, the join is still one trace of its own, so make messages shows it as one operation.
      const parent = parseTraceparent(flags.traceparent)
      const context = parent ? { traceId: parent.traceId, spanId: parent.parentId } : { traceId: newTraceId(), spanId: newSpanId() }
      const result = await (tracer ? chord.within(context) : chord).joinVia(bootstrap)
      log(`joined via ${flags.join.host}:${flags.join.port}: predecessor ${result.predecessor.port}, successor ${result.successor.port}`)
    } else {
      log('started a new ring')
    }
    chord.start({ wrap: roundWrapper(tracer, metrics) })
    log(`ready id=${wire.id(self.id)} ${self.host}:${self.port} (bound to ${flags.host}:${boundPort}) bits=${space.bits} r=${config.replicas}`)
    return { node: chord, server, self, boundPort, stop }
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
