// The tools' view of a running ring: the node API's public routes, typed, over the shared HTTP client.
// Every reply is checked through the Wire, as HttpTransport checks the protocol's; one that is not what
// the API promises is a BAD_REPLY naming the node, the route and the field.
import { requestSigner } from '../node/auth/request-signing.js'
import { clientDeadlineMs, type RouteMode } from '../node/config.js'
import { DhtError, ErrorCodes, errorMessage, isDhtError, isPeerFailure, ToolError } from '../node/errors.js'
import { parsePlan, planJson, type FaultPlan } from '../node/faults/plan.js'
import type { NodeInfo, Peer } from '../node/protocol/types.js'
import { IdSpace } from '../node/ring.js'
import { preview } from '../node/text.js'
import { ringSettingFromJson, type AuthMode, type Impl, type RingSettings } from '../node/settings.js'
import { parseMessages, type Message } from '../node/trace/messages.js'
import { TRACEPARENT } from '../node/trace/trace-context.js'
import { HttpClient, type Address } from '../node/transport/http-client.js'
import { VNODE_HEADER } from '../node/api/vnode-header.js'
import { asInteger, asObject, asString, bad, Wire, type Json, type PeerJson } from '../node/wire.js'

export interface ValueReply {
  key: string
  value: string
  node: PeerJson
  hops: number
  path: PeerJson[]
}

export interface FindNodeReply {
  id: string
  mode: RouteMode
  node: PeerJson
  successor: PeerJson
  hops: number
  path: PeerJson[]
}

/** One record of a node's content as the tools read it: the key in hex, the value, its version. */
export type ContentRecord = {
  key: string
  value: string
  version: number
}

export interface ContentReply {
  count: number
  /** Live values. */
  entries: ContentRecord[]
  /** Deleted values still remembered, with the version of their delete. */
  tombstones: ContentRecord[]
}

/** What any node says about its ring, read before its id width is known (make add JOIN=, make recover). */
export type RingParameters = Pick<RingSettings, 'bits' | 'replicas' | 'routeMode'> & Partial<Pick<RingSettings, 'maxValueBytes' | 'impl' | 'auth' | 'vnodes'>>

/** A direct operation's answer: the owner served it, or the node asked does not own the key and names who does. */
export type DirectReply<T> = { moved: false; reply: T } | { moved: true; owner: PeerJson }

const MAX_COUNT = Number.MAX_SAFE_INTEGER

/** A traced operation: the W3C traceparent its request carries, so the ring's messages for it form one trace. */
export interface CallOptions {
  traceparent?: string
  /** Told of each traced request once it is answered (or failed): a trace shows it even when the node logged nothing. */
  onExchange?: (exchange: Exchange) => void
}

/** One request of the tool's, as a trace shows it: the tool → the node. */
export interface Exchange {
  to: Address
  method: string
  path: string
  status: number | null
  durationMs: number
  error?: string
}

/** A request's options: its trace, and how long to wait when not the request timeout (store, lookup, delete). */
type RequestOptions = CallOptions & { timeoutMs?: number }

/**
 * A store or delete that got no answer in time (PEER_TIMEOUT: the client's deadline passed, or the node
 * coordinating it heard nothing from the owner) may have been applied: an OUTCOME_UNKNOWN saying so.
 * Any other error is passed on as it is.
 */
export function writeOutcome(error: unknown, write: 'store' | 'delete', value: string): unknown {
  if (!isDhtError(error, 'PEER_TIMEOUT')) return error
  const label = JSON.stringify(preview(value, 40))
  const applied = write === 'store' ? 'stored' : 'deleted'
  return new ToolError('OUTCOME_UNKNOWN', `unknown outcome: the ${write} of ${label} got no answer (${error.message}); it may have been ${applied} — make lookup V=… tells`)
}

function pidOf(reply: Record<string, unknown>): number | undefined {
  return reply.pid === undefined ? undefined : asInteger(reply.pid, 'pid', 1, 2 ** 31 - 1)
}

export class RingClient {
  readonly wire: Wire
  readonly http: HttpClient
  /** Which node program the ring runs, so a route it lacks is named as the lab node's. */
  readonly impl: Impl

  /**
   * `auth`: how the ring's writes prove the secret (AUTH=); by default signed, or the bearer token on a lab
   * ring, whose node knows nothing else.
   */
  constructor(bits: number, options: { timeoutMs?: number; secret?: string | undefined; auth?: AuthMode; impl?: Impl } = {}) {
    this.wire = new Wire(new IdSpace(bits))
    this.impl = options.impl ?? 'full'
    const sign = requestSigner(options.secret, options.auth ?? (this.impl === 'lab' ? 'bearer' : 'hmac'))
    this.http = new HttpClient({
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(sign ? { sign } : {}),
    })
  }

  async nodeInfo(at: Address): Promise<NodeInfo> {
    return (await this.nodeProcess(at)).info
  }

  /**
   * A node's info, the pid of its process (make recover rebuilds the state from them) and every virtual
   * node its process hosts (VNODES=v; a node that does not say hosts only itself).
   */
  async nodeProcess(at: Address): Promise<{ info: NodeInfo; pid?: number; vnodes: Peer[] }> {
    return this.#call(at, 'GET', '/nodeinfo', undefined, (body) => {
      const reply = asObject(body, 'nodeinfo')
      const pid = pidOf(reply)
      const info = this.wire.parseNodeInfo(body)
      const vnodes = reply.vnodes === undefined ? [info.self] : this.wire.parsePeers(reply.vnodes, 'vnodes')
      return { info, vnodes, ...(pid === undefined ? {} : { pid }) }
    })
  }

  /** The ring's shared settings as one node reports them; any id width reads them. */
  async ringParameters(at: Address): Promise<RingParameters> {
    return this.#call(at, 'GET', '/nodeinfo', undefined, (body) => {
      const reply = asObject(body, 'nodeinfo')
      return {
        bits: ringSettingFromJson('bits', reply.bits, 'bits'),
        replicas: ringSettingFromJson('replicas', reply.replicas, 'replicas'),
        routeMode: ringSettingFromJson('routeMode', reply.routeMode, 'routeMode'),
        ...(reply.maxValueBytes === undefined ? {} : { maxValueBytes: ringSettingFromJson('maxValueBytes', reply.maxValueBytes, 'maxValueBytes') }),
        ...(reply.impl === 'lab' ? { impl: 'lab' as const } : {}),
        // A node that does not say (the lab node) knows the secret only as a bearer token.
        ...(reply.auth !== undefined ? { auth: ringSettingFromJson('auth', reply.auth, 'auth') } : reply.impl === 'lab' ? { auth: 'bearer' as const } : {}),
        // A process of several virtual nodes lists them: a process joining from elsewhere hosts as many.
        ...(Array.isArray(reply.vnodes) && reply.vnodes.length > 1 ? { vnodes: ringSettingFromJson('vnodes', reply.vnodes.length, 'vnodes') } : {}),
      }
    })
  }

  /**
   * How long store, lookup and delete wait for their answer: long enough for the ring's own retries of
   * lost calls (clientDeadlineMs), so one lost node-to-node call does not fail the whole operation.
   */
  get operationTimeoutMs(): number {
    return clientDeadlineMs(this.http.timeoutMs)
  }

  async store(at: Address, value: string, options: CallOptions = {}): Promise<ValueReply> {
    return this.#call(at, 'POST', '/store', { value }, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs })
  }

  async lookup(at: Address, value: string, options: CallOptions = {}): Promise<ValueReply> {
    return this.#call(at, 'GET', `/lookup?${new URLSearchParams({ value })}`, undefined, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs })
  }

  async deleteValue(at: Address, value: string, options: CallOptions = {}): Promise<ValueReply> {
    return this.#call(at, 'DELETE', `/store?${new URLSearchParams({ value })}`, undefined, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs })
  }

  /**
   * LOOKUP at the node believed to own the value's key (GET /value): its answer, or MOVED with the owner it
   * knows. The owner may still ask the key's other holders, or copy a write to them, so the direct routes
   * wait as long as the routed ones.
   */
  async readValue(at: Address, value: string, options: CallOptions = {}): Promise<DirectReply<ValueReply>> {
    return this.#direct(this.#call(at, 'GET', `/value?${new URLSearchParams({ value })}`, undefined, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs }))
  }

  /** STORE at the node believed to own the value's key (POST /value). */
  async writeValue(at: Address, value: string, options: CallOptions = {}): Promise<DirectReply<ValueReply>> {
    return this.#direct(this.#call(at, 'POST', '/value', { value }, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs }))
  }

  /** Delete at the node believed to own the value's key (DELETE /value). */
  async removeValue(at: Address, value: string, options: CallOptions = {}): Promise<DirectReply<ValueReply>> {
    return this.#direct(this.#call(at, 'DELETE', `/value?${new URLSearchParams({ value })}`, undefined, (body) => this.#valueReply(body), { ...options, timeoutMs: this.operationTimeoutMs }))
  }

  async findNode(at: Address, id: string, mode: RouteMode = 'fingers'): Promise<FindNodeReply> {
    return this.#call(at, 'GET', `/findnode?id=${id}&mode=${mode}`, undefined, (body) => {
      const reply = asObject(body, 'findnode')
      return {
        id: this.wire.id(this.wire.parseId(reply.id, 'id')),
        mode: this.wire.routeMode(reply.mode ?? mode),
        node: this.#peer(reply.node, 'node'),
        successor: this.#peer(reply.successor, 'successor'),
        hops: asInteger(reply.hops, 'hops', 0, MAX_COUNT),
        path: this.#peers(reply.path, 'path'),
      }
    })
  }

  /** A one-hop node's table of the whole ring (GET /members): the nodes it believes alive; empty in other modes. */
  async members(at: Address): Promise<PeerJson[]> {
    return this.#call(at, 'GET', '/members', undefined, (body) =>
      this.wire.parseMembers(asObject(body, 'members').members, 'members').flatMap((m) => (m.alive ? [this.wire.peer(m.peer)] : [])),
    )
  }

  async content(at: Address): Promise<ContentReply> {
    return this.#call(at, 'GET', '/content', undefined, (body) => {
      const reply = asObject(body, 'content')
      // The tools read whatever a node holds, so no value limit of their own applies. A node without
      // versions (the lab node) lists its values without them; a tombstone always has one.
      const records = (field: 'entries' | 'tombstones') =>
        reply[field] === undefined ? [] : this.wire.parseRecords(reply[field], field, MAX_COUNT, field === 'tombstones').map((r) => ({ key: this.wire.id(r.key), value: r.value, version: r.version }))
      return { count: asInteger(reply.count, 'count', 0, MAX_COUNT), entries: records('entries'), tombstones: records('tombstones') }
    })
  }

  /** LEAVE; a traced one also brings back the leaver's messages of the trace, since its log goes with it. */
  async leave(at: Address, options: CallOptions = {}): Promise<{ handedTo: PeerJson | null; spans: Message[] }> {
    return this.#call(
      at,
      'POST',
      '/leave',
      undefined,
      (body) => {
        const reply = asObject(body, 'leave')
        return {
          handedTo: reply.handedTo === undefined || reply.handedTo === null ? null : this.#peer(reply.handedTo, 'handedTo'),
          spans: reply.spans === undefined ? [] : parseMessages(reply.spans, 'spans'),
        }
      },
      // A process of v virtual nodes leaves them one by one, each waiting out a lost call or two.
      { ...options, timeoutMs: 3 * this.operationTimeoutMs },
    )
  }

  /** Pauses (false) or resumes (true) the node's message log (PUT /messages); answers whether it records now. */
  async setRecording(at: Address, recording: boolean): Promise<boolean> {
    return this.#call(at, 'PUT', '/messages', { recording }, (body) => {
      const value = asObject(body, 'messages').recording
      if (typeof value !== 'boolean') throw bad('messages.recording must be true or false')
      return value
    })
  }

  /** The node's fault plan (GET /faults). */
  async faults(at: Address): Promise<FaultPlan> {
    return this.#call(at, 'GET', '/faults', undefined, (body) => parsePlan(body, 'faults'))
  }

  /** Replaces the node's fault plan: what `plan` leaves out is off (PUT /faults). Answers the plan in force. */
  async setFaults(at: Address, plan: FaultPlan): Promise<FaultPlan> {
    return this.#call(at, 'PUT', '/faults', planJson(plan), (body) => parsePlan(body, 'faults'))
  }

  /** Clears every fault of the node, its delay included (DELETE /faults). */
  async clearFaults(at: Address): Promise<FaultPlan> {
    return this.#call(at, 'DELETE', '/faults', undefined, (body) => parsePlan(body, 'faults'))
  }

  close(): void {
    this.http.close()
  }

  /**
   * One request, its reply as it came. The node's own errors pass through; on a lab ring, a route the lab
   * node does not have (404 UNKNOWN_ROUTE, 405 METHOD_NOT_ALLOWED) is said in one line naming it.
   */
  async request(at: Address, method: string, route: string, body?: Json, options: RequestOptions = {}): Promise<unknown> {
    const started = performance.now()
    const told = (status: number | null, error?: string) =>
      options.onExchange?.({ to: at, method, path: route.split('?')[0]!, status, durationMs: performance.now() - started, ...(error ? { error } : {}) })
    try {
      const node = nodeOf(at, this.wire)
      const headers = { ...(options.traceparent ? { [TRACEPARENT]: options.traceparent } : {}), ...(node ? { [VNODE_HEADER]: node } : {}) }
      const reply = await this.http.request(at, method, route, body, {
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      })
      told(200)
      return reply
    } catch (error) {
      told(isDhtError(error) && !isPeerFailure(error) ? ErrorCodes[error.code] : null, isDhtError(error) ? error.code : 'ERROR')
      if (this.impl !== 'lab' || !(isDhtError(error, 'UNKNOWN_ROUTE') || isDhtError(error, 'METHOD_NOT_ALLOWED'))) throw error
      throw new DhtError(error.code, `the lab node @${at.port} has no ${method} ${route.split('?')[0]} (the full node has: IMPL=full)`)
    }
  }

  /** One request; the node's own errors pass through, a reply that does not parse is a BAD_REPLY. */
  async #call<T>(at: Address, method: string, route: string, body: Json | undefined, parse: (body: unknown) => T, options: RequestOptions = {}): Promise<T> {
    const reply = await this.request(at, method, route, body, options)
    try {
      return parse(reply)
    } catch (error) {
      throw new ToolError('BAD_REPLY', `${at.host}:${at.port} answered ${method} ${route.split('?')[0]} with a bad reply: ${errorMessage(error)}`)
    }
  }

  /** A MOVED refusal as data, its owner checked as any node in a reply is; every other failure passes through. */
  async #direct<T>(call: Promise<T>): Promise<DirectReply<T>> {
    try {
      return { moved: false, reply: await call }
    } catch (error) {
      if (!isDhtError(error, 'MOVED')) throw error
      try {
        return { moved: true, owner: this.#peer(error.details?.owner, 'owner') }
      } catch (parseError) {
        throw new ToolError('BAD_REPLY', `a MOVED reply named no usable owner: ${errorMessage(parseError)}`)
      }
    }
  }

  #valueReply(body: unknown): ValueReply {
    const reply = asObject(body, 'reply')
    return {
      key: this.wire.id(this.wire.parseId(reply.key, 'key')),
      value: asString(reply.value, 'value'),
      node: this.#peer(reply.node, 'node'),
      hops: asInteger(reply.hops, 'hops', 0, MAX_COUNT),
      path: this.#peers(reply.path, 'path'),
    }
  }

  /** A node as the tools print it (hex id), checked first: its id must be the hash of its address. */
  #peer(value: unknown, field: string): PeerJson {
    return this.wire.peer(this.wire.parsePeer(value, field))
  }

  #peers(value: unknown, field: string): PeerJson[] {
    return this.wire.parsePeers(value, field).map((p: Peer) => this.wire.peer(p))
  }
}

/**
 * The node an address names, when it names one by id (a peer, a process record): a process hosting
 * virtual nodes (VNODES=v) serves the request as that one. A plain host and port is the process's first.
 */
function nodeOf(at: Address & { id?: unknown }, wire: Wire): string | undefined {
  if (typeof at.id === 'string') return at.id
  if (typeof at.id === 'bigint') return wire.id(at.id)
  return undefined
}
