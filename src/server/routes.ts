// The node's HTTP API: one small handler per route, chosen from a table. Handlers validate their
// input through the Wire and call the node; they never talk to other peers themselves.
import type { ChordNode } from '../protocol/chord-node.js'
import { asInteger, asObject, asString, bad, type Json, type Wire } from '../wire.js'

export interface ParsedRequest {
  query: URLSearchParams
  body: unknown
}

export interface Reply {
  status?: number
  body: Json
  /** Runs once the reply has been sent (LEAVE shuts the process down then). */
  after?: () => void
}

export type Handler = (request: ParsedRequest) => Promise<Reply>
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE'
export type RouteTable = Record<string, Partial<Record<Method, Handler>>>

/**
 * Requests that change a node's state, and so must prove they come from the cluster (the secret).
 * Reads (nodeinfo, lookup, content, findnode, routing steps) stay open.
 */
export const WRITE_ROUTES: ReadonlySet<string> = new Set([
  'PUT /successor',
  'PUT /predecessor',
  'POST /notify',
  'POST /join',
  'POST /leave',
  'POST /store',
  'DELETE /store',
  'POST /insert',
  'DELETE /delete',
])

export interface RouteHooks {
  /** Called after a successful LEAVE reply: the process should exit. */
  onLeft: () => void
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name)
  if (value === null) throw bad(`query parameter ${name} is required`)
  return value
}

function valueFrom(input: unknown, field: string): string {
  const value = asString(input, field)
  if (value.length === 0) throw bad(`${field} must not be empty`)
  return value
}

export function nodeRoutes(node: ChordNode, wire: Wire, hooks: RouteHooks): RouteTable {
  const valueResult = (r: { key: bigint; value: string; node: typeof node.self; hops: number; path: Array<typeof node.self> }): Json => ({
    key: wire.id(r.key),
    value: r.value,
    node: wire.peer(r.node),
    hops: r.hops,
    path: r.path.map((p) => wire.peer(p)),
  })

  return {
    // The pid lets the tools rebuild a lost network state by asking the ring itself.
    // The value limit too, so a machine joining with JOIN= accepts what this ring stores.
    '/nodeinfo': {
      GET: async () => ({ body: { ...(wire.nodeInfo(await node.nodeInfo()) as Record<string, Json>), pid: process.pid, maxValueBytes: node.config.maxValueBytes } }),
    },
    '/ping': { GET: async () => ({ body: { ok: true } }) },
    '/successor': {
      GET: async () => ({ body: { successor: wire.peer(node.successor) } }),
      PUT: async ({ body }) => {
        // `expected`: a JOIN's compare-and-set, refused with RING_CHANGED when another join came first.
        const expected = asObject(body, 'body').expected
        await node.setSuccessor(wire.parsePeer(body, 'body'), expected === undefined ? undefined : wire.parsePeer(expected, 'body.expected'))
        return { body: { successor: wire.peer(node.successor) } }
      },
    },
    '/predecessor': {
      GET: async () => ({ body: { predecessor: wire.peerOrNull(node.predecessor) } }),
      PUT: async ({ body }) => {
        await node.setPredecessor(wire.parsePeerOrNull(body, 'body'))
        return { body: { predecessor: wire.peerOrNull(node.predecessor) } }
      },
    },
    '/neighbors': {
      GET: async ({ query }) => {
        const digestOf = query.has('from') ? { from: wire.parseId(query.get('from'), 'from'), to: wire.parseId(required(query, 'to'), 'to') } : undefined
        const neighbors = await node.neighbors(digestOf)
        return {
          body: {
            predecessor: wire.peerOrNull(neighbors.predecessor),
            successors: neighbors.successors.map((p) => wire.peer(p)),
            ...(neighbors.digest === undefined ? {} : { digest: neighbors.digest }),
          },
        }
      },
    },
    '/notify': {
      POST: async ({ body }) => {
        await node.notify(wire.parsePeer(body, 'body'))
        return { body: { predecessor: wire.peerOrNull(node.predecessor) } }
      },
    },
    '/route': {
      GET: async ({ query }) => {
        const key = wire.parseId(required(query, 'key'), 'key')
        return { body: wire.routeStep(await node.routeStep(key, wire.routeMode(query.get('mode')), query.get('values') === '1')) }
      },
    },
    '/findnode': {
      GET: async ({ query }) => {
        const id = wire.parseId(required(query, 'id'), 'id')
        const mode = wire.routeMode(query.get('mode'))
        const route = await node.findOwner(id, mode)
        return {
          body: {
            id: wire.id(id),
            mode,
            node: wire.peer(route.owner),
            successor: wire.peer(route.ownerSuccessor),
            hops: route.hops,
            path: route.path.map((p) => wire.peer(p)),
          },
        }
      },
    },
    '/join': {
      POST: async ({ body }) => {
        const result = await node.join(wire.parsePeer(body, 'body'))
        return { body: { predecessor: wire.peer(result.predecessor), successor: wire.peer(result.successor) } }
      },
    },
    '/leave': {
      POST: async () => {
        const predecessor = node.predecessor
        await node.leave()
        return { body: { left: wire.peer(node.self), handedTo: wire.peerOrNull(predecessor) }, after: hooks.onLeft }
      },
    },
    '/store': {
      POST: async ({ body }) => {
        const value = valueFrom(asObject(body, 'body').value, 'value')
        return { status: 201, body: valueResult(await node.storeValue(value)) }
      },
      DELETE: async ({ query }) => {
        const result = await node.deleteValue(valueFrom(required(query, 'value'), 'value'))
        return { body: { ...(valueResult(result) as Record<string, Json>), deleted: result.deleted } }
      },
    },
    '/lookup': {
      GET: async ({ query }) => ({ body: valueResult(await node.lookupValue(valueFrom(required(query, 'value'), 'value'))) }),
    },
    '/insert': {
      POST: async ({ body }) => {
        const object = asObject(body, 'body')
        const role = wire.insertRole(object.role)
        const records = wire.parseRecords(object.entries, 'entries', node.config.maxValueBytes, role === 'replica' || role === 'handoff')
        const copies = object.copies === undefined ? 1 : asInteger(object.copies, 'copies', 1, 64)
        await node.insert(records, role, copies)
        return { body: { inserted: records.length } }
      },
    },
    '/get': {
      GET: async ({ query }) => {
        const key = wire.parseId(required(query, 'key'), 'key')
        return { body: wire.keyRead(await node.get(key), key) }
      },
    },
    '/delete': {
      DELETE: async ({ query }) => {
        const key = wire.parseId(required(query, 'key'), 'key')
        const value = query.get('value') ?? undefined
        const copies = query.has('copies') ? asInteger(query.get('copies'), 'copies', 1, 64) : 1
        const after = query.has('after') ? asInteger(query.get('after'), 'after', 0, Number.MAX_SAFE_INTEGER) : undefined
        const options = { ...(after === undefined ? {} : { after }), ...(query.get('heir') === '1' ? { heir: true } : {}) }
        return { body: { key: wire.id(key), deleted: await node.delete(key, value, copies, options) } }
      },
    },
    '/range': {
      GET: async ({ query }) => {
        const from = wire.parseId(required(query, 'from'), 'from')
        const to = wire.parseId(required(query, 'to'), 'to')
        return { body: wire.rangeAnswer(await node.rangeEntries(from, to, query.get('digest') ?? undefined)) }
      },
    },
    '/content': {
      GET: async () => {
        // Live values as the lab's monitor reads them, and the tombstones apart (with versions, for make check).
        const byKey = (a: { key: bigint }, b: { key: bigint }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
        const records = node.store.allRecords().sort(byKey)
        const live = records.filter((r) => !r.deleted)
        const tombstones = records.filter((r) => r.deleted)
        return {
          body: {
            node: wire.peer(node.self),
            count: live.length,
            entries: live.map((r) => wire.record(r)),
            tombstoneCount: tombstones.length,
            tombstones: tombstones.map((r) => wire.record(r)),
          },
        }
      },
    },
  }
}
