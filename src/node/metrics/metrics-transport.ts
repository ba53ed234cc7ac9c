// The node's outgoing calls, counted: a Transport around another Transport that counts each call by
// the RPC's method, route and the status of its answer, times it, and counts the calls that got no
// answer (a peer gone or too slow) apart. The protocol sees a Transport like any other.
import { rpcSpec, type ReplyOf, type RequestOf, type RpcName } from '../api/rpcs.js'
import type { Transport } from '../api/transport.js'
import { DhtError } from '../errors.js'
import type { CallScope, Peer } from '../protocol/types.js'
import type { NodeMetrics, PeerFailure } from './node-metrics.js'

/** A call's outcome as the metrics label it: the answer's status, or why none came. */
function outcomeOf(error: unknown): number | PeerFailure {
  // Not a peer's answer at all but a fault of ours (the transport maps every failure it meets to a DhtError).
  if (!(error instanceof DhtError)) return 500
  if (error.code === 'PEER_TIMEOUT') return 'timeout'
  if (error.code === 'PEER_UNREACHABLE') return 'unreachable'
  return error.status
}

export class MetricsTransport implements Transport {
  readonly #inner: Transport
  readonly #metrics: NodeMetrics

  constructor(inner: Transport, metrics: NodeMetrics) {
    this.#inner = inner
    this.#metrics = metrics
  }

  within(scope: CallScope): MetricsTransport {
    return new MetricsTransport(this.#inner.within?.(scope) ?? this.#inner, this.#metrics)
  }

  call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    return this.#metrics.counting ? this.#counted(peer, name, request) : this.#inner.call(peer, name, request)
  }

  async #counted<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    const { method, path, status = 200 } = rpcSpec(name)
    const start = performance.now()
    try {
      const reply = await this.#inner.call(peer, name, request)
      this.#metrics.call(method, path, status, (performance.now() - start) / 1000)
      return reply
    } catch (error) {
      this.#metrics.call(method, path, outcomeOf(error), (performance.now() - start) / 1000)
      throw error
    }
  }
}
