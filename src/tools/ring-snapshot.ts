// One picture of the whole ring, taken from outside: every recorded process plus any node found by
// walking successors, each with its pointers and content, or the reason it did not answer.
import type { NodeInfo } from '../node/protocol/types.js'
import type { RouteMode } from '../node/settings.js'
import { errorMessage } from '../node/errors.js'
import type { NetworkState } from './network-state.js'
import { isAlive } from './network-state.js'
import type { ContentRecord, RingClient } from './ring-client.js'

export interface NodeSnapshot {
  host: string
  port: number
  id: string
  pid?: number
  info?: NodeInfo
  /** Live values, when content was asked for. */
  entries?: ContentRecord[]
  /** Deleted values still remembered, when content was asked for. */
  tombstones?: ContentRecord[]
  error?: string
}

export interface RingSnapshot {
  takenAt: string
  bits: number
  replicas: number
  stabilizeMs: number
  tombstoneGraceMs: number
  /** How lookups route: fingers, linear or onehop. */
  routeMode: RouteMode
  /** Sorted by id: the order of the ring. */
  nodes: NodeSnapshot[]
}

export async function takeSnapshot(client: RingClient, state: NetworkState, options: { content?: boolean } = {}): Promise<RingSnapshot> {
  const byAddress = new Map<string, NodeSnapshot>()
  const visit = async (host: string, port: number, id: string, pid?: number): Promise<void> => {
    const address = `${host}:${port}`
    if (byAddress.has(address)) return
    const node: NodeSnapshot = { host, port, id, ...(pid !== undefined ? { pid } : {}) }
    byAddress.set(address, node)
    if (pid !== undefined && !isAlive(pid)) {
      node.error = `process ${pid} is not running`
      return
    }
    try {
      node.info = await client.nodeInfo({ host, port })
      if (options.content) {
        const content = await client.content({ host, port })
        node.entries = content.entries
        node.tombstones = content.tombstones
      }
    } catch (error) {
      node.error = errorMessage(error)
      return
    }
    // Nodes the state file does not know (started elsewhere) are found through successor pointers.
    for (const s of node.info.successors) await visit(s.host, s.port, client.wire.id(s.id))
  }
  await Promise.all(state.processes.map((p) => visit(p.host, p.port, p.id, p.pid)))
  const nodes = [...byAddress.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const { bits, replicas, stabilizeMs, tombstoneGraceMs, routeMode } = state.settings
  return { takenAt: new Date().toISOString(), bits, replicas, stabilizeMs, tombstoneGraceMs, routeMode, nodes }
}
