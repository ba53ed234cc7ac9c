// The node's HTTP routes, derived from the API's declarations: every RPC of the table decodes its
// request with its codec, calls the node's handler of the same name and encodes the reply; every client
// route gets its handler here, one each. Handlers never talk to other peers themselves.
import { CLIENT_ROUTES, type ClientRouteName } from '../api/client-routes.js'
import { openApiDocument } from '../api/openapi.js'
import type { WireContext } from '../api/rpc.js'
import { RPC_NAMES, rpcSpec, type RpcName } from '../api/rpcs.js'
import { DhtError } from '../errors.js'
import type { Faults } from '../faults/faults.js'
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.js'
import type { NodeMetrics } from '../metrics/node-metrics.js'
import { parsePlan, planJson } from '../faults/plan.js'
import type { ChordNode } from '../protocol/chord-node.js'
import type { NodeHandlers } from '../protocol/node-handlers.js'
import type { Peer } from '../protocol/types.js'
import type { ValueResult } from '../protocol/content.js'
import type { DirectAnswer } from '../protocol/direct.js'
import type { AuthMode } from '../settings.js'
import { messageJson } from '../trace/messages.js'
import type { MessageLog } from '../trace/message-log.js'
import { isTraceId, parseTraceparent, TRACEPARENT } from '../trace/trace-context.js'
import { asInteger, asObject, asString, bad, type Json } from '../wire.js'
import { queryParam, type ParsedRequest, type Reply, type RouteTable } from './json-server.js'

export type { Handler, Method, ParsedRequest, Reply, Route, RouteTable } from './json-server.js'

export interface RouteHooks {
  /** Called after a successful LEAVE reply: the process should exit. */
  onLeft: () => void
  /** The node's message log, when tracing is on: /trace and /messages read it. */
  messages?: MessageLog
  /** The node's injected faults: /faults reads and changes them. */
  faults?: Faults
  /** What the node counts, when it does (METRICS=1): /metrics serves it. */
  metrics?: NodeMetrics
  /** The API document's version (the package's). */
  version?: string
  /** How this ring's writes prove the secret, for /nodeinfo (a node joining from elsewhere takes it). */
  auth?: AuthMode
  /** The virtual nodes of this process still in the ring, for /nodeinfo (the tools find a process's others there). */
  vnodes?: () => readonly Peer[]
}

/** A route's handler, given the node's handlers on behalf of the request (its trace, when traced). */
type NodeHandler = (request: ParsedRequest, on: NodeHandlers) => Promise<Reply>

function valueFrom(input: unknown, field: string): string {
  const value = asString(input, field)
  if (value.length === 0) throw bad(`${field} must not be empty`)
  return value
}

export function nodeRoutes(node: ChordNode, codec: WireContext, hooks: RouteHooks): RouteTable {
  const { wire } = codec
  const handlersFor = (request: ParsedRequest): NodeHandlers => (request.scope ? node.within(request.scope) : node)
  const table: RouteTable = {}
  const add = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, write: boolean, handler: NodeHandler): void => {
    ;(table[path] ??= {})[method] = { handler: (request) => handler(request, handlersFor(request)), ...(write ? { write: true } : {}) }
  }

  // What the process adds to two RPCs' replies: its pid (so the tools can rebuild a lost network state)
  // and value limit on nodeinfo; on LEAVE, this node's log of the trace, which goes with it, and the exit.
  const extras: Partial<Record<RpcName, (body: Json, request: ParsedRequest) => Reply>> = {
    nodeInfo: (body) => ({ body: { ...(body as Record<string, Json>), pid: process.pid, maxValueBytes: codec.maxValueBytes, ...(hooks.auth ? { auth: hooks.auth } : {}), ...(hooks.vnodes ? { vnodes: hooks.vnodes().map((p) => wire.peer(p)) } : {}) } }),
    leave: (body, { headers }) => {
      const trace = parseTraceparent(headers[TRACEPARENT])
      const spans = trace && hooks.messages ? hooks.messages.trace(trace.traceId).map(messageJson) : []
      return { body: { ...(body as Record<string, Json>), spans }, after: hooks.onLeft }
    },
  }
  for (const name of RPC_NAMES) {
    const spec = rpcSpec(name)
    add(spec.method, spec.path, spec.write, async (request, on) => {
      const decoded = spec.decodeRequest(request, codec)
      const handler = on[name] as (this: NodeHandlers, request: typeof decoded) => Promise<ReturnType<typeof spec.decodeReply>>
      const body = spec.encodeReply(await handler.call(on, decoded), codec, decoded)
      return extras[name]?.(body, request) ?? { body }
    })
  }

  const valueResult = (r: ValueResult): Record<string, Json> => ({ key: wire.id(r.key), value: r.value, node: wire.peer(r.node), hops: r.hops, path: r.path.map((p) => wire.peer(p)) })
  // A direct operation this node does not own: 421 MOVED naming the owner it knows, for the client to ask next.
  const servedHere = <T>(answer: DirectAnswer<T>): T => {
    if (answer.served) return answer.result
    const owner = wire.peer(answer.owner)
    throw new DhtError('MOVED', `this node does not own the key; ask ${owner.host}:${owner.port}`, { owner })
  }
  const handlers: Record<ClientRouteName, NodeHandler> = {
    successor: async () => ({ body: { successor: wire.peer(node.successor) } }),
    predecessor: async () => ({ body: { predecessor: wire.peerOrNull(node.predecessor) } }),
    findNode: async ({ query }, on) => {
      const id = wire.parseId(queryParam(query, 'id'), 'id')
      const mode = wire.routeMode(query.get('mode'))
      const route = await on.findOwner(id, mode)
      return { body: { id: wire.id(id), mode, node: wire.peer(route.owner), successor: wire.peer(route.ownerSuccessor), hops: route.hops, path: route.path.map((p) => wire.peer(p)) } }
    },
    store: async ({ body }, on) => ({ status: 201, body: valueResult(await on.storeValue(valueFrom(asObject(body, 'body').value, 'value'))) }),
    deleteValue: async ({ query }, on) => {
      const result = await on.deleteValue(valueFrom(queryParam(query, 'value'), 'value'))
      return { body: { ...valueResult(result), deleted: result.deleted } }
    },
    lookup: async ({ query }, on) => ({ body: valueResult(await on.lookupValue(valueFrom(queryParam(query, 'value'), 'value'))) }),
    readValue: async ({ query }, on) => ({ body: valueResult(servedHere(await on.readValue(valueFrom(queryParam(query, 'value'), 'value')))) }),
    writeValue: async ({ body }, on) => ({ status: 201, body: valueResult(servedHere(await on.writeValue(valueFrom(asObject(body, 'body').value, 'value')))) }),
    removeValue: async ({ query }, on) => {
      const result = servedHere(await on.removeValue(valueFrom(queryParam(query, 'value'), 'value')))
      return { body: { ...valueResult(result), deleted: result.deleted } }
    },
    content: async () => {
      // Live values as the lab's monitor reads them, and the tombstones apart (with versions, for make check).
      const byKey = (a: { key: bigint }, b: { key: bigint }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
      const records = node.store.allRecords().sort(byKey)
      const live = records.filter((r) => !r.deleted)
      const tombstones = records.filter((r) => r.deleted)
      return { body: { node: wire.peer(node.self), count: live.length, entries: live.map((r) => wire.record(r)), tombstoneCount: tombstones.length, tombstones: tombstones.map((r) => wire.record(r)) } }
    },
    // The message log: one trace's messages, or the newest since a moment (both empty with tracing off).
    trace: async ({ query }) => {
      const id = queryParam(query, 'id')
      if (!isTraceId(id)) throw bad('id must be a trace id: 32 lowercase hex digits')
      return { body: { spans: (hooks.messages?.trace(id) ?? []).map(messageJson) } }
    },
    messages: async ({ query }) => {
      const since = query.has('since') ? asInteger(query.get('since'), 'since', 0, Number.MAX_SAFE_INTEGER) : 0
      return { body: { messages: (hooks.messages?.since(since) ?? []).map(messageJson), now: Date.now(), recording: hooks.messages?.recording ?? false } }
    },
    // { "recording": false } stops tracing (what is held stays), true starts it again.
    setRecording: async ({ body }) => {
      const recording = asObject(body, 'body').recording
      if (typeof recording !== 'boolean') throw bad('recording must be true or false')
      if (!hooks.messages?.enabled) throw new DhtError('BAD_REQUEST', 'this ring keeps no message log (MESSAGE_LOG=0): there is nothing to pause or resume')
      hooks.messages.paused = !recording
      return { body: { recording: hooks.messages.recording } }
    },
    metrics: async () => ({ body: Buffer.from(await metricsOf(hooks).render(), 'utf8'), headers: { 'content-type': EXPOSITION_CONTENT_TYPE } }),
    // { "counting": false } pauses counting (what is counted stays), true resumes it.
    setMetrics: async ({ body }) => {
      const counting = asObject(body, 'body').counting
      if (typeof counting !== 'boolean') throw bad('counting must be true or false')
      const metrics = metricsOf(hooks)
      metrics.counting = counting
      return { body: { counting } }
    },
    faults: async () => ({ body: planJson(faultsOf(hooks).plan) }),
    setFaults: async ({ body }) => ({ body: planJson(faultsOf(hooks).replace(parsePlan(body))) }),
    clearFaults: async () => ({ body: planJson(faultsOf(hooks).clear()) }),
    openapi: async () => ({ body: openApiDocument(hooks.version ?? '0.0.0') }),
  }
  for (const [name, route] of Object.entries(CLIENT_ROUTES)) add(route.method, route.path, route.write, handlers[name as ClientRouteName])
  return table
}

function metricsOf(hooks: RouteHooks): NodeMetrics {
  if (!hooks.metrics) throw new DhtError('NOT_FOUND', 'this ring counts nothing: it was booted with METRICS=0')
  return hooks.metrics
}

function faultsOf(hooks: RouteHooks): Faults {
  if (!hooks.faults) throw new DhtError('BAD_REQUEST', 'this node takes no injected faults')
  return hooks.faults
}
