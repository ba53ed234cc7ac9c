// The protocol's Transport over HTTP: each call is one request to the peer's node server, made as the
// RPC table says (method, path, the request's codec), and its reply decoded and validated the same way.
import { DEFAULTS } from '../config.js'
import { withQuery, type WireContext } from '../api/rpc.js'
import { rpcSpec, type ReplyOf, type RequestOf, type RpcName } from '../api/rpcs.js'
import type { Transport } from '../api/transport.js'
import type { CallScope, Peer } from '../protocol/types.js'
import type { Wire } from '../wire.js'
import type { HttpClient, RequestOptions } from './http-client.js'
import { VNODE_HEADER } from '../api/vnode-header.js'

export class HttpTransport implements Transport {
  readonly #client: HttpClient
  readonly #codec: WireContext
  /** The headers a scope's calls carry (its trace), or none. */
  readonly #options: RequestOptions

  constructor(client: HttpClient, wire: Wire, maxValueBytes: number = DEFAULTS.maxValueBytes, headers?: Readonly<Record<string, string>>) {
    this.#client = client
    this.#codec = { wire, maxValueBytes }
    this.#options = headers ? { headers } : {}
  }

  /** Calls that carry `scope`'s headers to the receiver. */
  within(scope: CallScope): HttpTransport {
    return new HttpTransport(this.#client, this.#codec.wire, this.#codec.maxValueBytes, scope.headers)
  }

  async call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    const spec = rpcSpec(name)
    const { query, body } = spec.encodeRequest(request, this.#codec)
    // The node the call is for: a process hosting virtual nodes serves each under its id (start.ts).
    const headers = { ...this.#options.headers, [VNODE_HEADER]: this.#codec.wire.id(peer.id) }
    const reply = await this.#client.request(peer, spec.method, withQuery(spec.path, query), body, { ...this.#options, headers })
    return spec.decodeReply(reply, this.#codec)
  }
}
