// Growing and shrinking the ring as processes: boot, add, killall. Used by the Make targets'
// scripts and by the integration tests, so both run exactly the same steps.
import fs from 'node:fs'
import { isToolError, ToolError } from '../node/errors.js'
import type { HostPort } from '../node/settings.js'
import type { PeerJson } from '../node/wire.js'
import type { Message } from '../node/trace/messages.js'
import type { CallOptions, RingClient } from './ring-client.js'
import { defaultSettings, isAlive, NetworkStateFile, type ProcessRecord, type RingSettings } from './network-state.js'
import { candidatePorts, startProcess } from './spawn.js'

/** Retries for a port taken between probe and bind, or an id that collides in a small space. */
const ADD_ATTEMPTS = 20
const STOP_WAIT_MS = 3000
/** Ports claimed by adds running in this process, so parallel adds never try the same port. */
const claimedPorts = new Set<number>()

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

/**
 * The settings a ring of IMPL= can run. The lab node keeps one copy of each key (it has no replication),
 * routes linear or through its fingers, knows the secret only as a bearer token and hosts no virtual nodes; `given` are R= and
 * AUTH= when the user gave them.
 */
export function implSettings(settings: RingSettings, given: { replicas?: number | undefined; auth?: RingSettings['auth'] | undefined } = {}): RingSettings {
  if (settings.impl !== 'lab') return settings
  if (given.replicas !== undefined && given.replicas !== 1) throw new ToolError('BAD_ARGUMENT', `R=${given.replicas} needs the full node: the lab node keeps one copy of each key (leave R= out)`)
  if (settings.routeMode === 'onehop') throw new ToolError('BAD_ARGUMENT', 'MODE=onehop needs the full node: the lab node routes linear or through its fingers')
  if (given.auth === 'hmac') throw new ToolError('BAD_ARGUMENT', 'AUTH=hmac needs the full node: the lab node checks the secret as a bearer token (leave AUTH= out)')
  if (settings.vnodes !== 1) throw new ToolError('BAD_ARGUMENT', `VNODES=${settings.vnodes} needs the full node: a lab node process hosts one node (leave VNODES= out)`)
  return { ...settings, replicas: 1, auth: 'bearer' }
}

/** make boot: a fresh state and two nodes, the second joining the first. */
export async function bootRing(state: NetworkStateFile, ringSettings: RingSettings): Promise<ProcessRecord[]> {
  const settings = implSettings(ringSettings)
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
  /** make add TRACE=1: the new node joins inside this trace (a W3C traceparent). */
  traceparent?: string
}

/** make add: a new process on a free port that joins through a running node. Retries on a port or id clash. */
export async function addNode(state: NetworkStateFile, options: AddOptions = {}): Promise<ProcessRecord> {
  const { settings, processes } = state.read() ?? (options.via ? { settings: defaultSettings(), processes: [] } : state.requireRing())
  const { host, advertise, basePort } = state.machine
  for (const p of processes) claimedPorts.add(p.port)
  let lastError: unknown
  let attempts = 0
  const ports = options.port !== undefined ? single(options.port) : candidatePorts(host, claimedPorts, basePort)
  for await (const port of ports) {
    if (attempts++ >= ADD_ATTEMPTS) break
    const via = options.first ? undefined : (options.via ?? state.pickRandomProcess())
    try {
      const join = via ? { host: via.host, port: via.port } : undefined
      const record = await startProcess({
        state,
        settings,
        host,
        port,
        ...(join ? { join } : {}),
        ...(advertise ? { advertise } : {}),
        ...(options.traceparent ? { traceparent: options.traceparent } : {}),
      })
      state.addProcess(record)
      return record
    } catch (error) {
      lastError = error
      const retry = isToolError(error, 'PORT_IN_USE') || isToolError(error, 'ID_TAKEN')
      if (!retry || options.port !== undefined) throw error
    }
  }
  throw lastError ?? new ToolError('NO_FREE_PORT', `no free port found from ${basePort} up`)
}

/**
 * make add JOIN=host:port: join a ring that runs elsewhere (another machine); this machine's state lists
 * only this machine's processes. `settings` are recorded when this machine has no state yet: the caller
 * takes bits, copies, routing and the value limit from the node it joins through.
 */
export async function joinRemoteRing(state: NetworkStateFile, address: HostPort, settings: RingSettings, options: Pick<AddOptions, 'traceparent'> = {}): Promise<ProcessRecord> {
  const current = state.read()
  state.adoptSharedSecret()
  if (!current) {
    fs.mkdirSync(state.logDir, { recursive: true })
    state.update(() => ({ settings, processes: [] }))
  }
  return addNode(state, { ...options, via: address })
}

/** make leave: ask the node to LEAVE, wait until its process is gone, drop it from the state. */
export async function leaveNode(state: NetworkStateFile, client: RingClient, node: ProcessRecord, options: CallOptions = {}): Promise<{ handedTo: PeerJson | null; spans: Message[] }> {
  const result = await client.leave(node, options)
  // The node exits once its reply is out; wait so the state never lists a process that is going away.
  for (let waited = 0; waited < STOP_WAIT_MS && isAlive(node.pid); waited += 20) await sleep(20)
  state.removeProcess(node.pid)
  return result
}

/** make crash: SIGKILL the node, with no goodbye, and drop it from the state. Refuses to end the ring. */
export function crashNode(state: NetworkStateFile, node: ProcessRecord): void {
  if (state.readProcessList().filter((p) => isAlive(p.pid)).length <= 1) {
    throw new ToolError('LAST_NODE', 'only one node is running; crashing it would end the ring (use make killall)')
  }
  process.kill(node.pid, 'SIGKILL')
  state.removeProcess(node.pid)
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
