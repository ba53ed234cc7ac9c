// The routes of a process hosting several virtual nodes (VNODES=v) behind one port: each request goes
// to the node its x-chord-node header names, one without the header to the first still in the ring,
// and LEAVE takes the whole process out, each node handing its keys over in turn, then the process goes.
import { VNODE_HEADER } from '../api/vnode-header.js'
import { DhtError, isDhtError, isPeerFailure } from '../errors.js'
import type { ChordNode } from '../protocol/chord-node.js'
import type { Wire } from '../wire.js'
import type { IncomingRequest, Method, ParsedRequest, Reply, Route, RouteTable } from './json-server.js'

/** One route table for the process, from each virtual node's own (`tables[i]` is `nodes[i]`'s). */
export function hostedRoutes(tables: readonly RouteTable[], nodes: readonly ChordNode[], wire: Wire, onLeft: () => void, retryMs: number): RouteTable {
  const byId = new Map(nodes.map((node, index) => [wire.id(node.self.id), index]))
  const tableFor = (request: ParsedRequest | IncomingRequest): RouteTable => {
    const header = request.headers[VNODE_HEADER]
    if (header === undefined) return tables[Math.max(0, nodes.findIndex((node) => node.status !== 'stopped'))]!
    const index = typeof header === 'string' ? byId.get(header.toLowerCase()) : undefined
    // A node this process does not host (any more) is gone, as a process that left would be.
    if (index === undefined) throw new DhtError('NODE_LEFT', `no virtual node ${String(header)} here`)
    return tables[index]!
  }
  const routes: RouteTable = {}
  for (const [path, methods] of Object.entries(tables[0]!)) {
    for (const [method, route] of Object.entries(methods) as Array<[Method, Route]>) {
      ;(routes[path] ??= {})[method] = { ...route, handler: (request) => tableFor(request)[path]![method]!.handler(request) }
    }
  }
  const leaveRoute = routes['/leave']?.POST
  if (leaveRoute) {
    leaveRoute.handler = async (request) => {
      let reply: Reply | undefined
      for (const [index, node] of nodes.entries()) {
        if (node.status === 'stopped') continue
        const leaveOne = () => tables[index]!['/leave']!.POST!.handler(request)
        reply = await retried(leaveOne, retryMs)
      }
      if (!reply) throw new DhtError('NODE_LEFT', 'every virtual node of this process has left')
      return { ...reply, after: onLeft }
    }
  }
  return routes
}

/** Tries a virtual node's LEAVE again while it fails for a moment (a lost call, a neighbour not yet known), so a process is not left half in the ring. */
const LEAVE_ATTEMPTS = 5

async function retried(leave: () => Promise<Reply>, waitMs: number): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await leave()
    } catch (error) {
      const passing = isPeerFailure(error) || isDhtError(error, 'NOT_READY') || isDhtError(error, 'RING_CHANGED')
      if (!passing || attempt >= LEAVE_ATTEMPTS) throw error
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }
}
