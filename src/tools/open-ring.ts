// What most tools start with: the recorded ring (dead entries pruned, and said so), a client for it,
// and the client that knows the ring (direct operations at the owner, starting from the recorded nodes).
import { ToolError } from '../node/errors.js'
import { DirectClient } from './direct-client.js'
import { NetworkStateFile, type NetworkState, type ProcessRecord } from './network-state.js'
import { portList, warn } from './output.js'
import { RingClient } from './ring-client.js'

export interface OpenRing {
  file: NetworkStateFile
  state: NetworkState
  client: RingClient
  /** pick_random_process, or the process on PORT= when given. */
  entry(port?: number): ProcessRecord
}

export interface OpenedRing extends OpenRing {
  /** Lookups, stores and deletes sent straight to the key's owner (routed when its copy of the ring cannot say). */
  direct: DirectClient
}

/** The client that knows the ring, its copy starting from the recorded nodes. */
export function directClient(ring: Pick<OpenRing, 'client' | 'state'>): DirectClient {
  return new DirectClient(ring.client, { seeds: () => ring.state.processes, routeMode: ring.state.settings.routeMode })
}

export function openRing(file: NetworkStateFile): OpenedRing {
  // With VNODES=v a record is a process hosting v nodes.
  const what = file.requireRing().settings.vnodes > 1 ? 'process' : 'node'
  for (const dead of file.pruneDead()) warn(`${what} @${dead.port} (pid ${dead.pid}) is no longer running: removed from ${file.file}`)
  const state = file.requireRing()
  const client = new RingClient(state.settings.bits, { secret: file.readSecret(), auth: state.settings.auth, timeoutMs: state.settings.timeoutMs, impl: state.settings.impl })
  const entry = (port?: number): ProcessRecord => {
    if (port === undefined) return file.pickRandomProcess()
    const found = state.processes.find((p) => p.port === port)
    if (!found) throw new ToolError('NO_SUCH_NODE', `no node of this ring runs on port ${port}; its ports: ${portList(state.processes.map((p) => p.port))}`)
    return found
  }
  return { file, state, client, direct: directClient({ client, state }), entry }
}
