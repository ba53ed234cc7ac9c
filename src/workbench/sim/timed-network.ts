// The network of the timed simulator: every node in this process, every message an event on the
// timeline. A request arrives after a delay drawn from the latency model, the receiver's real handler
// runs, and its reply travels back after another delay. A node that has crashed answers nothing: the
// caller's call fails with PEER_TIMEOUT when its timeout runs out (the Chord paper's 500 ms), and the
// calls a crashed node had in flight never come back to it (its process is gone).
//
// Nodes are numbered by address: node i listens at port 1024 + i mod 60,000 on host 10.x.y.1 (one host
// per 60,000 ports), so a peer's address leads to its node without a table or a string per node.
import { DhtError } from '../../node/errors.js'
import type { ChordNode } from '../../node/protocol/chord-node.js'
import type { CallScope, Peer } from '../../node/protocol/types.js'
import type { ReplyOf, RequestOf, RpcName } from '../../node/api/rpcs.js'
import type { RemoteNode, Transport } from '../../node/api/transport.js'
import type { Delay } from './latency.js'
import type { Timeline } from './timeline.js'

const PORTS_PER_HOST = 60_000
const FIRST_PORT = 1024

/** Node i's address. */
export function simAddress(index: number): { host: string; port: number } {
  const block = Math.floor(index / PORTS_PER_HOST)
  return { host: hostName(block), port: FIRST_PORT + (index % PORTS_PER_HOST) }
}

const hostNames: string[] = []
function hostName(block: number): string {
  return (hostNames[block] ??= `10.${(block >> 8) & 255}.${block & 255}.1`)
}

export interface TimedNetworkOptions {
  delay: Delay
  /** How long a caller waits for a node that does not answer. */
  timeoutMs: number
}

export class TimedNetwork {
  readonly timeline: Timeline
  readonly #delay: Delay
  readonly #timeoutMs: number
  /** Node i, while it is up (crashed: undefined). */
  readonly #nodes: Array<ChordNode | undefined> = []
  readonly #blocks = new Map<string, number>()
  /** Calls made on behalf of a scope that timed out, and the nodes they went to, by the scope's trace id (for per-lookup counts). */
  readonly #timeoutsByTrace = new Map<string, { calls: number; nodes: Set<number> }>()
  /** Messages sent: requests and replies. */
  messages = 0
  /** Calls that ran out of time. */
  timeouts = 0

  constructor(timeline: Timeline, options: TimedNetworkOptions) {
    this.timeline = timeline
    this.#delay = options.delay
    this.#timeoutMs = options.timeoutMs
  }

  /** Node i's own transport: what it sends goes out from its address. */
  endpoint(index: number): Transport {
    return new Endpoint(this, index, undefined)
  }

  /** Node i is up. */
  add(index: number, node: ChordNode): void {
    this.#nodes[index] = node
    this.#blocks.set(node.self.host, Math.floor(index / PORTS_PER_HOST))
  }

  /** Node i stops at once, without a word: its timers stop and nothing it was doing comes back to it. */
  crash(index: number): void {
    this.#nodes[index]?.stop()
    this.#nodes[index] = undefined
  }

  isUp(index: number): boolean {
    return this.#nodes[index] !== undefined
  }

  indexOf(peer: Pick<Peer, 'host' | 'port'>): number {
    const block = this.#blocks.get(peer.host)
    return block === undefined ? -1 : block * PORTS_PER_HOST + peer.port - FIRST_PORT
  }

  /**
   * What calls made within the scope with this trace id met: calls that timed out, and the distinct
   * nodes that did not answer them (a node asks a silent peer twice before it gives up on it, so one
   * failed node costs two timeouts). Reading forgets them.
   */
  takeTimeouts(traceId: string): { calls: number; nodes: number } {
    const met = this.#timeoutsByTrace.get(traceId)
    this.#timeoutsByTrace.delete(traceId)
    return { calls: met?.calls ?? 0, nodes: met?.nodes.size ?? 0 }
  }

  send<N extends RpcName>(from: number, peer: Peer, name: N, request: RequestOf<N>, scope: CallScope | undefined): Promise<ReplyOf<N>> {
    this.messages++
    const sentAt = this.timeline.time
    const to = this.indexOf(peer)
    return new Promise<ReplyOf<N>>((resolve, reject) => {
      // A caller that crashed meanwhile hears nothing: its promise stays pending and its work ends there.
      const answer = (settle: () => void) => () => {
        if (this.isUp(from)) settle()
      }
      const timeout = () => {
        this.timeline.at(
          sentAt + this.#timeoutMs,
          answer(() => {
            this.timeouts++
            if (scope) {
              let met = this.#timeoutsByTrace.get(scope.traceId)
              if (!met) this.#timeoutsByTrace.set(scope.traceId, (met = { calls: 0, nodes: new Set() }))
              met.calls++
              met.nodes.add(to)
            }
            reject(new DhtError('PEER_TIMEOUT', `${peer.host}:${peer.port} did not answer within ${this.#timeoutMs} ms`))
          }),
        )
      }
      this.timeline.after(this.#delay(from, to), () => {
        const node = this.#nodes[to]
        // Left the ring (stopped) or crashed: either way nobody answers there.
        if (!node || node.status === 'stopped') return timeout()
        const handlers: RemoteNode = scope ? node.within(scope) : node
        const handle = handlers[name] as (request: RequestOf<N>) => Promise<ReplyOf<N>>
        const reply = (settle: () => void) => {
          if (!this.isUp(to)) return timeout() // crashed while handling: the reply is never sent
          this.messages++
          this.timeline.after(this.#delay(to, from), answer(settle))
        }
        handle.call(handlers, request).then(
          (value) => reply(() => resolve(value)),
          (error: unknown) => reply(() => reject(error)),
        )
      })
    })
  }
}

/** One node's side of the network, within a scope or not. */
class Endpoint implements Transport {
  constructor(
    readonly network: TimedNetwork,
    readonly from: number,
    readonly scope: CallScope | undefined,
  ) {}

  within(scope: CallScope): Transport {
    return new Endpoint(this.network, this.from, scope)
  }

  call<N extends RpcName>(peer: Peer, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    return this.network.send(this.from, peer, name, request, this.scope)
  }
}
