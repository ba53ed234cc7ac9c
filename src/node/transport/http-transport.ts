// The protocol's Transport over HTTP: each call is one request to the peer's node server
// (routes in src/node/server/routes.ts). Replies are validated like requests are.
import type { RouteMode } from '../config.js'
import { DEFAULTS } from '../config.js'
import type { Announcement, CallScope, DeleteOptions, Member, InsertRole, JoinResult, KeyRead, Neighbors, NeighborsRequest, NodeInfo, Peer, RangeAnswer, RouteStep, StoredRecord, Transport } from '../protocol/types.js'
import type { Id } from '../ring.js'
import { asInteger, asObject, asString, type Json, type Wire } from '../wire.js'
import type { HttpClient, RequestOptions } from './http-client.js'

export class HttpTransport implements Transport {
  readonly #client: HttpClient
  readonly #wire: Wire
  readonly #maxValueBytes: number
  /** The headers a scope's calls carry (its trace), or none. */
  readonly #options: RequestOptions

  constructor(client: HttpClient, wire: Wire, maxValueBytes: number = DEFAULTS.maxValueBytes, headers?: Readonly<Record<string, string>>) {
    this.#client = client
    this.#wire = wire
    this.#maxValueBytes = maxValueBytes
    this.#options = headers ? { headers } : {}
  }

  /** Calls that carry `scope`'s headers to the receiver. */
  within(scope: CallScope): HttpTransport {
    return new HttpTransport(this.#client, this.#wire, this.#maxValueBytes, scope.headers)
  }

  #request(peer: Peer, method: string, path: string, body?: Json): Promise<unknown> {
    return this.#client.request(peer, method, path, body, this.#options)
  }

  async nodeInfo(peer: Peer): Promise<NodeInfo> {
    return this.#wire.parseNodeInfo(await this.#request(peer, 'GET', '/nodeinfo'))
  }

  async ping(peer: Peer): Promise<void> {
    await this.#request(peer, 'GET', '/ping')
  }

  async routeStep(peer: Peer, key: Id, mode: RouteMode, withValues = false): Promise<RouteStep> {
    const path = `/route?key=${this.#wire.id(key)}&mode=${mode}${withValues ? '&values=1' : ''}`
    return this.#wire.parseRouteStep(await this.#request(peer, 'GET', path))
  }

  async neighbors(peer: Peer, request: NeighborsRequest = {}): Promise<Neighbors> {
    const { digestOf, notify, membersDigest } = request
    const asked: Record<string, string> = digestOf ? { from: this.#wire.id(digestOf.from), to: this.#wire.id(digestOf.to) } : {}
    if (membersDigest) asked.members = membersDigest
    // With notify it changes the peer's state, so it is a write (POST, with the secret); without, a read.
    const answer = notify
      ? await this.#request(peer, 'POST', '/neighbors', { ...asked, notify: this.#wire.peer(notify) })
      : await this.#request(peer, 'GET', `/neighbors${Object.keys(asked).length > 0 ? `?${new URLSearchParams(asked)}` : ''}`)
    const reply = asObject(answer, 'neighbors')
    return {
      predecessor: this.#wire.parsePeerOrNull(reply.predecessor, 'predecessor'),
      successors: this.#wire.parsePeers(reply.successors, 'successors'),
      ...(reply.digest === undefined ? {} : { digest: asString(reply.digest, 'digest') }),
      ...(reply.members === undefined ? {} : { members: this.#wire.parseMembers(reply.members, 'members') }),
    }
  }

  async notify(peer: Peer, candidate: Peer): Promise<void> {
    await this.#request(peer, 'POST', '/notify', this.#wire.peer(candidate))
  }

  async setSuccessor(peer: Peer, successor: Peer, expected?: Peer): Promise<void> {
    await this.#request(peer, 'PUT', '/successor', { ...this.#wire.peer(successor), ...(expected ? { expected: this.#wire.peer(expected) } : {}) })
  }

  async setPredecessor(peer: Peer, predecessor: Peer | null): Promise<void> {
    await this.#request(peer, 'PUT', '/predecessor', this.#wire.peerOrNull(predecessor))
  }

  async join(peer: Peer, joiner: Peer): Promise<JoinResult> {
    const reply = asObject(await this.#request(peer, 'POST', '/join', this.#wire.peer(joiner)), 'join')
    return {
      predecessor: this.#wire.parsePeer(reply.predecessor, 'predecessor'),
      successor: this.#wire.parsePeer(reply.successor, 'successor'),
    }
  }

  async leave(peer: Peer): Promise<void> {
    await this.#request(peer, 'POST', '/leave')
  }

  async insert(peer: Peer, records: StoredRecord[], role: InsertRole, copies: number): Promise<void> {
    // A client write carries no version: the owner stamps it.
    const stamped = role === 'replica' || role === 'handoff'
    const entries = records.map((r) => (stamped ? this.#wire.record(r) : this.#wire.entry(r)))
    await this.#request(peer, 'POST', '/insert', { entries, role, copies })
  }

  async get(peer: Peer, key: Id): Promise<KeyRead> {
    return this.#wire.parseKeyRead(await this.#request(peer, 'GET', `/get?key=${this.#wire.id(key)}`), this.#maxValueBytes)
  }

  async delete(peer: Peer, key: Id, value: string | undefined, copies: number, options: DeleteOptions = {}): Promise<number> {
    const query = new URLSearchParams({ key: this.#wire.id(key), copies: String(copies) })
    if (value !== undefined) query.set('value', value)
    if (options.after !== undefined) query.set('after', String(options.after))
    if (options.heir) query.set('heir', '1')
    const reply = asObject(await this.#request(peer, 'DELETE', `/delete?${query}`), 'delete')
    return asInteger(reply.deleted, 'deleted', 0, Number.MAX_SAFE_INTEGER)
  }

  async members(peer: Peer): Promise<Member[]> {
    const reply = asObject(await this.#request(peer, 'GET', '/members'), 'members')
    return this.#wire.parseMembers(reply.members, 'members')
  }

  async announce(peer: Peer, news: Announcement, limit: Id): Promise<void> {
    await this.#request(peer, 'POST', '/announce', { ...this.#wire.announcement(news), limit: this.#wire.id(limit) })
  }

  async unify(peer: Peer, candidate: Peer): Promise<void> {
    await this.#request(peer, 'POST', '/unify', this.#wire.peer(candidate))
  }

  async offer(peer: Peer, candidate: Peer): Promise<void> {
    await this.#request(peer, 'POST', '/offer', this.#wire.peer(candidate))
  }

  async rangeEntries(peer: Peer, from: Id, to: Id, digest?: string): Promise<RangeAnswer> {
    const query = new URLSearchParams({ from: this.#wire.id(from), to: this.#wire.id(to) })
    if (digest !== undefined) query.set('digest', digest)
    return this.#wire.parseRangeAnswer(await this.#request(peer, 'GET', `/range?${query}`), this.#maxValueBytes)
  }
}
