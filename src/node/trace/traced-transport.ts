// The protocol's outgoing calls, traced: a Transport around another Transport that sends each call as a
// message of the current trace (a child span, whose headers the HTTP client or the in-memory network
// carries to the receiver) and logs it with a one-line summary of what was asked and answered. The
// protocol sees a Transport like any other.
import { traceWords, type TraceWords } from '../api/rpc.js'
import { rpcSpec, type ReplyOf, type RequestOf, type RpcName } from '../api/rpcs.js'
import type { Transport } from '../api/transport.js'
import type { CallScope, Peer } from '../protocol/types.js'
import type { Id } from '../ring.js'
import type { PeerJson, Wire } from '../wire.js'
import type { Tracer } from './tracer.js'

/** Peers named at most; a ring this size or larger starts the names again. */
const PARTIES_KEPT = 4096

export class TracingTransport implements Transport {
  readonly #inner: Transport
  readonly #tracer: Tracer
  readonly #wire: Wire
  readonly #words: TraceWords
  /** The span this view's calls are children of; none: each call starts a trace. */
  readonly #scope: CallScope | undefined
  /** Each peer as the log names it, made once (its id in hex costs more than the message's other fields); shared by the views. */
  readonly #parties: Map<Id, PeerJson>

  constructor(inner: Transport, tracer: Tracer, wire: Wire, view: { scope?: CallScope; parties?: Map<Id, PeerJson> } = {}) {
    this.#inner = inner
    this.#tracer = tracer
    this.#wire = wire
    this.#words = traceWords(wire)
    this.#scope = view.scope
    this.#parties = view.parties ?? new Map()
  }

  within(scope: CallScope): TracingTransport {
    return new TracingTransport(this.#inner, this.#tracer, this.#wire, { scope, parties: this.#parties })
  }

  #party(peer: Peer): PeerJson {
    let party = this.#parties.get(peer.id)
    if (!party) {
      if (this.#parties.size >= PARTIES_KEPT) this.#parties.clear()
      party = this.#wire.peer(peer)
      this.#parties.set(peer.id, party)
    }
    return party
  }

  /** The call, made on the transport below in the message's own scope (which the wire carries on), and logged with the RPC's own summaries. */
  call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    const inner = this.#inner
    // A paused log: the call goes as if tracing were off, carrying no trace.
    if (!this.#tracer.log.recording) return inner.call(peer, name, request)
    const spec = rpcSpec(name)
    const asked = spec.ask(request, this.#words)
    return this.#tracer.send(
      this.#scope,
      this.#party(peer),
      spec.method,
      spec.path,
      (message) => (inner.within?.(message) ?? inner).call(peer, name, request),
      (reply) => `${asked}: ${spec.answer(reply, this.#words)}`,
      asked,
    )
  }
}
