// start_process: spawn one node process, detached, with its output in state/logs/<port>.log, and
// wait until it reports ready (or why it could not start) over the IPC channel.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { ToolError, type ToolErrorCode } from '../node/errors.js'
import { nodeFlagArguments } from '../node/flags.js'
import type { NodeReport } from '../node/main.js'
import type { HostPort, Impl, RingSettings } from '../node/settings.js'
import type { NetworkStateFile, ProcessRecord } from './network-state.js'

const READY_TIMEOUT_MS = 15_000
/** What a node reports that the tools act on by code (a port or id clash is retried elsewhere). */
const PASSED_ON: readonly ToolErrorCode[] = ['PORT_IN_USE', 'ID_TAKEN', 'BAD_ARGUMENT', 'BAD_SECRET']

export interface StartOptions {
  state: NetworkStateFile
  settings: RingSettings
  host: string
  port: number
  /** A running node to join through; omitted for the first node of a ring. */
  join?: HostPort
  /** The address peers should use, when it is not the one the node binds. */
  advertise?: string
  /** The trace the node joins in (make add TRACE=1). */
  traceparent?: string
}

/**
 * V8 flags for every node process. Young generation at most 2 MB a half instead of 16: under load a
 * node's RSS stayed 16 MB lower (105 → 89 MB after 20 s of lookups at 32 in flight, 8 nodes) at the same
 * lookups per second (0.89, 1.00, 0.99 of the default in three runs). --lite-mode saved more but cut
 * throughput by 60%, and --max-semi-space-size=1 by 15%.
 */
export const NODE_PROCESS_FLAGS: readonly string[] = ['--max-semi-space-size=2']

/** The compiled node program beside this module (or the .ts one when running under tsx): IMPL=lab runs the lab-sized node. */
function nodeMainPath(flags: readonly string[], impl: Impl): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url)
  const program = impl === 'lab' ? 'lab/lab-node' : 'node/main'
  const script = here.replace(/tools[\\/]spawn\.(ts|js)$/, (_m, ext: string) => `${program}.${ext}`)
  return { script, execArgv: [...flags, ...(script.endsWith('.ts') ? ['--import', 'tsx'] : [])] }
}

export function startProcess(options: StartOptions): Promise<ProcessRecord> {
  const { state, settings, host, port } = options
  fs.mkdirSync(state.logDir, { recursive: true })
  // Port 0 gets its log name once the OS has picked the port.
  const logPath = port === 0 ? state.logFile(0).replace(/0\.log$/, `starting-${process.pid}-${Date.now()}.log`) : state.logFile(port)
  const log = fs.openSync(logPath, 'a')
  const { script, execArgv } = nodeMainPath(state.machine.nodeFlags ?? NODE_PROCESS_FLAGS, settings.impl)
  const args = [
    ...execArgv,
    script,
    ...nodeFlagArguments({
      ...settings,
      host,
      port,
      join: options.join,
      advertise: options.advertise,
      traceparent: options.traceparent,
      secretFile: state.readSecret() ? state.secretFile : undefined,
    }),
  ]
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log, 'ipc'] })
  fs.closeSync(log)

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new ToolError('SPAWN_TIMEOUT', `node on port ${port} did not become ready within ${READY_TIMEOUT_MS / 1000} s (see ${logPath})`))
    }, READY_TIMEOUT_MS)
    const settle = () => {
      clearTimeout(timer)
      child.removeAllListeners()
    }
    child.on('message', (message: NodeReport) => {
      settle()
      if (message.type === 'ready') {
        if (port === 0) fs.renameSync(logPath, state.logFile(message.port))
        child.unref()
        if (child.connected) child.disconnect()
        resolve({ id: message.id, host: message.host, port: message.port, pid: message.pid, startedAt: new Date().toISOString() })
      } else {
        if (port === 0) fs.rmSync(logPath, { force: true })
        reject(nodeFailure(message.code, message.message))
      }
    })
    child.on('exit', (code, signal) => {
      settle()
      reject(new ToolError('SPAWN_FAILED', `node on port ${port} exited before it was ready (${signal ?? `code ${code}`}); see ${logPath}`))
    })
    child.on('error', (error) => {
      settle()
      reject(new ToolError('SPAWN_FAILED', error.message))
    })
  })
}

/** A node's own failure code as the tools' error: the codes they act on kept, the rest as NODE_FAILED. */
function nodeFailure(code: string, message: string): ToolError {
  const passed = PASSED_ON.find((known) => known === code)
  return passed ? new ToolError(passed, message) : new ToolError('NODE_FAILED', `${code}: ${message}`)
}

/** True when nothing listens on host:port right now. */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

/**
 * Ports to try for a new node: from the base port up, skipping `taken` (the network state's ports and
 * those other concurrent adds have claimed; each port is claimed before probing). 0 lets the OS choose.
 */
export async function* candidatePorts(host: string, taken: Set<number>, basePort: number): AsyncGenerator<number> {
  if (basePort === 0) {
    for (;;) yield 0
  }
  for (let port = basePort; port <= 65535; port++) {
    if (taken.has(port)) continue
    taken.add(port)
    if (await portIsFree(host, port)) yield port
  }
}
