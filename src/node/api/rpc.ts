// What one RPC of the node API is, declared once: its HTTP method and path, whether it needs the cluster
// secret, how its request and reply travel (codecs over wire.ts), their JSON Schemas for the OpenAPI
// document, and the one-line summaries a trace prints. The server's routes, the HTTP transport, the
// tracing and fault wrappers and the OpenAPI document are all derived from these declarations.
import type { Id } from '../ring.js'
import { preview } from '../text.js'
import type { Peer, StoredRecord } from '../protocol/types.js'
import type { Json, Wire } from '../wire.js'
import type { JsonSchema } from './schema.js'

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE'

/** What the codecs need besides the values: the identifier space and the node's value limit. */
export interface WireContext {
  wire: Wire
  maxValueBytes: number
}

/** A request as it travels: query parameters (GET and DELETE) or a JSON body. */
export interface HttpParts {
  query?: Record<string, string>
  body?: Json
}

/** A request as the server received it. */
export interface ReceivedParts {
  query: URLSearchParams
  body: unknown
}

/** One query parameter, for the OpenAPI document. */
export interface QueryParam {
  name: string
  required?: boolean
  schema: JsonSchema
  description: string
}

/** How a trace names what a message asked and answered. */
export interface TraceWords {
  at(peer: Peer | null | undefined): string
  ats(peers: readonly Peer[]): string
  key(id: Id): string
  records(list: readonly StoredRecord[]): string
}

/** What the OpenAPI document says of a route. */
export interface RouteDoc {
  method: HttpMethod
  path: string
  /** Changes state, so it needs the cluster secret. */
  write: boolean
  summary: string
  /** Where the handout has the step: 'lab' for the handout's own routes, 'engineering' for the extras. */
  tag: 'lab' | 'engineering' | 'tools'
  query?: readonly QueryParam[]
  body?: JsonSchema
  reply: JsonSchema
  /** The reply's status when it is not 200 (a store's 201). */
  status?: number
  /** The reply's media type when it is not JSON (GET /metrics: Prometheus' text format); `reply` then describes the text. */
  contentType?: string
  /** Served only by the key's owner: any other node answers 421 MOVED with the owner it knows. */
  moved?: boolean
}

/** A route one node calls on another: its document, its codecs and its trace lines. */
export interface RpcSpec<Request, Reply> extends RouteDoc {
  encodeRequest(request: Request, context: WireContext): HttpParts
  decodeRequest(parts: ReceivedParts, context: WireContext): Request
  encodeReply(reply: Reply, context: WireContext, request: Request): Json
  decodeReply(json: unknown, context: WireContext): Reply
  /** The trace's line for the request ("route key 1a2b3c4d"), and for the answer. */
  ask(request: Request, words: TraceWords): string
  answer(reply: Reply, words: TraceWords): string
}

/** Declares one RPC (an identity function that fixes its request and reply types). */
export function rpc<Request, Reply>(spec: RpcSpec<Request, Reply>): RpcSpec<Request, Reply> {
  return spec
}

const at = (peer: Peer | null | undefined): string => (peer ? `@${peer.port}` : 'none')

/** The words traces use, over one identifier space. */
export function traceWords(wire: Wire): TraceWords {
  return {
    at,
    ats: (peers) => peers.map(at).join(' ') || 'none',
    key: (id) => wire.id(id).slice(0, 8),
    records: (list) => {
      const deleted = list.filter((r) => r.deleted).length
      const live = list.length - deleted
      const one = list.length === 1 ? ` "${preview(list[0]!.value, 24)}"` : ''
      const parts = [live > 0 || deleted === 0 ? `${live} value${live === 1 ? '' : 's'}` : '', deleted > 0 ? `${deleted} tombstone${deleted === 1 ? '' : 's'}` : ''].filter(Boolean)
      return parts.join(', ') + one
    },
  }
}

/** `path?query` for a request's query parameters. */
export function withQuery(path: string, query: Record<string, string> | undefined): string {
  return query && Object.keys(query).length > 0 ? `${path}?${new URLSearchParams(query)}` : path
}
