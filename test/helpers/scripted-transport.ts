// A Transport whose answers a test writes by hand (go-chord's mock RPC, kad-dht's handler specs): each
// method answers from a script, peers can be taken down (unreachable or timing out), and every call is
// recorded, so a protocol step can be checked message by message without a network or a simulator.
import { DhtError, type ErrorCode } from '../../src/node/errors.js'
import type { Peer, Transport } from '../../src/node/protocol/types.js'

/** The calls a node makes (within, the scoped view, is not one). */
type Method = Exclude<keyof Transport, 'within'>
/** A method's arguments after the peer it is sent to. */
type Rest<M extends Method> = Parameters<Transport[M]> extends [Peer, ...infer A] ? A : never
type Script = { [M in Method]?: (peer: Peer, ...args: Rest<M>) => Awaited<ReturnType<Transport[M]>> }

export interface Call {
  method: Method
  to: Peer
  args: unknown[]
}

export class ScriptedTransport implements Transport {
  readonly calls: Call[] = []
  readonly #script: Script = {}
  readonly #down = new Map<bigint, ErrorCode>()

  /** Answers every call of `method` with `answer` (which may throw a DhtError to refuse). */
  on<M extends Method>(method: M, answer: NonNullable<Script[M]>): this {
    ;(this.#script as Record<Method, unknown>)[method] = answer
    return this
  }

  /** Every call to `peer` fails from now on, as a dead (PEER_UNREACHABLE) or hung (PEER_TIMEOUT) node would. */
  down(peer: Peer, code: ErrorCode = 'PEER_UNREACHABLE'): this {
    this.#down.set(peer.id, code)
    return this
  }

  /** The calls of one method, in order. */
  callsOf(method: Method): Call[] {
    return this.calls.filter((c) => c.method === method)
  }

  #answer(method: Method, peer: Peer, args: unknown[]): Promise<never> {
    this.calls.push({ method, to: peer, args })
    const down = this.#down.get(peer.id)
    if (down) return Promise.reject(new DhtError(down, `${peer.host}:${peer.port} is down (${down})`))
    const handler = this.#script[method] as ((peer: Peer, ...args: unknown[]) => unknown) | undefined
    // A ping to a live peer needs no script; anything else unscripted is a test that forgot a step.
    if (!handler) return method === 'ping' ? (Promise.resolve(undefined) as Promise<never>) : Promise.reject(new Error(`unscripted call ${method} to ${peer.port}`))
    try {
      return Promise.resolve(handler(peer, ...args)) as Promise<never>
    } catch (error) {
      return Promise.reject(error)
    }
  }

  nodeInfo(peer: Peer, ...args: []) { return this.#answer('nodeInfo', peer, args) }
  ping(peer: Peer, ...args: []) { return this.#answer('ping', peer, args) }
  routeStep(peer: Peer, ...args: Rest<'routeStep'>) { return this.#answer('routeStep', peer, args) }
  neighbors(peer: Peer, ...args: Rest<'neighbors'>) { return this.#answer('neighbors', peer, args) }
  notify(peer: Peer, ...args: Rest<'notify'>) { return this.#answer('notify', peer, args) }
  setSuccessor(peer: Peer, ...args: Rest<'setSuccessor'>) { return this.#answer('setSuccessor', peer, args) }
  setPredecessor(peer: Peer, ...args: Rest<'setPredecessor'>) { return this.#answer('setPredecessor', peer, args) }
  join(peer: Peer, ...args: Rest<'join'>) { return this.#answer('join', peer, args) }
  leave(peer: Peer, ...args: []) { return this.#answer('leave', peer, args) }
  insert(peer: Peer, ...args: Rest<'insert'>) { return this.#answer('insert', peer, args) }
  get(peer: Peer, ...args: Rest<'get'>) { return this.#answer('get', peer, args) }
  delete(peer: Peer, ...args: Rest<'delete'>) { return this.#answer('delete', peer, args) }
  rangeEntries(peer: Peer, ...args: Rest<'rangeEntries'>) { return this.#answer('rangeEntries', peer, args) }
  members(peer: Peer, ...args: []) { return this.#answer('members', peer, args) }
  announce(peer: Peer, ...args: Rest<'announce'>) { return this.#answer('announce', peer, args) }
  unify(peer: Peer, ...args: Rest<'unify'>) { return this.#answer('unify', peer, args) }
  offer(peer: Peer, ...args: Rest<'offer'>) { return this.#answer('offer', peer, args) }
}

/** A node with a hand-picked id in a small space; the protocol never checks ids against addresses (the wire does). */
export function peer(id: number): Peer {
  return { id: BigInt(id), host: `n${id}`, port: 1000 + id }
}
