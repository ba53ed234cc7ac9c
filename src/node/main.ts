// A node process: `node dist/src/node/main.js --port 5000 [--join 127.0.0.1:5001] [--bits 8] ...`.
// It listens, computes its id from its address, joins (or starts a ring of one), starts its
// maintenance timers and reports "ready" to whoever spawned it.
import fs from 'node:fs'
import { nodeConfigFrom } from './config.js'
import { DhtError, errorMessage, isDhtError, isToolError } from './errors.js'
import { FaultTransport } from './faults/fault-transport.js'
import { Faults } from './faults/faults.js'
import { faultRoutes } from './faults/routes.js'
import { slowDispatch } from './faults/slow-dispatch.js'
import { parseNodeFlags, ringSettingsOf, type NodeFlags } from './flags.js'
import { ChordNode } from './protocol/chord-node.js'
import type { Peer } from './protocol/types.js'
import { IdSpace } from './ring.js'
import { createNodeServer } from './server/http-server.js'
import { nodeRoutes, type RouteTable } from './server/routes.js'
import { parseSettingText } from './settings.js'
import { MessageLog } from './trace/message-log.js'
import { tracingWrapper } from './trace/server-tracing.js'
import { TracingTransport } from './trace/traced-transport.js'
import { newSpanId, newTraceId, parseTraceparent } from './trace/trace-context.js'
import { Tracer } from './trace/tracer.js'
import type { Dispatch, Wrapper } from './server/json-server.js'
import type { Transport } from './protocol/types.js'
import { HttpClient } from './transport/http-client.js'
import { HttpTransport } from './transport/http-transport.js'
import { Wire } from './wire.js'

/** What a node tells its spawner on the IPC channel, once. */
export type NodeReport =
  | { type: 'ready'; id: string; host: string; port: number; pid: number }
  | { type: 'failed'; code: string; message: string }

function report(message: NodeReport): void {
  if (process.send) process.send(message, () => process.disconnect())
}

function fail(code: string, message: string, exitCode: number): never {
  console.error(`[${new Date().toISOString()}] ${code}: ${message}`)
  report({ type: 'failed', code, message })
  // Give the IPC message time to leave before the process goes.
  setTimeout(() => process.exit(exitCode), 50)
  throw new DhtError('NOT_READY', message)
}

function log(line: string): void {
  console.log(`[${new Date().toISOString()}] ${line}`)
}

/** The flags, checked against the settings table; HOST= in the environment is the default of --host. */
function readFlags(): NodeFlags {
  try {
    const host = process.env.HOST ? parseSettingText('host', process.env.HOST, 'HOST') : undefined
    return parseNodeFlags(process.argv.slice(2), host ? { host } : {})
  } catch (error) {
    if (isToolError(error, 'BAD_ARGUMENT')) fail('BAD_ARGUMENT', error.message, 2)
    throw error
  }
}

const args = readFlags()
const settings = ringSettingsOf(args)
const space = new IdSpace(settings.bits)
const config = nodeConfigFrom(settings)
const wire = new Wire(space)
const secret = args.secretFile ? readSecret(args.secretFile) : undefined
const messages = new MessageLog(settings.messageLog)
/** Made once the node knows its address (its id); with MESSAGE_LOG=0 there is none and nothing is traced. */
let tracer: Tracer | undefined
const client = new HttpClient({
  timeoutMs: settings.timeoutMs,
  ...(secret ? { headers: { authorization: `Bearer ${secret}` } } : {}),
  onClosedByPeer: (peer) => node?.connectionClosed(peer),
})
const http = new HttpTransport(client, wire, config.maxValueBytes)
/** Faults injected at run time (PUT /faults); a ring booted with DELAY_MS= starts with its delay. */
const faults = new Faults({ plan: { delayMs: settings.delayMs, jitterMs: settings.jitterMs } })
const host = args.host

/** Tracing around the server's dispatch, from the moment the tracer exists. */
const tracing: Wrapper = (next) => {
  let traced: Dispatch | undefined
  return (request) => (tracer ? (traced ??= tracingWrapper(tracer)(next)) : next)(request)
}

/** How long an orderly exit waits for the requests in flight to be answered. */
const DRAIN_MS = Math.min(settings.timeoutMs, 3000)

let node: ChordNode | undefined
let stopping = false
/** An orderly exit: no more maintenance, no new connections, the requests in flight answered, then gone. */
const shutdown = (why: string): void => {
  if (stopping) return
  stopping = true
  log(`stopping: ${why}`)
  node?.stop()
  void server.drain(DRAIN_MS).finally(() => {
    client.close()
    process.exit(0)
  })
}

// Filled in once the port, and so the id, is known; the server looks routes up per request.
const routes: RouteTable = {}
const server = createNodeServer(
  routes,
  {
    maxBodyBytes: settings.maxBodyBytes,
    maxConnections: settings.maxConnections,
    ...(secret ? { secret } : {}),
    wrappers: [tracing, slowDispatch(faults)],
  },
  log,
)
server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') fail('PORT_IN_USE', `port ${args.port} is already in use`, 3)
  fail('LISTEN_FAILED', errorMessage(error), 3)
})
server.listen(args.port, host, () => {
  start().catch((error: unknown) => {
    if (isDhtError(error, 'ID_TAKEN')) fail('ID_TAKEN', errorMessage(error), 4)
    fail(isDhtError(error) ? error.code : 'START_FAILED', errorMessage(error), 5)
  })
})

async function start(): Promise<void> {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('server has no port')
  // Peers reach us at the advertised address (another machine's view of us), which is what our id hashes.
  const [publicHost, publicPort] = args.advertise ? splitAddress(args.advertise.includes(':') ? args.advertise : `${args.advertise}:${address.port}`) : [host, address.port]
  const self: Peer = { id: space.nodeId(publicHost, publicPort), host: publicHost, port: publicPort }
  tracer = messages.enabled ? new Tracer(wire.peer(self), messages) : undefined
  const faulty = new FaultTransport(http, faults, { timeoutMs: settings.timeoutMs, self })
  const transport: Transport = tracer ? new TracingTransport(faulty, tracer, wire) : faulty
  node = new ChordNode(self, space, transport, config, log)
  const chord = node
  Object.assign(routes, nodeRoutes(node, wire, { onLeft: () => shutdown('left the ring'), messages }), faultRoutes(faults))

  if (args.join) {
    const bootstrap: Peer = { id: space.nodeId(args.join.host, args.join.port), ...args.join }
    // make add TRACE=1: the whole join (the POST /join, then stabilize, replica sync, fingers) in the tool's trace.
    // Untraced, the join is still one trace of its own, so make messages shows it as one operation.
    const parent = parseTraceparent(args.traceparent)
    const context = parent ? { traceId: parent.traceId, spanId: parent.parentId } : { traceId: newTraceId(), spanId: newSpanId() }
    const result = await (tracer ? chord.within(context) : chord).joinVia(bootstrap)
    log(`joined via ${args.join.host}:${args.join.port}: predecessor ${result.predecessor.port}, successor ${result.successor.port}`)
  } else {
    log('started a new ring')
  }
  const rounds = tracer
  node.start(rounds ? { wrap: (task, run) => run(rounds.log.recording ? rounds.round(task) : undefined) } : {})
  log(`ready id=${wire.id(self.id)} ${self.host}:${self.port} (bound to ${host}:${address.port}) bits=${space.bits} r=${config.replicas}`)
  report({ type: 'ready', id: wire.id(self.id), host: self.host, port: self.port, pid: process.pid })
}

function readSecret(file: string): string {
  try {
    const secret = fs.readFileSync(file, 'utf8').trim()
    if (secret.length < 16) fail('BAD_SECRET', `the secret in ${file} is shorter than 16 characters`, 2)
    return secret
  } catch (error) {
    if (isDhtError(error)) throw error
    fail('BAD_SECRET', `cannot read the cluster secret: ${errorMessage(error)}`, 2)
  }
}

function splitAddress(text: string): [string, number] {
  const at = text.lastIndexOf(':')
  const port = Number(text.slice(at + 1))
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) fail('BAD_ARGUMENT', `expected host:port, got "${text}"`, 2)
  return [text.slice(0, at), port]
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
// A bug must not take the ring down with it: log it and keep serving.
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`))
process.on('unhandledRejection', (error) => log(`unhandled rejection: ${errorMessage(error)}`))
