// start_process: spawn one node process, detached, with its output in state/logs/<port>.log, and
// wait until it reports ready (or why it could not start) over the IPC channel.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { DEFAULTS } from '../config.js'
import type { NodeReport } from '../node-main.js'
import type { NetworkStateFile, ProcessRecord, RingSettings } from './network-state.js'

const READY_TIMEOUT_MS = 15_000

export class SpawnError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface StartOptions {
  state: NetworkStateFile
  settings: RingSettings
  host: string
  port: number
  /** host:port of a running node to join through; omitted for the first node of a ring. */
  join?: string
  /** The address peers should use, when it is not the one the node binds. */
  advertise?: string
}

/** The compiled node entry point beside this module (or the .ts one when running under tsx). */
function nodeMainPath(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url)
  const script = here.replace(/cli[\\/]spawn\.(ts|js)$/, (_m, ext: string) => `node-main.${ext}`)
  return { script, execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [] }
}

export function startProcess(options: StartOptions): Promise<ProcessRecord> {
  const { state, settings, host, port } = options
  fs.mkdirSync(state.logDir, { recursive: true })
  // Port 0 gets its log name once the OS has picked the port.
  const logPath = port === 0 ? state.logFile(0).replace(/0\.log$/, `starting-${process.pid}-${Date.now()}.log`) : state.logFile(port)
  const log = fs.openSync(logPath, 'a')
  const { script, execArgv } = nodeMainPath()
  const args = [
    ...execArgv,
    script,
    `--host=${host}`,
    `--port=${port}`,
    `--bits=${settings.bits}`,
    `--replicas=${settings.replicas}`,
    `--mode=${settings.routeMode}`,
    `--stabilize-ms=${settings.stabilizeMs}`,
    `--finger-ms=${settings.fingerMs}`,
    `--max-value-bytes=${settings.maxValueBytes}`,
    `--max-body-bytes=${settings.maxBodyBytes}`,
    `--max-connections=${settings.maxConnections}`,
    ...(options.join ? [`--join=${options.join}`] : []),
    ...(state.readSecret() ? [`--secret-file=${state.secretFile}`] : []),
    ...(options.advertise ? [`--advertise=${options.advertise}`] : []),
  ]
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log, 'ipc'] })
  fs.closeSync(log)

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new SpawnError('TIMEOUT', `node on port ${port} did not become ready within ${READY_TIMEOUT_MS / 1000} s (see ${logPath})`))
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
        reject(new SpawnError(message.code, message.message))
      }
    })
    child.on('exit', (code, signal) => {
      settle()
      reject(new SpawnError('EXITED', `node on port ${port} exited before it was ready (${signal ?? `code ${code}`}); see ${logPath}`))
    })
    child.on('error', (error) => {
      settle()
      reject(new SpawnError('SPAWN_FAILED', error.message))
    })
  })
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
export async function* candidatePorts(host: string, taken: Set<number>, basePort: number = configuredBasePort()): AsyncGenerator<number> {
  if (basePort === 0) {
    for (;;) yield 0
  }
  for (let port = basePort; port <= 65535; port++) {
    if (taken.has(port)) continue
    taken.add(port)
    if (await portIsFree(host, port)) yield port
  }
}

export function configuredBasePort(): number {
  const text = process.env.DHT_BASE_PORT
  if (text === undefined || text === '') return DEFAULTS.basePort
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SpawnError('BAD_ARGUMENT', `DHT_BASE_PORT must be a port number, got "${text}"`)
  return port
}
