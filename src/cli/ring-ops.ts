// Growing and shrinking the ring as processes: boot, add, killall. Used by the Make targets'
// scripts and by the integration tests, so both run exactly the same steps.
import fs from 'node:fs'
import { DEFAULTS } from '../config.js'
import type { PeerJson } from '../wire.js'
import { ringSettingsFromArgs } from './args.js'
import type { RingClient } from './ring-client.js'
import { defaultSettings, isAlive, NetworkStateFile, type ProcessRecord, type RingSettings } from './network-state.js'
import { candidatePorts, SpawnError, startProcess } from './spawn.js'

/** Retries for a port taken between probe and bind, or an id that collides in a small space. */
const ADD_ATTEMPTS = 20
const STOP_WAIT_MS = 3000
/** Ports claimed by adds running in this process, so parallel adds never try the same port. */
const claimedPorts = new Set<number>()

export function ringHost(): string {
  return process.env.HOST || DEFAULTS.host
}

/** Stops exactly the processes recorded in the state (never anything found by name) and removes the file. */
export async function killRing(state: NetworkStateFile): Promise<ProcessRecord[]> {
  const processes = state.exists() ? state.readProcessList() : []
  const alive = processes.filter((p) => isAlive(p.pid))
  for (const p of alive) signal(p.pid, 'SIGTERM')
  const deadline = Date.now() + STOP_WAIT_MS
  while (alive.some((p) => isAlive(p.pid)) && Date.now() < deadline) await sleep(20)
  for (const p of alive) if (isAlive(p.pid)) signal(p.pid, 'SIGKILL')
  state.remove()
  return alive
}

/** make boot: a fresh state and two nodes, the second joining the first. */
export async function bootRing(state: NetworkStateFile, settings: RingSettings): Promise<ProcessRecord[]> {
  await killRing(state)
  state.reset(settings)
  const first = await addNode(state, { first: true })
  const second = await addNode(state, { via: first })
  return [first, second]
}

export interface AddOptions {
  /** Start a new ring instead of joining one (only make boot does this). */
  first?: boolean
  /** Join through this process instead of a random one of the state. */
  via?: Pick<ProcessRecord, 'host' | 'port'>
  port?: number
}

/** make add: a new process on a free port that joins through a running node. Retries on a port or id clash. */
export async function addNode(state: NetworkStateFile, options: AddOptions = {}): Promise<ProcessRecord> {
  const { settings, processes } = state.read() ?? (options.via ? { settings: defaultSettings(), processes: [] } : state.requireRing())
  const host = ringHost()
  for (const p of processes) claimedPorts.add(p.port)
  let lastError: unknown
  let attempts = 0
  const ports = options.port !== undefined ? single(options.port) : candidatePorts(host, claimedPorts)
  for await (const port of ports) {
    if (attempts++ >= ADD_ATTEMPTS) break
    const via = options.first ? undefined : (options.via ?? state.pickRandomProcess())
    try {
      const advertise = process.env.ADVERTISE || undefined
      const record = await startProcess({ state, settings, host, port, ...(via ? { join: `${via.host}:${via.port}` } : {}), ...(advertise ? { advertise } : {}) })
      state.addProcess(record)
      return record
    } catch (error) {
      lastError = error
      const retry = error instanceof SpawnError && (error.code === 'PORT_IN_USE' || error.code === 'ID_TAKEN')
      if (!retry || options.port !== undefined) throw error
    }
  }
  throw lastError ?? new SpawnError('NO_PORT', 'no free port found')
}

/**
 * make add JOIN=host:port: join a ring that runs elsewhere (another machine). Its settings come from
 * the node we join through; this machine's state lists only this machine's processes.
 */
export async function joinRemoteRing(
  state: NetworkStateFile,
  address: { host: string; port: number },
  info: Pick<RingSettings, 'bits' | 'replicas' | 'routeMode'> & Partial<Pick<RingSettings, 'maxValueBytes'>>,
): Promise<ProcessRecord> {
  const current = state.read()
  state.adoptSharedSecret()
  if (!current) {
    fs.mkdirSync(state.logDir, { recursive: true })
    // The ring fixes bits, copies and the value limit; this machine's periods may still be given (STABILIZE_MS=, FINGER_MS=).
    const periods = ringSettingsFromArgs(defaultSettings())
    state.update(() => ({ settings: { ...periods, ...info }, processes: [] }))
  }
  return addNode(state, { via: address })
}

/** make leave: ask the node to LEAVE, wait until its process is gone, drop it from the state. */
export async function leaveNode(state: NetworkStateFile, client: RingClient, node: ProcessRecord): Promise<{ handedTo: PeerJson | null }> {
  const result = await client.leave(node)
  // The node exits once its reply is out; wait so the state never lists a process that is going away.
  for (let waited = 0; waited < STOP_WAIT_MS && isAlive(node.pid); waited += 20) await sleep(20)
  state.removeProcess(node.pid)
  return result
}

/** make crash: SIGKILL the node, with no goodbye, and drop it from the state. Refuses to end the ring. */
export function crashNode(state: NetworkStateFile, node: ProcessRecord): void {
  if (state.readProcessList().filter((p) => isAlive(p.pid)).length <= 1) {
    throw new RingOpError('LAST_NODE', 'only one node is running; crashing it would end the ring (use make killall)')
  }
  process.kill(node.pid, 'SIGKILL')
  state.removeProcess(node.pid)
}

export class RingOpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function* single(port: number): AsyncGenerator<number> {
  yield port
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
