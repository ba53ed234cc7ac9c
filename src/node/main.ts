// A node process: `node dist/src/node/main.js --port 5000 [--join 127.0.0.1:5001] [--bits 8] ...`.
// The entry point reads the command line and the environment, starts the node (start.ts), reports
// "ready" (or why not) to whoever spawned it over the IPC channel, and exits on LEAVE or a signal.
import { packageVersion } from './api/version.js'
import { errorMessage, isDhtError, isToolError } from './errors.js'
import { parseNodeFlags, type NodeFlags } from './flags.js'
import { parseSettingText } from './settings.js'
import { startNode, type StartedNode } from './start.js'

/** What a node tells its spawner on the IPC channel, once. */
export type NodeReport =
  | { type: 'ready'; id: string; host: string; port: number; pid: number }
  | { type: 'failed'; code: string; message: string }

/** The process exit codes the spawner reads, by what went wrong. */
const EXIT_CODES: Record<string, number> = { BAD_ARGUMENT: 2, BAD_SECRET: 2, PORT_IN_USE: 3, ID_TAKEN: 4 }

function report(message: NodeReport): void {
  if (process.send) process.send(message, () => process.disconnect())
}

function log(line: string): void {
  console.log(`[${new Date().toISOString()}] ${line}`)
}

function fail(code: string, message: string): void {
  console.error(`[${new Date().toISOString()}] ${code}: ${message}`)
  report({ type: 'failed', code, message })
  // Give the IPC message time to leave before the process goes.
  setTimeout(() => process.exit(EXIT_CODES[code] ?? 5), 50)
}

/**
 * The flags, checked against the settings table; HOST= in the environment is the default of --host, and
 * OpenTelemetry's OTEL_EXPORTER_OTLP_ENDPOINT= that of --otlp-endpoint (a node spawned by a tool inherits
 * it). That variable may be set for other programs too: one this node cannot use is said and left alone.
 */
function readFlags(): NodeFlags {
  const host = process.env.HOST ? parseSettingText('host', process.env.HOST, 'HOST') : undefined
  return parseNodeFlags(process.argv.slice(2), { ...(host ? { host } : {}), ...otlpEndpointOf(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) })
}

function otlpEndpointOf(value: string | undefined): { otlpEndpoint?: string } {
  if (!value) return {}
  try {
    return { otlpEndpoint: parseSettingText('otlpEndpoint', value, 'OTEL_EXPORTER_OTLP_ENDPOINT') }
  } catch (error) {
    log(`${errorMessage(error)}: no spans are exported`)
    return {}
  }
}

let started: StartedNode | undefined
let stopping = false
/** An orderly exit: no more maintenance, no new connections, the requests in flight answered, then gone. */
function shutdown(why: string): void {
  if (stopping) return
  stopping = true
  log(`stopping: ${why}`)
  void (started?.stop() ?? Promise.resolve()).finally(() => process.exit(0))
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
// A bug must not take the ring down with it: log it and keep serving, also while the node is still
// joining (a process of virtual nodes serves the first while the others join).
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`))
process.on('unhandledRejection', (error) => log(`unhandled rejection: ${errorMessage(error)}`))

try {
  const flags = readFlags()
  started = await startNode(flags, { log, onLeft: () => shutdown('left the ring'), version: packageVersion() })
  const { self, node } = started
  report({ type: 'ready', id: node.space.toHex(self.id), host: self.host, port: self.port, pid: process.pid })
} catch (error) {
  const code = isToolError(error) || isDhtError(error) ? error.code : 'START_FAILED'
  fail(code, errorMessage(error))
}
