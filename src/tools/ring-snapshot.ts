// One picture of the whole ring, taken from outside: every recorded process plus any node found by
// walking successors, each with its pointers and content, or the reason it did not answer.
import type { NodeInfo, Peer } from '../node/protocol/types.js'
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
  /** Its index among its process's virtual nodes (VNODES=v; 0 for the process's first, and its only one by default). */
  vnode?: number
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
  /** Sorted by id: the order of the ring. Every virtual node is one node here; a process is an address (host:port). */
  nodes: NodeSnapshot[]
}

export async function takeSnapshot(client: RingClient, state: NetworkState, options: { content?: boolean } = {}): Promise<RingSnapshot> {
  const byId = new Map<string, NodeSnapshot>()
  const visit = async (host: string, port: number, id: string, pid?: number, vnode?: number): Promise<void> => {
    if (byId.has(id)) return
    const node: NodeSnapshot = { host, port, id, ...(pid !== undefined ? { pid } : {}), ...(vnode !== undefined ? { vnode } : {}) }
    byId.set(id, node)
    if (pid !== undefined && !isAlive(pid)) {
      node.error = `process ${pid} is not running`
      return
    }
    const at = { host, port, id }
    let vnodes: Peer[]
    try {
      const answer = await client.nodeProcess(at)
      // A virtual node that has left, in a process whose other nodes are still leaving: gone, as a process that left is.
      if (answer.info.status === 'stopped') {
        node.error = 'it has left the ring'
        return
      }
      node.info = answer.info
      vnodes = answer.vnodes
      if (node.pid === undefined && answer.pid !== undefined) node.pid = answer.pid
      if (options.content) {
        const content = await client.content(at)
        node.entries = content.entries
        node.tombstones = content.tombstones
      }
    } catch (error) {
      node.error = errorMessage(error)
      return
    }
    // The process's other virtual nodes, and nodes the state file does not know (started elsewhere),
    // found through successor pointers.
    const index = vnodes.findIndex((p) => client.wire.id(p.id) === id)
    if (index > 0) node.vnode = index
    await Promise.all(vnodes.map((p, i) => visit(p.host, p.port, client.wire.id(p.id), node.pid, i)))
    for (const s of node.info.successors) await visit(s.host, s.port, client.wire.id(s.id))
  }
  await Promise.all(state.processes.map((p) => visit(p.host, p.port, p.id, p.pid)))
  const nodes = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const { bits, replicas, stabilizeMs, tombstoneGraceMs, routeMode } = state.settings
  return { takenAt: new Date().toISOString(), bits, replicas, stabilizeMs, tombstoneGraceMs, routeMode, nodes }
}
