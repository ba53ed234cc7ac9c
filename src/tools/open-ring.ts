// What most tools start with: the recorded ring (dead entries pruned, and said so) and a client for it.
import { ToolError } from '../node/errors.js'
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

export function openRing(file: NetworkStateFile): OpenRing {
  file.requireRing()
  for (const dead of file.pruneDead()) warn(`node @${dead.port} (pid ${dead.pid}) is no longer running: removed from ${file.file}`)
  const state = file.requireRing()
  const client = new RingClient(state.settings.bits, { secret: file.readSecret(), timeoutMs: state.settings.timeoutMs, impl: state.settings.impl })
  const entry = (port?: number): ProcessRecord => {
    if (port === undefined) return file.pickRandomProcess()
    const found = state.processes.find((p) => p.port === port)
    if (!found) throw new ToolError('NO_SUCH_NODE', `no node of this ring runs on port ${port}; its ports: ${portList(state.processes.map((p) => p.port))}`)
    return found
  }
  return { file, state, client, entry }
}
