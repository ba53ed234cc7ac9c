// JSON on the wire: ids as lowercase hex of the space's width, nodes as { id, host, port }.
// Decoding validates everything and names the field that was wrong, for requests and replies alike.
import { DhtError } from './errors.js'
import type { RouteMode } from './config.js'
import type { Announcement, Entry, Member, InsertRole, KeyRead, NodeInfo, NodeStatus, Peer, RangeAnswer, RouteStep, StoredRecord } from './protocol/types.js'
import type { Id, IdSpace } from './ring.js'
import { HOST_PATTERN, ROUTE_MODES, SETTINGS } from './settings.js'
import type { Json, NodeInfoJson, PeerJson } from './wire-json.js'

// The JSON shapes are declared in wire-json.ts (types only, for the web page too).
export type { FingerJson, Json, MessageJson, NodeInfoJson, PeerJson } from './wire-json.js'

const INSERT_ROLES: readonly InsertRole[] = ['store', 'heir', 'replica', 'handoff']
const ANNOUNCEMENT_KINDS: readonly Announcement['kind'][] = ['joined', 'left', 'failed']
const STATUSES: readonly NodeStatus[] = ['joining', 'ready', 'leaving', 'stopped']
/** Addresses whose possible ids a Wire remembers. */
const ADDRESS_IDS_KEPT = 4096

export function bad(message: string): DhtError {
  return new DhtError('BAD_REQUEST', message)
}

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${field} must be a JSON object`)
  return value as Record<string, unknown>
}

export function asString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw bad(`${field} must be a string`)
  return value
}

export function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw bad(`${field} must be an array`)
  return value
}

export function asInteger(value: unknown, field: string, min: number, max: number): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw bad(`${field} must be an integer from ${min} to ${max}`)
  }
  return number
}

export function asOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw bad(`${field} must be one of ${allowed.join(', ')}`)
  }
  return value as T
}

/** Encodes and decodes the protocol's values for one identifier space. */
export class Wire {
  readonly space: IdSpace

  constructor(space: IdSpace) {
    this.space = space
  }

  id(id: Id): string {
    return this.space.toHex(id)
  }

  /** Exactly the space's width: a short id (the 8 digits the tools print) would silently mean 000…0 plus those digits. */
  parseId(value: unknown, field: string): Id {
    const text = asString(value, field)
    const width = this.space.hexLength
    if (text.length !== width && /^[0-9a-fA-F]+$/.test(text)) throw bad(`${field} must be a hex id of exactly ${width} digits (this ring's ids are ${this.space.bits} bits), got ${text.length}`)
    const id = this.space.parseHex(text)
    if (id === undefined) throw bad(`${field} must be a hex id of ${width} digits below 2^${this.space.bits}`)
    return id
  }

  peer(peer: Peer): PeerJson {
    return { id: this.id(peer.id), host: peer.host, port: peer.port }
  }

  peerOrNull(peer: Peer | null): PeerJson | null {
    return peer ? this.peer(peer) : null
  }

  /** A node's id must be the hash of its address: nobody can claim a place on the ring it does not hash to. */
  parsePeer(value: unknown, field: string): Peer {
    const object = asObject(value, field)
    const host = asString(object.host, `${field}.host`)
    if (!HOST_PATTERN.test(host)) throw bad(`${field}.host is not a host name or address`)
    const port = asInteger(object.port, `${field}.port`, 1, 65535)
    if (object.id === undefined) return { id: this.space.nodeId(host, port), host, port }
    const id = this.parseId(object.id, `${field}.id`)
    if (!this.#isIdOf(id, host, port)) throw bad(`${field}.id does not match the hash of ${host}:${port} (or of ${host}:${port}:i, a virtual node)`)
    return { id, host, port }
  }

  /** The ids an address may have: its own hash, or one of its virtual nodes' (computed once per address). */
  readonly #addressIds = new Map<string, Id[]>()

  #isIdOf(id: Id, host: string, port: number): boolean {
    const address = `${host}:${port}`
    let ids = this.#addressIds.get(address)
    if (!ids) {
      // Bounded: a stream of made-up addresses must not grow it (they cost a recomputation, nothing more).
      if (this.#addressIds.size >= ADDRESS_IDS_KEPT) this.#addressIds.clear()
      ids = Array.from({ length: SETTINGS.vnodes.max }, (_, index) => this.space.nodeId(host, port, index))
      this.#addressIds.set(address, ids)
    }
    return ids.includes(id)
  }

  parsePeerOrNull(value: unknown, field: string): Peer | null {
    return value === null ? null : this.parsePeer(value, field)
  }

  parsePeers(value: unknown, field: string): Peer[] {
    return asArray(value, field).map((p, i) => this.parsePeer(p, `${field}[${i}]`))
  }

  entry(entry: Entry): { key: string; value: string } {
    return { key: this.id(entry.key), value: entry.value }
  }

  /** A record: `deleted` only on tombstones, so a live record reads like the lab's entry plus its version. */
  record(record: StoredRecord): Json {
    return { key: this.id(record.key), value: record.value, version: record.version, ...(record.deleted ? { deleted: true } : {}) }
  }

  /**
   * Records from the wire. `versioned`: each must carry its version (copies and handoffs); a client write
   * (store) carries none, since the owner stamps it.
   */
  parseRecords(value: unknown, field: string, maxValueBytes: number, versioned: boolean): StoredRecord[] {
    return asArray(value, field).map((item, i) => {
      const where = `${field}[${i}]`
      const object = asObject(item, where)
      const text = asString(object.value, `${where}.value`)
      if (Buffer.byteLength(text, 'utf8') > maxValueBytes) throw new DhtError('PAYLOAD_TOO_LARGE', `${where}.value is larger than ${maxValueBytes} bytes`)
      if (versioned && object.version === undefined) throw bad(`${where}.version is required`)
      const version = object.version === undefined ? 0 : asInteger(object.version, `${where}.version`, 0, Number.MAX_SAFE_INTEGER)
      if (object.deleted !== undefined && typeof object.deleted !== 'boolean') throw bad(`${where}.deleted must be true or false`)
      return { key: this.parseId(object.key, `${where}.key`), value: text, version, deleted: object.deleted === true }
    })
  }

  member(member: Member): Json {
    return { ...this.peer(member.peer), alive: member.alive, version: member.version }
  }

  parseMembers(value: unknown, field: string): Member[] {
    return asArray(value, field).map((item, i) => {
      const object = asObject(item, `${field}[${i}]`)
      if (typeof object.alive !== 'boolean') throw bad(`${field}[${i}].alive must be true or false`)
      return { peer: this.parsePeer(object, `${field}[${i}]`), alive: object.alive, version: asInteger(object.version, `${field}[${i}].version`, 0, Number.MAX_SAFE_INTEGER) }
    })
  }

  announcement(news: Announcement): { kind: string; node: PeerJson; version: number; successor?: PeerJson } {
    return { kind: news.kind, node: this.peer(news.node), version: news.version, ...(news.successor ? { successor: this.peer(news.successor) } : {}) }
  }

  parseAnnouncement(value: unknown, field: string): Announcement {
    const object = asObject(value, field)
    return {
      kind: asOneOf(object.kind, `${field}.kind`, ANNOUNCEMENT_KINDS),
      node: this.parsePeer(object.node, `${field}.node`),
      version: asInteger(object.version, `${field}.version`, 0, Number.MAX_SAFE_INTEGER),
      ...(object.successor === undefined ? {} : { successor: this.parsePeer(object.successor, `${field}.successor`) }),
    }
  }

  keyRead(read: KeyRead, key: Id): Json {
    return {
      key: this.id(key),
      values: read.records.filter((r) => !r.deleted).map((r) => r.value),
      records: read.records.map((r) => this.record(r)),
      predecessor: this.peerOrNull(read.predecessor),
    }
  }

  parseKeyRead(value: unknown, maxValueBytes: number): KeyRead {
    const object = asObject(value, 'get')
    return { records: this.parseRecords(object.records, 'records', maxValueBytes, true), predecessor: this.parsePeerOrNull(object.predecessor, 'predecessor') }
  }

  routeMode(value: unknown): RouteMode {
    return value === undefined || value === null ? 'fingers' : asOneOf(value, 'mode', ROUTE_MODES)
  }

  insertRole(value: unknown): InsertRole {
    return asOneOf(value, 'role', INSERT_ROLES)
  }

  routeStep(step: RouteStep): Json {
    return step.kind === 'owner'
      ? {
          kind: 'owner',
          holders: step.holders.map((p) => this.peer(p)),
          ownerSuccessor: this.peer(step.ownerSuccessor),
          ...(step.values ? { values: step.values } : {}),
          ...(step.tombstones ? { tombstones: step.tombstones } : {}),
        }
      : { kind: 'next', candidates: step.candidates.map((p) => this.peer(p)), successors: step.successors.map((p) => this.peer(p)) }
  }

  parseRouteStep(value: unknown): RouteStep {
    const object = asObject(value, 'route step')
    if (object.kind === 'owner') {
      const holders = this.parsePeers(object.holders, 'holders')
      if (holders.length === 0) throw bad('holders must not be empty')
      const ownerSuccessor = this.parsePeer(object.ownerSuccessor, 'ownerSuccessor')
      if (object.values === undefined) return { kind: 'owner', holders, ownerSuccessor }
      const values = asArray(object.values, 'values').map((v, i) => asString(v, `values[${i}]`))
      if (object.tombstones === undefined) return { kind: 'owner', holders, ownerSuccessor, values }
      const tombstones = asArray(object.tombstones, 'tombstones').map((t, i) => {
        const tombstone = asObject(t, `tombstones[${i}]`)
        return { value: asString(tombstone.value, `tombstones[${i}].value`), version: asInteger(tombstone.version, `tombstones[${i}].version`, 0, Number.MAX_SAFE_INTEGER) }
      })
      return { kind: 'owner', holders, ownerSuccessor, values, tombstones }
    }
    if (object.kind === 'next') {
      return { kind: 'next', candidates: this.parsePeers(object.candidates, 'candidates'), successors: this.parsePeers(object.successors, 'successors') }
    }
    throw bad('route step kind must be owner or next')
  }

  rangeAnswer(answer: RangeAnswer): Json {
    return answer.unchanged ? { unchanged: true } : { unchanged: false, entries: answer.entries.map((e) => this.record(e)) }
  }

  parseRangeAnswer(value: unknown, maxValueBytes: number): RangeAnswer {
    const object = asObject(value, 'range answer')
    if (object.unchanged === true) return { unchanged: true }
    return { unchanged: false, entries: this.parseRecords(object.entries, 'entries', maxValueBytes, true) }
  }

  nodeInfo(info: NodeInfo): NodeInfoJson {
    return {
      ...this.peer(info.self),
      status: info.status,
      predecessor: this.peerOrNull(info.predecessor),
      successor: this.peer(info.successor),
      successors: info.successors.map((p) => this.peer(p)),
      fingers: info.fingers.map((f) => ({ index: f.index, start: this.id(f.start), node: this.peer(f.node) })),
      keys: info.keys,
      values: info.values,
      tombstones: info.tombstones,
      bits: info.bits,
      replicas: info.replicas,
      routeMode: info.routeMode,
      routingState: info.routingState,
    }
  }

  parseNodeInfo(value: unknown): NodeInfo {
    const object = asObject(value, 'nodeinfo')
    return {
      self: this.parsePeer(object, 'nodeinfo'),
      status: asOneOf(object.status, 'status', STATUSES),
      predecessor: this.parsePeerOrNull(object.predecessor, 'predecessor'),
      successor: this.parsePeer(object.successor, 'successor'),
      successors: this.parsePeers(object.successors, 'successors'),
      fingers: asArray(object.fingers, 'fingers').map((f, i) => {
        const row = asObject(f, `fingers[${i}]`)
        return {
          index: asInteger(row.index, `fingers[${i}].index`, 0, this.space.bits - 1),
          start: this.parseId(row.start, `fingers[${i}].start`),
          node: this.parsePeer(row.node, `fingers[${i}].node`),
        }
      }),
      keys: asInteger(object.keys, 'keys', 0, Number.MAX_SAFE_INTEGER),
      values: asInteger(object.values, 'values', 0, Number.MAX_SAFE_INTEGER),
      tombstones: object.tombstones === undefined ? 0 : asInteger(object.tombstones, 'tombstones', 0, Number.MAX_SAFE_INTEGER),
      bits: asInteger(object.bits, 'bits', 1, 160),
      replicas: asInteger(object.replicas, 'replicas', 1, 64),
      routeMode: this.routeMode(object.routeMode),
      routingState: routingStateOf(object.routingState),
    }
  }
}

/** A node's routing state as its nodeinfo says; nodes that do not say report none. */
function routingStateOf(value: unknown): { entries: number; bytes: number } {
  if (value === undefined) return { entries: 0, bytes: 0 }
  const object = asObject(value, 'routingState')
  return { entries: asInteger(object.entries, 'routingState.entries', 0, Number.MAX_SAFE_INTEGER), bytes: asInteger(object.bytes, 'routingState.bytes', 0, Number.MAX_SAFE_INTEGER) }
}
