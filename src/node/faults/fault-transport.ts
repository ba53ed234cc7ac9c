// Faults injected into a node's outgoing calls: a Transport around another Transport (go-chord's
// BlackholeTransport is the idea) that, as the node's plan says, refuses calls to the other side of a
// partition at once, loses calls (the caller times out, as after a lost message), or holds each call
// before sending it. The protocol sees a Transport like any other; tracing wraps this one, so its
// messages show the delays and the losses.
import type { ReplyOf, RequestOf, RpcName } from '../api/rpcs.js'
import type { Transport } from '../api/transport.js'
import { DhtError } from '../errors.js'
import { peerAddress, type CallScope, type Peer } from '../protocol/types.js'
import type { Faults } from './faults.js'

export class FaultTransport implements Transport {
  readonly #inner: Transport
  readonly #faults: Faults
  readonly #timeoutMs: number
  readonly #options: { timeoutMs: number; self?: Peer }
  readonly #self: string | undefined

  /**
   * `timeoutMs`: how long a caller waits for a lost call before PEER_TIMEOUT (the node's request timeout).
   * `self`: calls to the node itself are no node-to-node calls and are never touched.
   */
  constructor(inner: Transport, faults: Faults, options: { timeoutMs: number; self?: Peer }, selfAddress?: string) {
    this.#inner = inner
    this.#faults = faults
    this.#options = options
    this.#timeoutMs = options.timeoutMs
    this.#self = selfAddress ?? (options.self ? peerAddress(options.self) : undefined)
  }

  /** The same faults, over the transport below's view of `scope`. */
  within(scope: CallScope): FaultTransport {
    return new FaultTransport(this.#inner.within?.(scope) ?? this.#inner, this.#faults, this.#options, this.#self)
  }

  /** With no fault in force the call goes straight on, not even a turn later, so a healthy node behaves as if this layer were not there. */
  #send<T>(peer: Peer, call: () => Promise<T>): Promise<T> {
    if (!this.#faults.affectsCalls) return call()
    const address = peerAddress(peer)
    return address === this.#self ? call() : this.#faulty(address, call)
  }

  async #faulty<T>(address: string, call: () => Promise<T>): Promise<T> {
    const faults = this.#faults
    if (faults.blocks(address)) throw partitioned(address)
    if (faults.drops()) {
      await faults.sleep(this.#timeoutMs)
      throw new DhtError('PEER_TIMEOUT', `${address}: no answer within ${this.#timeoutMs} ms (the call was lost: an injected drop, make drop)`)
    }
    const hold = faults.holdMs()
    if (hold > 0) await faults.sleep(hold)
    // A partition that began while the call was held cuts it off too.
    if (faults.blocks(address)) throw partitioned(address)
    return call()
  }

  call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    return this.#send(peer, () => this.#inner.call(peer, name, request))
  }
}

function partitioned(address: string): DhtError {
  return new DhtError('PEER_UNREACHABLE', `${address} is on the other side of a partition (an injected fault; make heal ends it)`)
}
