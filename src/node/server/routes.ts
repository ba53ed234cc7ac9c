// The node's HTTP API: one small handler per route, chosen from a table. Handlers validate their
// input through the Wire and call the node; they never talk to other peers themselves.
import { DhtError } from '../errors.js'
import type { ChordNode } from '../protocol/chord-node.js'
import type { NodeHandlers } from '../protocol/node-handlers.js'
import type { NeighborsRequest } from '../protocol/types.js'
import { queryParam, type ParsedRequest, type Reply, type Route, type RouteTable } from './json-server.js'
import { messageJson } from '../trace/messages.js'
import type { MessageLog } from '../trace/message-log.js'
import { isTraceId, parseTraceparent, TRACEPARENT } from '../trace/trace-context.js'
import { asInteger, asObject, asString, bad, type Json, type Wire } from '../wire.js'

export type { Handler, Method, ParsedRequest, Reply, Route, RouteTable } from './json-server.js'

export interface RouteHooks {
  /** Called after a successful LEAVE reply: the process should exit. */
  onLeft: () => void
  /** The node's message log, when tracing is on: /trace and /messages read it. */
  messages?: MessageLog
}

/** A route's handler, given the node's handlers on behalf of the request (its trace, when traced). */
type NodeHandler = (request: ParsedRequest, on: NodeHandlers) => Promise<Reply>

function valueFrom(input: unknown, field: string): string {
  const value = asString(input, field)
  if (value.length === 0) throw bad(`${field} must not be empty`)
  return value
}

export function nodeRoutes(node: ChordNode, wire: Wire, hooks: RouteHooks): RouteTable {
  const handlersFor = (request: ParsedRequest): NodeHandlers => (request.scope ? node.within(request.scope) : node)
  /** Reads (nodeinfo, lookup, content, findnode, routing steps) stay open. */
  const read = (handler: NodeHandler): Route => ({ handler: (request) => handler(request, handlersFor(request)) })
  /** Requests that change a node's state, and so must prove they come from the cluster (the secret). */
  const write = (handler: NodeHandler): Route => ({ handler: (request) => handler(request, handlersFor(request)), write: true })
  const valueResult = (r: { key: bigint; value: string; node: typeof node.self; hops: number; path: Array<typeof node.self> }): Json => ({
    key: wire.id(r.key),
    value: r.value,
    node: wire.peer(r.node),
    hops: r.hops,
    path: r.path.map((p) => wire.peer(p)),
  })

  const range = (from: unknown, to: unknown) => ({ from: wire.parseId(from, 'from'), to: wire.parseId(to ?? null, 'to') })
  /** A member table's fingerprint: 40 hex digits (SHA-1), as member-table.ts makes it. */
  const membersDigest = (value: unknown) => {
    const text = asString(value, 'members')
    if (!/^[0-9a-f]{40}$/.test(text)) throw bad('members must be a member table fingerprint (40 hex digits)')
    return text
  }
  const neighborsReply = async (on: NodeHandlers, request: NeighborsRequest) => {
    const neighbors = await on.neighbors(request)
    return {
      body: {
        predecessor: wire.peerOrNull(neighbors.predecessor),
        successors: neighbors.successors.map((p) => wire.peer(p)),
        ...(neighbors.digest === undefined ? {} : { digest: neighbors.digest }),
        ...(neighbors.members === undefined ? {} : { members: neighbors.members.map((m) => wire.member(m)) }),
      },
    }
  }

  return {
    // The pid lets the tools rebuild a lost network state by asking the ring itself.
    // The value limit too, so a machine joining with JOIN= accepts what this ring stores.
    '/nodeinfo': {
      GET: read(async () => ({ body: { ...(wire.nodeInfo(await node.nodeInfo()) as Record<string, Json>), pid: process.pid, maxValueBytes: node.config.maxValueBytes } })),
    },
    '/ping': { GET: read(async () => ({ body: { ok: true } })) },
    '/successor': {
      GET: read(async () => ({ body: { successor: wire.peer(node.successor) } })),
      PUT: write(async ({ body }, on) => {
        // `expected`: a JOIN's compare-and-set, refused with RING_CHANGED when another join came first.
        const expected = asObject(body, 'body').expected
        await on.setSuccessor(wire.parsePeer(body, 'body'), expected === undefined ? undefined : wire.parsePeer(expected, 'body.expected'))
        return { body: { successor: wire.peer(node.successor) } }
      }),
    },
    '/predecessor': {
      GET: read(async () => ({ body: { predecessor: wire.peerOrNull(node.predecessor) } })),
      PUT: write(async ({ body }, on) => {
        await on.setPredecessor(wire.parsePeerOrNull(body, 'body'))
        return { body: { predecessor: wire.peerOrNull(node.predecessor) } }
      }),
    },
    // stabilize's one call: the neighbours, a fingerprint of a range (from, to), and with POST a notify.
    '/neighbors': {
      GET: read(async ({ query }, on) =>
        neighborsReply(on, {
          ...(query.has('from') ? { digestOf: range(query.get('from'), query.get('to')) } : {}),
          ...(query.has('members') ? { membersDigest: membersDigest(query.get('members')) } : {}),
        }),
      ),
      POST: write(async ({ body }, on) => {
        const object = asObject(body, 'body')
        return neighborsReply(on, {
          ...(object.from === undefined ? {} : { digestOf: range(object.from, object.to) }),
          ...(object.members === undefined ? {} : { membersDigest: membersDigest(object.members) }),
          ...(object.notify === undefined ? {} : { notify: wire.parsePeer(object.notify, 'notify') }),
        })
      }),
    },
    // One hop: a joiner starts from its bootstrap's table of the whole ring.
    '/members': {
      GET: read(async (_request, on) => ({ body: { members: (await on.members()).map((m) => wire.member(m)) } })),
    },
    // Membership news, passed on down the finger tree: take it in, and hand it on within (self, limit).
    '/announce': {
      POST: write(async ({ body }, on) => {
        const object = asObject(body, 'body')
        await on.announce(wire.parseAnnouncement(object, 'body'), wire.parseId(object.limit, 'limit'))
        return { body: { ok: true } }
      }),
    },
    // Ring unification after a partition: find a node of another ring its place here; take it if it is closer.
    '/unify': {
      POST: write(async ({ body }, on) => {
        await on.unify(wire.parsePeer(body, 'body'))
        return { body: { ok: true } }
      }),
    },
    '/offer': {
      POST: write(async ({ body }, on) => {
        await on.offer(wire.parsePeer(body, 'body'))
        return { body: { successor: wire.peer(node.successor) } }
      }),
    },
    '/notify': {
      POST: write(async ({ body }, on) => {
        await on.notify(wire.parsePeer(body, 'body'))
        return { body: { predecessor: wire.peerOrNull(node.predecessor) } }
      }),
    },
    '/route': {
      GET: read(async ({ query }, on) => {
        const key = wire.parseId(queryParam(query, 'key'), 'key')
        return { body: wire.routeStep(await on.routeStep(key, wire.routeMode(query.get('mode')), query.get('values') === '1')) }
      }),
    },
    '/findnode': {
      GET: read(async ({ query }, on) => {
        const id = wire.parseId(queryParam(query, 'id'), 'id')
        const mode = wire.routeMode(query.get('mode'))
        const route = await on.findOwner(id, mode)
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
      }),
    },
    '/join': {
      POST: write(async ({ body }, on) => {
        const result = await on.join(wire.parsePeer(body, 'body'))
        return { body: { predecessor: wire.peer(result.predecessor), successor: wire.peer(result.successor) } }
      }),
    },
    '/leave': {
      POST: write(async ({ headers }, on) => {
        const predecessor = node.predecessor
        await on.leave()
        // This node's log goes with it: a traced leave takes its messages of the trace along in the answer.
        const trace = parseTraceparent(headers[TRACEPARENT])
        const spans = trace && hooks.messages ? hooks.messages.trace(trace.traceId).map(messageJson) : []
        return { body: { left: wire.peer(node.self), handedTo: wire.peerOrNull(predecessor), spans }, after: hooks.onLeft }
      }),
    },
    '/store': {
      POST: write(async ({ body }, on) => {
        const value = valueFrom(asObject(body, 'body').value, 'value')
        return { status: 201, body: valueResult(await on.storeValue(value)) }
      }),
      DELETE: write(async ({ query }, on) => {
        const result = await on.deleteValue(valueFrom(queryParam(query, 'value'), 'value'))
        return { body: { ...(valueResult(result) as Record<string, Json>), deleted: result.deleted } }
      }),
    },
    '/lookup': {
      GET: read(async ({ query }, on) => ({ body: valueResult(await on.lookupValue(valueFrom(queryParam(query, 'value'), 'value'))) })),
    },
    '/insert': {
      POST: write(async ({ body }, on) => {
        const object = asObject(body, 'body')
        const role = wire.insertRole(object.role)
        const records = wire.parseRecords(object.entries, 'entries', node.config.maxValueBytes, role === 'replica' || role === 'handoff')
        const copies = object.copies === undefined ? 1 : asInteger(object.copies, 'copies', 1, 64)
        await on.insert(records, role, copies)
        return { body: { inserted: records.length } }
      }),
    },
    '/get': {
      GET: read(async ({ query }, on) => {
        const key = wire.parseId(queryParam(query, 'key'), 'key')
        return { body: wire.keyRead(await on.get(key), key) }
      }),
    },
    '/delete': {
      DELETE: write(async ({ query }, on) => {
        const key = wire.parseId(queryParam(query, 'key'), 'key')
        const value = query.get('value') ?? undefined
        const copies = query.has('copies') ? asInteger(query.get('copies'), 'copies', 1, 64) : 1
        const after = query.has('after') ? asInteger(query.get('after'), 'after', 0, Number.MAX_SAFE_INTEGER) : undefined
        const options = { ...(after === undefined ? {} : { after }), ...(query.get('heir') === '1' ? { heir: true } : {}) }
        return { body: { key: wire.id(key), deleted: await on.delete(key, value, copies, options) } }
      }),
    },
    '/range': {
      GET: read(async ({ query }, on) => {
        const from = wire.parseId(queryParam(query, 'from'), 'from')
        const to = wire.parseId(queryParam(query, 'to'), 'to')
        return { body: wire.rangeAnswer(await on.rangeEntries(from, to, query.get('digest') ?? undefined)) }
      }),
    },
    // The message log: one trace's messages, or the newest since a moment (both empty with tracing off).
    '/trace': {
      GET: read(async ({ query }) => {
        const id = queryParam(query, 'id')
        if (!isTraceId(id)) throw bad('id must be a trace id: 32 lowercase hex digits')
        return { body: { spans: (hooks.messages?.trace(id) ?? []).map(messageJson) } }
      }),
    },
    '/messages': {
      GET: read(async ({ query }) => {
        const since = query.has('since') ? asInteger(query.get('since'), 'since', 0, Number.MAX_SAFE_INTEGER) : 0
        const now = Date.now()
        return { body: { messages: (hooks.messages?.since(since) ?? []).map(messageJson), now, recording: hooks.messages?.recording ?? false } }
      }),
      // Pause or resume the log: { "recording": false } stops tracing (what is held stays), true starts it again.
      PUT: write(async ({ body }) => {
        const recording = asObject(body, 'body').recording
        if (typeof recording !== 'boolean') throw bad('recording must be true or false')
        if (!hooks.messages?.enabled) throw new DhtError('BAD_REQUEST', 'this ring keeps no message log (MESSAGE_LOG=0): there is nothing to pause or resume')
        hooks.messages.paused = !recording
        return { body: { recording: hooks.messages.recording } }
      }),
    },
    '/content': {
      GET: read(async () => {
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
      }),
    },
  }
}
