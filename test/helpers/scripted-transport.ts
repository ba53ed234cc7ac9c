// A Transport whose answers a test writes by hand (go-chord's mock RPC, kad-dht's handler specs): each
// RPC, by its name in the table, answers from a script, peers can be taken down (unreachable or timing
// out), and every call is recorded, so a protocol step can be checked message by message without a
// network or a simulator.
import type { ReplyOf, RequestOf, RpcName } from '../../src/node/api/rpcs.js'
import type { Transport } from '../../src/node/api/transport.js'
import { DhtError, type ErrorCode } from '../../src/node/errors.js'
import type { Peer } from '../../src/node/protocol/types.js'

/** An answer; a write whose reply the protocol does not read may answer nothing. */
type Script = { [N in RpcName]?: (peer: Peer, request: RequestOf<N>) => ReplyOf<N> | void | Promise<ReplyOf<N> | void> }

export interface Call {
  method: RpcName
  to: Peer
  request: unknown
}

/** What a live peer answers when the test wrote nothing for it: the writes' acknowledgements. */
const UNSCRIPTED_OK: Partial<Record<RpcName, (peer: Peer) => unknown>> = {
  ping: () => undefined,
}

export class ScriptedTransport implements Transport {
  readonly calls: Call[] = []
  readonly #script: Script = {}
  readonly #down = new Map<bigint, ErrorCode>()

  /** Answers every call of `rpc` with `answer` (which may throw a DhtError to refuse). */
  on<N extends RpcName>(rpc: N, answer: NonNullable<Script[N]>): this {
    ;(this.#script as Record<RpcName, unknown>)[rpc] = answer
    return this
  }

  /** Every call to `peer` fails from now on, as a dead (PEER_UNREACHABLE) or hung (PEER_TIMEOUT) node would. */
  down(peer: Peer, code: ErrorCode = 'PEER_UNREACHABLE'): this {
    this.#down.set(peer.id, code)
    return this
  }

  /** The calls of one RPC, in order. */
  callsOf(rpc: RpcName): Call[] {
    return this.calls.filter((c) => c.method === rpc)
  }

  async call<N extends RpcName>(peer: Peer, rpc: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    this.calls.push({ method: rpc, to: peer, request })
    const down = this.#down.get(peer.id)
    if (down) throw new DhtError(down, `${peer.host}:${peer.port} is down (${down})`)
    // Stabilize's call answers the neighbours as GET /neighbors does, unless the test scripted it apart.
    const scripted = this.#script[rpc] ?? (rpc === 'neighborsAndNotify' ? this.#script.neighbors : undefined)
    const handler = scripted as ((peer: Peer, request: RequestOf<N>) => ReplyOf<N> | Promise<ReplyOf<N>>) | undefined
    if (handler) return handler(peer, request)
    // A ping to a live peer needs no script; anything else unscripted is a test that forgot a step.
    const fallback = UNSCRIPTED_OK[rpc]
    if (fallback) return fallback(peer) as ReplyOf<N>
    throw new Error(`unscripted call ${rpc} to ${peer.port}`)
  }
}

/** A node with a hand-picked id in a small space; the protocol never checks ids against addresses (the wire does). */
export function peer(id: number): Peer {
  return { id: BigInt(id), host: `n${id}`, port: 1000 + id }
}
