// The network the model checker drives: a Transport whose calls wait, in flight, until the checker
// delivers them. A request delivered runs the receiver's real handler; its answer travels back as a
// message of its own, delivered when the checker chooses. With faults on, the checker may lose either
// one instead (the caller then times out). A crashed node answers nothing: a request to it fails, the
// requests it was handling time out at their callers, and answers to it are dropped. The messages in
// flight are part of the state the checker explores, and each is logged as a trace message.
import { DhtError, ErrorCodes, isDhtError } from '../../node/errors.js'
import { traceWords, type TraceWords } from '../../node/api/rpc.js'
import { rpcSpec, type ReplyOf, type RequestOf, type RpcName } from '../../node/api/rpcs.js'
import type { Transport } from '../../node/api/transport.js'
import { peerAddress, type CallScope, type Peer } from '../../node/protocol/types.js'
import type { Wire } from '../../node/wire.js'
import type { Span, TraceRecord } from './trace-record.js'

/** A node as the network reaches it. */
export interface Receiver {
  /** False once the node has left or stopped: it answers nothing more. */
  answers(): boolean
  handle(rpc: RpcName, request: unknown, scope: CallScope): Promise<unknown>
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: DhtError }

/** A message in flight: a request on its way to its receiver, or the answer on its way back. */
export interface Flight {
  readonly seq: number
  readonly kind: 'request' | 'reply'
  readonly rpc: RpcName
  readonly caller: Peer
  readonly callee: Peer
  readonly request: unknown
  readonly span: Span
  /** The answer a reply carries. */
  readonly outcome?: Outcome
}

interface Waiting {
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export class ControlledNetwork {
  readonly #trace: TraceRecord
  readonly #wire: Wire
  readonly #words: TraceWords
  readonly #receivers = new Map<string, Receiver>()
  readonly #crashed = new Set<string>()
  /** Requests delivered whose handler has not answered yet, by their request's seq. */
  readonly #handling = new Map<number, Flight>()
  readonly #waiting = new Map<number, Waiting>()
  #inFlight: Flight[] = []
  #seq = 0
  /** The step being taken: what the trace records. */
  step = 0
  /** Bumped by every send, answer and delivery: the checker waits for it to stop moving. */
  activity = 0
  /** Handlers that threw something other than a protocol error: a node must never crash on input. */
  readonly thrown: string[] = []

  constructor(trace: TraceRecord, wire: Wire) {
    this.#trace = trace
    this.#wire = wire
    this.#words = traceWords(wire)
  }

  add(peer: Peer, receiver: Receiver): void {
    this.#receivers.set(peerAddress(peer), receiver)
  }

  /** The transport `self` sends through; its views within a scope send on behalf of that scope. */
  endpoint(self: Peer, scope?: CallScope): Transport {
    return {
      within: (inner: CallScope) => this.endpoint(self, inner),
      call: <N extends RpcName>(peer: Peer, rpc: N, request: RequestOf<N>): Promise<ReplyOf<N>> => this.#send(self, peer, rpc, request, scope) as Promise<ReplyOf<N>>,
    }
  }

  get inFlight(): readonly Flight[] {
    return this.#inFlight
  }

  /** Requests being handled now: a handler waiting on calls of its own. */
  get handling(): readonly Flight[] {
    return [...this.#handling.values()]
  }

  isCrashed(peer: Peer): boolean {
    return this.#crashed.has(peerAddress(peer))
  }

  /** A crash: the node stops answering; its callers time out, answers to it are lost. */
  crash(peer: Peer): void {
    this.#crashed.add(peerAddress(peer))
    this.activity++
    for (const flight of [...this.#handling.values()]) {
      if (flight.callee.port !== peer.port || flight.callee.host !== peer.host) continue
      this.#handling.delete(flight.seq)
      this.#reply(flight, { ok: false, error: new DhtError('PEER_UNREACHABLE', `${peerAddress(peer)} crashed before it answered`) })
    }
    for (const flight of this.#inFlight.filter((f) => f.kind === 'reply' && this.isCrashed(f.caller))) this.#drop(flight)
  }

  /** Delivers one message: a request runs its receiver's handler, an answer resumes its caller. */
  deliver(flight: Flight): void {
    this.#take(flight)
    if (flight.kind === 'reply') {
      const waiting = this.#waiting.get(flight.seq)!
      this.#waiting.delete(flight.seq)
      const outcome = flight.outcome!
      this.#record(flight, outcome)
      if (outcome.ok) waiting.resolve(outcome.value)
      else waiting.reject(outcome.error)
      return
    }
    const receiver = this.#receivers.get(peerAddress(flight.callee))
    if (!receiver || this.isCrashed(flight.callee) || !receiver.answers()) {
      // Nobody there: the caller's connection is refused (or it times out); either way it learns now.
      this.#fail(flight, new DhtError('PEER_UNREACHABLE', `${peerAddress(flight.callee)} does not answer`))
      return
    }
    this.#trace.handled(flight.span.id, this.step)
    this.#handling.set(flight.seq, flight)
    receiver.handle(flight.rpc, flight.request, this.#trace.scopeOf(flight.span)).then(
      (value) => this.#answer(flight, { ok: true, value }),
      (error: unknown) => {
        if (!isDhtError(error)) this.thrown.push(`${peerAddress(flight.callee)} threw on ${flight.rpc}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
        this.#answer(flight, { ok: false, error: isDhtError(error) ? error : new DhtError('PEER_ERROR', String(error)) })
      },
    )
  }

  /** Loses one message: the caller waits out its timeout. */
  lose(flight: Flight): void {
    this.#take(flight)
    this.#fail(flight, new DhtError('PEER_TIMEOUT', `the ${flight.kind} was lost`))
  }

  #send(from: Peer, to: Peer, rpc: RpcName, request: unknown, scope: CallScope | undefined): Promise<unknown> {
    const spec = rpcSpec(rpc)
    const span = this.#trace.span(rpc, scope)
    const flight: Flight = { seq: ++this.#seq, kind: 'request', rpc, caller: from, callee: to, request, span }
    this.#trace.sent(span, this.#wire.peer(from), this.#wire.peer(to), spec, () => spec.ask(request as never, this.#words), this.step)
    this.activity++
    if (this.isCrashed(from)) return new Promise(() => {}) // a dead node's leftover work goes nowhere
    this.#inFlight.push(flight)
    return new Promise((resolve, reject) => this.#waiting.set(flight.seq, { resolve, reject }))
  }

  #answer(request: Flight, outcome: Outcome): void {
    if (!this.#handling.delete(request.seq)) return // its receiver crashed meanwhile: the caller timed out already
    this.#reply(request, outcome)
  }

  /** The answer starts back; to a caller that has crashed, it is lost on the way. */
  #reply(request: Flight, outcome: Outcome): void {
    this.activity++
    const reply: Flight = { ...request, kind: 'reply', outcome }
    if (this.isCrashed(request.caller)) this.#drop(reply)
    else this.#inFlight.push(reply)
  }

  #fail(flight: Flight, error: DhtError): void {
    const waiting = this.#waiting.get(flight.seq)
    this.#waiting.delete(flight.seq)
    this.#record(flight, { ok: false, error })
    waiting?.reject(error)
  }

  #drop(flight: Flight): void {
    if (this.#inFlight.includes(flight)) this.#take(flight)
    this.#waiting.delete(flight.seq)
    this.#trace.answered(flight.span.id, this.step, () => ({ status: null, summary: `${this.#ask(flight)}: the answer was lost (the caller crashed)`, error: 'PEER_UNREACHABLE' }))
  }

  #take(flight: Flight): void {
    const index = this.#inFlight.indexOf(flight)
    if (index < 0) throw new RangeError(`message ${flight.seq} is not in flight`)
    this.#inFlight.splice(index, 1)
    this.activity++
  }

  #ask(flight: Flight): string {
    return rpcSpec(flight.rpc).ask(flight.request as never, this.#words)
  }

  #record(flight: Flight, outcome: Outcome): void {
    this.#trace.answered(flight.span.id, this.step, () => {
      const ask = this.#ask(flight)
      const spec = rpcSpec(flight.rpc)
      if (outcome.ok) return { status: spec.status ?? 200, summary: `${ask}: ${spec.answer(outcome.value as never, this.#words)}` }
      const code = outcome.error.code
      const noAnswer = code === 'PEER_TIMEOUT' || code === 'PEER_UNREACHABLE'
      return { status: noAnswer ? null : ErrorCodes[code], summary: `${ask}: ${code}`, error: code }
    })
  }
}
