// The tools' view of a running ring: the node API's public routes, typed, over the shared HTTP client.
import type { RouteMode } from '../config.js'
import type { NodeInfo } from '../protocol/types.js'
import { IdSpace } from '../ring.js'
import { HttpClient, type Address } from '../transport/http-client.js'
import { asArray, asInteger, asObject, asString, Wire, type PeerJson } from '../wire.js'

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

export interface ContentReply {
  count: number
  entries: Array<{ key: string; value: string }>
}

export class RingClient {
  readonly wire: Wire
  readonly http: HttpClient

  constructor(bits: number, options: { timeoutMs?: number; secret?: string | undefined } = {}) {
    this.wire = new Wire(new IdSpace(bits))
    this.http = new HttpClient({
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.secret ? { headers: { authorization: `Bearer ${options.secret}` } } : {}),
    })
  }

  async nodeInfo(at: Address): Promise<NodeInfo> {
    return this.wire.parseNodeInfo(await this.http.request(at, 'GET', '/nodeinfo'))
  }

  async store(at: Address, value: string): Promise<ValueReply> {
    return valueReply(await this.http.request(at, 'POST', '/store', { value }))
  }

  async lookup(at: Address, value: string): Promise<ValueReply> {
    return valueReply(await this.http.request(at, 'GET', `/lookup?${new URLSearchParams({ value })}`))
  }

  async deleteValue(at: Address, value: string): Promise<ValueReply> {
    return valueReply(await this.http.request(at, 'DELETE', `/store?${new URLSearchParams({ value })}`))
  }

  async findNode(at: Address, id: string, mode: RouteMode = 'fingers'): Promise<FindNodeReply> {
    const reply = asObject(await this.http.request(at, 'GET', `/findnode?id=${id}&mode=${mode}`), 'findnode')
    return {
      id: asString(reply.id, 'id'),
      mode,
      node: reply.node as PeerJson,
      successor: reply.successor as PeerJson,
      hops: asInteger(reply.hops, 'hops', 0, Number.MAX_SAFE_INTEGER),
      path: asArray(reply.path, 'path') as PeerJson[],
    }
  }

  async content(at: Address): Promise<ContentReply> {
    const reply = asObject(await this.http.request(at, 'GET', '/content'), 'content')
    return { count: asInteger(reply.count, 'count', 0, Number.MAX_SAFE_INTEGER), entries: asArray(reply.entries, 'entries') as ContentReply['entries'] }
  }

  async leave(at: Address): Promise<{ handedTo: PeerJson | null }> {
    const reply = asObject(await this.http.request(at, 'POST', '/leave'), 'leave')
    return { handedTo: (reply.handedTo as PeerJson | null) ?? null }
  }

  close(): void {
    this.http.close()
  }
}

function valueReply(body: unknown): ValueReply {
  const reply = asObject(body, 'reply')
  return {
    key: asString(reply.key, 'key'),
    value: asString(reply.value, 'value'),
    node: reply.node as PeerJson,
    hops: asInteger(reply.hops, 'hops', 0, Number.MAX_SAFE_INTEGER),
    path: asArray(reply.path, 'path') as PeerJson[],
  }
}
