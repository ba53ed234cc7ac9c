// The one interface through which the protocol reaches other nodes, and the shape a node has when it
// is called. A Transport makes one generic call (peer, rpc, request), so the HTTP client, the in-memory
// network, tracing, fault injection and the tests' scripted transport each implement one method. The
// protocol calls a RemoteNode instead: `node.get({ key })` on a peer arrives there as the handler
// `get({ key })`, so a node can also call itself without a round trip.
import type { CallScope, Peer } from '../protocol/types.js'
import { RPC_NAMES, type ReplyOf, type RequestOf, type RpcName } from './rpcs.js'

export interface Transport {
  /** This transport with its calls made on behalf of `scope`; one that carries no scope may leave it out. */
  within?(scope: CallScope): Transport
  /**
   * Calls `rpc` on `peer`. A dead or slow peer rejects with PEER_UNREACHABLE or PEER_TIMEOUT; a peer that
   * refuses rejects with its own error code.
   */
  call<N extends RpcName>(peer: Peer, rpc: N, request: RequestOf<N>): Promise<ReplyOf<N>>
}

/** An RPC's arguments as a method: a request with nothing required may be left out. */
type RequestArgs<N extends RpcName> = Record<string, never> extends RequestOf<N> ? [request?: RequestOf<N>] : [request: RequestOf<N>]

/** A node as its callers see it: one method per RPC of the table. */
export type RemoteNode = { [N in RpcName]: (...request: RequestArgs<N>) => Promise<ReplyOf<N>> }

/** The node at `peer`, reached through `transport`. Its methods are made once, from the RPC table. */
export class RemotePeer {
  constructor(
    readonly transport: Transport,
    readonly peer: Peer,
  ) {}
}
// Declaration merging: a RemotePeer has every RemoteNode method, defined on its prototype below.
export interface RemotePeer extends RemoteNode {}

for (const name of RPC_NAMES) {
  Object.defineProperty(RemotePeer.prototype, name, {
    value: function (this: RemotePeer, request: object = {}) {
      return this.transport.call(this.peer, name, request as RequestOf<typeof name>)
    },
  })
}
