// The protocol's outgoing calls, traced: a Transport around another Transport that sends each call as a
// message of the current trace (a child span, whose headers the HTTP client or the in-memory network
// carries to the receiver) and logs it with a one-line summary of what was asked and answered. The
// protocol sees a Transport like any other.
import type { RouteMode } from '../config.js'
import type { Announcement, CallScope, DeleteOptions, InsertRole, KeyRead, NeighborsRequest, Peer, RangeAnswer, RouteStep, StoredRecord, Transport } from '../protocol/types.js'
import type { Id, IdSpace } from '../ring.js'
import { preview } from '../text.js'
import type { PeerJson, Wire } from '../wire.js'
import type { Tracer } from './tracer.js'

/** Peers named at most; a ring this size or larger starts the names again. */
const PARTIES_KEPT = 4096

const at = (peer: Peer | null | undefined): string => (peer ? `@${peer.port}` : 'none')
const ats = (peers: readonly Peer[]): string => peers.map(at).join(' ') || 'none'

/** "1 value", "2 values, 1 tombstone": what a batch of records carries. */
function records(list: readonly StoredRecord[]): string {
  const deleted = list.filter((r) => r.deleted).length
  const live = list.length - deleted
  const one = list.length === 1 ? ` "${preview(list[0]!.value, 24)}"` : ''
  const parts = [live > 0 || deleted === 0 ? `${live} value${live === 1 ? '' : 's'}` : '', deleted > 0 ? `${deleted} tombstone${deleted === 1 ? '' : 's'}` : ''].filter(Boolean)
  return parts.join(', ') + one
}

export class TracingTransport implements Transport {
  readonly #inner: Transport
  readonly #tracer: Tracer
  readonly #wire: Wire
  readonly #space: IdSpace
  /** The span this view's calls are children of; none: each call starts a trace. */
  readonly #scope: CallScope | undefined
  /** Each peer as the log names it, made once (its id in hex costs more than the message's other fields); shared by the views. */
  readonly #parties: Map<Id, PeerJson>

  constructor(inner: Transport, tracer: Tracer, wire: Wire, view: { scope?: CallScope; parties?: Map<Id, PeerJson> } = {}) {
    this.#inner = inner
    this.#tracer = tracer
    this.#wire = wire
    this.#space = wire.space
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

  #key(key: Id): string {
    return this.#space.toHex(key).slice(0, 8)
  }

  /** `call` makes the call on the transport below, in the message's own scope (which the wire carries on). */
  #send<T>(to: Peer, method: string, path: string, request: string, call: (inner: Transport) => Promise<T>, answer: (result: T) => string): Promise<T> {
    const inner = this.#inner
    // A paused log: the call goes as if tracing were off, carrying no trace.
    if (!this.#tracer.log.recording) return call(inner)
    return this.#tracer.send(this.#scope, this.#party(to), method, path, (message) => call(inner.within?.(message) ?? inner), (result) => `${request}: ${answer(result)}`, request)
  }

  nodeInfo(peer: Peer) {
    return this.#send(peer, 'GET', '/nodeinfo', 'nodeinfo', (t) => t.nodeInfo(peer), (info) => `${info.status}, ${info.values} values`)
  }

  ping(peer: Peer) {
    return this.#send(peer, 'GET', '/ping', 'ping', (t) => t.ping(peer), () => 'alive')
  }

  routeStep(peer: Peer, key: Id, mode: RouteMode, withValues?: boolean): Promise<RouteStep> {
    return this.#send(peer, 'GET', '/route', `route key ${this.#key(key)}`, (t) => t.routeStep(peer, key, mode, withValues), (step) =>
      step.kind === 'owner' ? `owner${step.values ? `, ${step.values.length} value${step.values.length === 1 ? '' : 's'}` : ''}` : `next ${ats(step.candidates)}`,
    )
  }

  neighbors(peer: Peer, request: NeighborsRequest = {}) {
    const asked = [request.notify ? `notify: ${at(request.notify)} may be your predecessor; ` : '', request.digestOf ? 'neighbors and fingerprint' : 'neighbors'].join('')
    return this.#send(peer, request.notify ? 'POST' : 'GET', '/neighbors', asked, (t) => t.neighbors(peer, request), (n) =>
      `predecessor ${at(n.predecessor)}, successors ${ats(n.successors)}${n.digest ? `, fingerprint ${n.digest.slice(0, 6)}` : ''}`,
    )
  }

  notify(peer: Peer, candidate: Peer) {
    return this.#send(peer, 'POST', '/notify', `notify: ${at(candidate)} may be your predecessor`, (t) => t.notify(peer, candidate), () => 'ok')
  }

  setSuccessor(peer: Peer, successor: Peer, expected?: Peer) {
    const request = `successor := ${at(successor)}${expected ? ` if still ${at(expected)}` : ''}`
    return this.#send(peer, 'PUT', '/successor', request, (t) => t.setSuccessor(peer, successor, expected), () => 'done')
  }

  setPredecessor(peer: Peer, predecessor: Peer | null) {
    return this.#send(peer, 'PUT', '/predecessor', `predecessor := ${at(predecessor)}`, (t) => t.setPredecessor(peer, predecessor), () => 'done')
  }

  join(peer: Peer, joiner: Peer) {
    return this.#send(peer, 'POST', '/join', `join ${at(joiner)}`, (t) => t.join(peer, joiner), (r) => `between ${at(r.predecessor)} and ${at(r.successor)}`)
  }

  leave(peer: Peer) {
    return this.#send(peer, 'POST', '/leave', 'leave', (t) => t.leave(peer), () => 'left')
  }

  insert(peer: Peer, list: StoredRecord[], role: InsertRole, copies: number) {
    return this.#send(peer, 'POST', '/insert', `insert ${records(list)} (${role}, copies ${copies})`, (t) => t.insert(peer, list, role, copies), () => 'kept')
  }

  get(peer: Peer, key: Id): Promise<KeyRead> {
    return this.#send(peer, 'GET', '/get', `get key ${this.#key(key)}`, (t) => t.get(peer, key), (read) => `${records(read.records)}; predecessor ${at(read.predecessor)}`)
  }

  delete(peer: Peer, key: Id, value: string | undefined, copies: number, options?: DeleteOptions) {
    const what = value === undefined ? `key ${this.#key(key)}` : `"${preview(value, 24)}"`
    return this.#send(peer, 'DELETE', '/delete', `delete ${what} (copies ${copies})`, (t) => t.delete(peer, key, value, copies, options), (n) => `${n} deleted`)
  }

  members(peer: Peer) {
    return this.#send(peer, 'GET', '/members', 'members', (t) => t.members(peer), (list) => `${list.filter((m) => m.alive).length} alive, ${list.filter((m) => !m.alive).length} gone`)
  }

  announce(peer: Peer, news: Announcement, limit: Id) {
    const what = `announce: ${at(news.node)} ${news.kind}${news.successor ? ` (next ${at(news.successor)})` : ''}, pass on up to ${this.#key(limit)}`
    return this.#send(peer, 'POST', '/announce', what, (t) => t.announce(peer, news, limit), () => 'heard')
  }

  unify(peer: Peer, candidate: Peer) {
    return this.#send(peer, 'POST', '/unify', `unify: find ${at(candidate)} a place in your ring`, (t) => t.unify(peer, candidate), () => 'done')
  }

  offer(peer: Peer, candidate: Peer) {
    return this.#send(peer, 'POST', '/offer', `offer: ${at(candidate)} may be your successor`, (t) => t.offer(peer, candidate), () => 'done')
  }

  rangeEntries(peer: Peer, from: Id, to: Id, digest?: string): Promise<RangeAnswer> {
    return this.#send(peer, 'GET', '/range', `range [${this.#key(from)}, ${this.#key(to)})`, (t) => t.rangeEntries(peer, from, to, digest), (answer) =>
      answer.unchanged ? 'unchanged' : records(answer.entries),
    )
  }
}
