// The table of the RPCs one node calls on another: each declared once, with its route, its codecs, its
// schemas and its trace lines. Adding an RPC is one entry here plus its handler in NodeHandlers; the
// transports, the server's routes, tracing, fault injection and the OpenAPI document follow from it.
import type { Announcement, DeleteOptions, InsertRole, JoinResult, KeyRange, KeyRead, Member, Neighbors, NodeInfo, Peer, RangeAnswer, RouteStep, StoredRecord } from '../protocol/types.js'
import type { RouteMode } from '../settings.js'
import type { Id } from '../ring.js'
import { preview } from '../text.js'
import { asInteger, asObject, asString, bad, type Json, type Wire } from '../wire.js'
import { rpc, type ReceivedParts, type RpcSpec, type WireContext } from './rpc.js'
import { schemaRef as ref, type JsonSchema } from './schema.js'

const ok = { type: 'object', properties: { ok: { const: true } }, required: ['ok'] } satisfies JsonSchema
const peerBody = ref('Peer')
const idParam = (name: string, description: string, required = true) => ({ name, required, schema: ref('Id'), description })
const none = (): Record<string, never> => ({})
const okReply = (): Json => ({ ok: true })

/** A member table's fingerprint: 40 hex digits (SHA-1), as member-table.ts makes it. */
function membersDigest(value: unknown): string {
  const text = asString(value, 'members')
  if (!/^[0-9a-f]{40}$/.test(text)) throw bad('members must be a member table fingerprint (40 hex digits)')
  return text
}

const range = (wire: Wire, from: unknown, to: unknown): KeyRange => ({ from: wire.parseId(from, 'from'), to: wire.parseId(to ?? null, 'to') })

function param(parts: ReceivedParts, name: string): string {
  const value = parts.query.get(name)
  if (value === null) throw bad(`query parameter ${name} is required`)
  return value
}

export interface NeighborsAsk {
  /** A fingerprint of this range, when held: replica sync rides on stabilize. */
  digestOf?: KeyRange
  /** One hop: the caller's member table's fingerprint; a successor whose table differs sends its own. */
  membersDigest?: string
}

export interface StabilizeAsk extends NeighborsAsk {
  /** Chord's notify, riding on the same call: this node thinks it might be your predecessor. */
  notify: Peer
}

export type DeleteAsk = { key: Id; value?: string; copies: number } & DeleteOptions

function neighborsReply(neighbors: Neighbors, { wire }: WireContext): Json {
  return {
    predecessor: wire.peerOrNull(neighbors.predecessor),
    successors: neighbors.successors.map((p) => wire.peer(p)),
    ...(neighbors.digest === undefined ? {} : { digest: neighbors.digest }),
    ...(neighbors.members === undefined ? {} : { members: neighbors.members.map((m) => wire.member(m)) }),
  }
}

function parseNeighbors(json: unknown, { wire }: WireContext): Neighbors {
  const reply = asObject(json, 'neighbors')
  return {
    predecessor: wire.parsePeerOrNull(reply.predecessor, 'predecessor'),
    successors: wire.parsePeers(reply.successors, 'successors'),
    ...(reply.digest === undefined ? {} : { digest: asString(reply.digest, 'digest') }),
    ...(reply.members === undefined ? {} : { members: wire.parseMembers(reply.members, 'members') }),
  }
}

const neighborsSchema: JsonSchema = {
  type: 'object',
  properties: { predecessor: ref('PeerOrNull'), successors: { type: 'array', items: ref('Peer') }, digest: { type: 'string' }, members: { type: 'array', items: ref('Member') } },
  required: ['predecessor', 'successors'],
}

const neighborsAnswer = (n: Neighbors, w: { at(p: Peer | null): string; ats(p: readonly Peer[]): string }) =>
  `predecessor ${w.at(n.predecessor)}, successors ${w.ats(n.successors)}${n.digest ? `, fingerprint ${n.digest.slice(0, 6)}` : ''}`

/** Encodes one ask's optional range and member fingerprint, as query parameters or body fields alike. */
function askFields(ask: NeighborsAsk, wire: Wire): Record<string, string> {
  const fields: Record<string, string> = ask.digestOf ? { from: wire.id(ask.digestOf.from), to: wire.id(ask.digestOf.to) } : {}
  if (ask.membersDigest) fields.members = ask.membersDigest
  return fields
}

function parseAsk(fields: { from?: unknown; to?: unknown; members?: unknown }, wire: Wire): NeighborsAsk {
  return {
    ...(fields.from === undefined || fields.from === null ? {} : { digestOf: range(wire, fields.from, fields.to) }),
    ...(fields.members === undefined || fields.members === null ? {} : { membersDigest: membersDigest(fields.members) }),
  }
}

export const RPCS = {
  nodeInfo: rpc<Record<string, never>, NodeInfo>({
    method: 'GET', path: '/nodeinfo', write: false, tag: 'lab',
    summary: "A node's attributes: id, host, port, successor, predecessor, fingers, keys held (the handout's /nodeinfo).",
    reply: ref('NodeInfo'),
    encodeRequest: () => ({}),
    decodeRequest: none,
    encodeReply: (info, { wire }) => wire.nodeInfo(info),
    decodeReply: (json, { wire }) => wire.parseNodeInfo(json),
    ask: () => 'nodeinfo',
    answer: (info) => `${info.status}, ${info.values} values`,
  }),
  ping: rpc<Record<string, never>, void>({
    method: 'GET', path: '/ping', write: false, tag: 'engineering',
    summary: 'Is the node alive? (check_predecessor, and every link to a node that must answer first.)',
    reply: ok,
    encodeRequest: () => ({}),
    decodeRequest: none,
    encodeReply: okReply,
    decodeReply: () => undefined,
    ask: () => 'ping',
    answer: () => 'alive',
  }),
  routeStep: rpc<{ key: Id; mode: RouteMode; withValues?: boolean }, RouteStep>({
    method: 'GET', path: '/route', write: false, tag: 'engineering',
    summary: 'One step of an iterative findNode: the asked node owns the key (with its values, when asked), or names the nodes to try next.',
    query: [
      idParam('key', 'the key being looked for'),
      { name: 'mode', schema: { enum: ['fingers', 'linear', 'onehop'] }, description: 'which table the step uses (default fingers)' },
      { name: 'values', schema: { enum: ['1'] }, description: '1: an owner answers with the values and tombstones under the key' },
    ],
    reply: {
      oneOf: [
        { type: 'object', properties: { kind: { const: 'owner' }, holders: { type: 'array', items: ref('Peer') }, ownerSuccessor: ref('Peer'), values: { type: 'array', items: { type: 'string' } }, tombstones: { type: 'array' } }, required: ['kind', 'holders', 'ownerSuccessor'] },
        { type: 'object', properties: { kind: { const: 'next' }, candidates: { type: 'array', items: ref('Peer') }, successors: { type: 'array', items: ref('Peer') } }, required: ['kind', 'candidates', 'successors'] },
      ],
    },
    encodeRequest: ({ key, mode, withValues }, { wire }) => ({ query: { key: wire.id(key), mode, ...(withValues ? { values: '1' } : {}) } }),
    decodeRequest: (parts, { wire }) => ({ key: wire.parseId(param(parts, 'key'), 'key'), mode: wire.routeMode(parts.query.get('mode')), withValues: parts.query.get('values') === '1' }),
    encodeReply: (step, { wire }) => wire.routeStep(step),
    decodeReply: (json, { wire }) => wire.parseRouteStep(json),
    ask: ({ key }, w) => `route key ${w.key(key)}`,
    answer: (step, w) => (step.kind === 'owner' ? `owner${step.values ? `, ${step.values.length} value${step.values.length === 1 ? '' : 's'}` : ''}` : `next ${w.ats(step.candidates)}`),
  }),
  neighbors: rpc<NeighborsAsk, Neighbors>({
    method: 'GET', path: '/neighbors', write: false, tag: 'engineering',
    summary: "A node's predecessor and successor list, with a fingerprint of a range (replica sync) or its member table (one hop) when asked.",
    query: [idParam('from', 'start of the range to fingerprint', false), idParam('to', 'end of the range (exclusive)', false), { name: 'members', schema: { type: 'string', pattern: '^[0-9a-f]{40}$' }, description: "the caller's member-table fingerprint (one hop)" }],
    reply: neighborsSchema,
    encodeRequest: (ask, { wire }) => ({ query: askFields(ask, wire) }),
    decodeRequest: (parts, { wire }) => parseAsk({ from: parts.query.get('from'), to: parts.query.get('to'), members: parts.query.get('members') }, wire),
    encodeReply: neighborsReply,
    decodeReply: parseNeighbors,
    ask: (ask) => (ask.digestOf ? 'neighbors and fingerprint' : 'neighbors'),
    answer: neighborsAnswer,
  }),
  neighborsAndNotify: rpc<StabilizeAsk, Neighbors>({
    method: 'POST', path: '/neighbors', write: true, tag: 'engineering',
    summary: "Stabilize's one call: the successor's neighbours (and fingerprints, as GET /neighbors) and Chord's notify: the caller may be its predecessor.",
    body: { type: 'object', properties: { notify: ref('Peer'), from: ref('Id'), to: ref('Id'), members: { type: 'string' } }, required: ['notify'] },
    reply: neighborsSchema,
    encodeRequest: (ask, { wire }) => ({ body: { ...askFields(ask, wire), notify: wire.peer(ask.notify) } }),
    decodeRequest: ({ body }, { wire }) => {
      const object = asObject(body, 'body')
      return { ...parseAsk(object, wire), notify: wire.parsePeer(object.notify, 'notify') }
    },
    encodeReply: neighborsReply,
    decodeReply: parseNeighbors,
    ask: (ask, w) => `notify: ${w.at(ask.notify)} may be your predecessor; ${ask.digestOf ? 'neighbors and fingerprint' : 'neighbors'}`,
    answer: neighborsAnswer,
  }),
  notify: rpc<{ candidate: Peer }, { predecessor: Peer | null }>({
    method: 'POST', path: '/notify', write: true, tag: 'engineering',
    summary: "Chord's notify: the node in the body thinks it might be this node's predecessor.",
    body: peerBody,
    reply: { type: 'object', properties: { predecessor: ref('PeerOrNull') }, required: ['predecessor'] },
    encodeRequest: ({ candidate }, { wire }) => ({ body: wire.peer(candidate) }),
    decodeRequest: ({ body }, { wire }) => ({ candidate: wire.parsePeer(body, 'body') }),
    encodeReply: ({ predecessor }, { wire }) => ({ predecessor: wire.peerOrNull(predecessor) }),
    decodeReply: (json, { wire }) => ({ predecessor: wire.parsePeerOrNull(asObject(json, 'notify').predecessor, 'predecessor') }),
    ask: ({ candidate }, w) => `notify: ${w.at(candidate)} may be your predecessor`,
    answer: () => 'ok',
  }),
  setSuccessor: rpc<{ successor: Peer; expected?: Peer }, { successor: Peer }>({
    method: 'PUT', path: '/successor', write: true, tag: 'lab',
    summary: "A JOIN's rewiring PUT: this node's successor becomes the node in the body (only if it is still `expected`, when given: else RING_CHANGED).",
    body: { type: 'object', properties: { id: ref('Id'), host: { type: 'string' }, port: { type: 'integer' }, expected: ref('Peer') }, required: ['host', 'port'] },
    reply: { type: 'object', properties: { successor: ref('Peer') }, required: ['successor'] },
    encodeRequest: ({ successor, expected }, { wire }) => ({ body: { ...wire.peer(successor), ...(expected ? { expected: wire.peer(expected) } : {}) } }),
    decodeRequest: ({ body }, { wire }) => {
      const expected = asObject(body, 'body').expected
      return { successor: wire.parsePeer(body, 'body'), ...(expected === undefined ? {} : { expected: wire.parsePeer(expected, 'body.expected') }) }
    },
    encodeReply: ({ successor }, { wire }) => ({ successor: wire.peer(successor) }),
    decodeReply: (json, { wire }) => ({ successor: wire.parsePeer(asObject(json, 'successor').successor, 'successor') }),
    ask: ({ successor, expected }, w) => `successor := ${w.at(successor)}${expected ? ` if still ${w.at(expected)}` : ''}`,
    answer: () => 'done',
  }),
  setPredecessor: rpc<{ predecessor: Peer | null }, { predecessor: Peer | null }>({
    method: 'PUT', path: '/predecessor', write: true, tag: 'lab',
    summary: "A JOIN's rewiring PUT: this node's predecessor becomes the node in the body (or none, with null).",
    body: ref('PeerOrNull'),
    reply: { type: 'object', properties: { predecessor: ref('PeerOrNull') }, required: ['predecessor'] },
    encodeRequest: ({ predecessor }, { wire }) => ({ body: wire.peerOrNull(predecessor) }),
    decodeRequest: ({ body }, { wire }) => ({ predecessor: wire.parsePeerOrNull(body, 'body') }),
    encodeReply: ({ predecessor }, { wire }) => ({ predecessor: wire.peerOrNull(predecessor) }),
    decodeReply: (json, { wire }) => ({ predecessor: wire.parsePeerOrNull(asObject(json, 'predecessor').predecessor, 'predecessor') }),
    ask: ({ predecessor }, w) => `predecessor := ${w.at(predecessor)}`,
    answer: () => 'done',
  }),
  join: rpc<{ joiner: Peer }, JoinResult>({
    method: 'POST', path: '/join', write: true, tag: 'lab',
    summary: 'JOIN: find the joiner its place (findNode), rewire predecessor and successor around it, and hand it the keys it now owns.',
    body: peerBody,
    reply: { type: 'object', properties: { predecessor: ref('Peer'), successor: ref('Peer') }, required: ['predecessor', 'successor'] },
    encodeRequest: ({ joiner }, { wire }) => ({ body: wire.peer(joiner) }),
    decodeRequest: ({ body }, { wire }) => ({ joiner: wire.parsePeer(body, 'body') }),
    encodeReply: (result, { wire }) => ({ predecessor: wire.peer(result.predecessor), successor: wire.peer(result.successor) }),
    decodeReply: (json, { wire }) => {
      const reply = asObject(json, 'join')
      return { predecessor: wire.parsePeer(reply.predecessor, 'predecessor'), successor: wire.parsePeer(reply.successor, 'successor') }
    },
    ask: ({ joiner }, w) => `join ${w.at(joiner)}`,
    answer: (r, w) => `between ${w.at(r.predecessor)} and ${w.at(r.successor)}`,
  }),
  leave: rpc<Record<string, never>, { left: Peer; handedTo: Peer | null }>({
    method: 'POST', path: '/leave', write: true, tag: 'lab',
    summary: 'LEAVE, when asked: rewire predecessor and successor together, hand the keys over, then exit.',
    reply: { type: 'object', properties: { left: ref('Peer'), handedTo: ref('PeerOrNull'), spans: { type: 'array' } }, required: ['left', 'handedTo'] },
    encodeRequest: () => ({}),
    decodeRequest: none,
    encodeReply: ({ left, handedTo }, { wire }) => ({ left: wire.peer(left), handedTo: wire.peerOrNull(handedTo) }),
    decodeReply: (json, { wire }) => {
      const reply = asObject(json, 'leave')
      return { left: wire.parsePeer(reply.left, 'left'), handedTo: wire.parsePeerOrNull(reply.handedTo ?? null, 'handedTo') }
    },
    ask: () => 'leave',
    answer: () => 'left',
  }),
  insert: rpc<{ records: StoredRecord[]; role: InsertRole; copies: number }, { inserted: number }>({
    method: 'POST', path: '/insert', write: true, tag: 'lab',
    summary: "STORE's second half: keep these entries here (role store: a client write the owner stamps; replica and handoff carry versions).",
    body: {
      type: 'object',
      properties: { entries: { type: 'array', items: ref('Record') }, role: { enum: ['store', 'heir', 'replica', 'handoff'] }, copies: { type: 'integer', minimum: 1, maximum: 64 } },
      required: ['entries', 'role'],
    },
    reply: { type: 'object', properties: { inserted: { type: 'integer', minimum: 0 } }, required: ['inserted'] },
    encodeRequest: ({ records, role, copies }, { wire }) => {
      // A client write carries no version: the owner stamps it.
      const stamped = role === 'replica' || role === 'handoff'
      return { body: { entries: records.map((r) => (stamped ? wire.record(r) : wire.entry(r))), role, copies } }
    },
    decodeRequest: ({ body }, { wire, maxValueBytes }) => {
      const object = asObject(body, 'body')
      const role = wire.insertRole(object.role)
      const records = wire.parseRecords(object.entries, 'entries', maxValueBytes, role === 'replica' || role === 'handoff')
      return { records, role, copies: object.copies === undefined ? 1 : asInteger(object.copies, 'copies', 1, 64) }
    },
    encodeReply: ({ inserted }) => ({ inserted }),
    decodeReply: (json) => ({ inserted: asInteger(asObject(json, 'insert').inserted ?? 0, 'inserted', 0, Number.MAX_SAFE_INTEGER) }),
    ask: ({ records, role, copies }, w) => `insert ${w.records(records)} (${role}, copies ${copies})`,
    answer: () => 'kept',
  }),
  get: rpc<{ key: Id }, KeyRead>({
    method: 'GET', path: '/get', write: false, tag: 'lab',
    summary: "LOOKUP's second half: the values this node holds under a key (tombstones too, with versions) and its predecessor.",
    query: [idParam('key', 'the key')],
    reply: { type: 'object', properties: { key: ref('Id'), values: { type: 'array', items: { type: 'string' } }, records: { type: 'array', items: ref('Record') }, predecessor: ref('PeerOrNull') }, required: ['key', 'values', 'records', 'predecessor'] },
    encodeRequest: ({ key }, { wire }) => ({ query: { key: wire.id(key) } }),
    decodeRequest: (parts, { wire }) => ({ key: wire.parseId(param(parts, 'key'), 'key') }),
    encodeReply: (read, { wire }, { key }) => wire.keyRead(read, key),
    decodeReply: (json, { wire, maxValueBytes }) => wire.parseKeyRead(json, maxValueBytes),
    ask: ({ key }, w) => `get key ${w.key(key)}`,
    answer: (read, w) => `${w.records(read.records)}; predecessor ${w.at(read.predecessor)}`,
  }),
  delete: rpc<DeleteAsk, { deleted: number }>({
    method: 'DELETE', path: '/delete', write: true, tag: 'lab',
    summary: "Delete at the owner: the values under a key (or one value), leaving tombstones that outdate every copy (content passing's delete, too).",
    query: [
      idParam('key', 'the key'),
      { name: 'value', schema: { type: 'string' }, description: 'only this value (default: every value under the key)' },
      { name: 'copies', schema: { type: 'integer', minimum: 1, maximum: 64 }, description: 'how many holders keep the tombstone (default 1)' },
      { name: 'after', schema: { type: 'integer', minimum: 0 }, description: 'a live version seen elsewhere that the tombstone must outdate' },
      { name: 'heir', schema: { enum: ['1'] }, description: '1: the owner failed and this node is next in line' },
    ],
    reply: { type: 'object', properties: { key: ref('Id'), deleted: { type: 'integer', minimum: 0 } }, required: ['key', 'deleted'] },
    encodeRequest: ({ key, value, copies, after, heir }, { wire }) => ({
      query: { key: wire.id(key), copies: String(copies), ...(value === undefined ? {} : { value }), ...(after === undefined ? {} : { after: String(after) }), ...(heir ? { heir: '1' } : {}) },
    }),
    decodeRequest: (parts, { wire }) => {
      const { query } = parts
      const after = query.has('after') ? asInteger(query.get('after'), 'after', 0, Number.MAX_SAFE_INTEGER) : undefined
      return {
        key: wire.parseId(param(parts, 'key'), 'key'),
        ...(query.has('value') ? { value: query.get('value')! } : {}),
        copies: query.has('copies') ? asInteger(query.get('copies'), 'copies', 1, 64) : 1,
        ...(after === undefined ? {} : { after }),
        ...(query.get('heir') === '1' ? { heir: true } : {}),
      }
    },
    encodeReply: ({ deleted }, { wire }, { key }) => ({ key: wire.id(key), deleted }),
    decodeReply: (json) => ({ deleted: asInteger(asObject(json, 'delete').deleted, 'deleted', 0, Number.MAX_SAFE_INTEGER) }),
    ask: ({ key, value, copies }, w) => `delete ${value === undefined ? `key ${w.key(key)}` : `"${preview(value, 24)}"`} (copies ${copies})`,
    answer: ({ deleted }) => `${deleted} deleted`,
  }),
  rangeEntries: rpc<{ from: Id; to: Id; digest?: string }, RangeAnswer>({
    method: 'GET', path: '/range', write: false, tag: 'engineering',
    summary: 'The records held in [from, to), or "unchanged" when they still match the caller\'s fingerprint (replica sync).',
    query: [idParam('from', 'start of the range'), idParam('to', 'end of the range (exclusive)'), { name: 'digest', schema: { type: 'string' }, description: "the caller's fingerprint of the range" }],
    reply: { oneOf: [{ type: 'object', properties: { unchanged: { const: true } }, required: ['unchanged'] }, { type: 'object', properties: { unchanged: { const: false }, entries: { type: 'array', items: ref('Record') } }, required: ['unchanged', 'entries'] }] },
    encodeRequest: ({ from, to, digest }, { wire }) => ({ query: { from: wire.id(from), to: wire.id(to), ...(digest === undefined ? {} : { digest }) } }),
    decodeRequest: (parts, { wire }) => ({ ...range(wire, param(parts, 'from'), param(parts, 'to')), ...(parts.query.has('digest') ? { digest: parts.query.get('digest')! } : {}) }),
    encodeReply: (answer, { wire }) => wire.rangeAnswer(answer),
    decodeReply: (json, { wire, maxValueBytes }) => wire.parseRangeAnswer(json, maxValueBytes),
    ask: ({ from, to }, w) => `range [${w.key(from)}, ${w.key(to)})`,
    answer: (answer, w) => (answer.unchanged ? 'unchanged' : w.records(answer.entries)),
  }),
  members: rpc<Record<string, never>, Member[]>({
    method: 'GET', path: '/members', write: false, tag: 'engineering',
    summary: "One hop: this node's table of the whole ring (a joiner starts from its bootstrap's).",
    reply: { type: 'object', properties: { members: { type: 'array', items: ref('Member') } }, required: ['members'] },
    encodeRequest: () => ({}),
    decodeRequest: none,
    encodeReply: (members, { wire }) => ({ members: members.map((m) => wire.member(m)) }),
    decodeReply: (json, { wire }) => wire.parseMembers(asObject(json, 'members').members, 'members'),
    ask: () => 'members',
    answer: (list) => `${list.filter((m) => m.alive).length} alive, ${list.filter((m) => !m.alive).length} gone`,
  }),
  announce: rpc<{ news: Announcement; limit: Id }, void>({
    method: 'POST', path: '/announce', write: true, tag: 'engineering',
    summary: 'Membership news (joined, left, failed): take it in and pass it on to the nodes up to `limit`, down the finger tree.',
    body: { type: 'object', properties: { kind: { enum: ['joined', 'left', 'failed'] }, node: ref('Peer'), successor: ref('Peer'), version: { type: 'integer' }, limit: ref('Id') }, required: ['kind', 'node', 'version', 'limit'] },
    reply: ok,
    encodeRequest: ({ news, limit }, { wire }) => ({ body: { ...wire.announcement(news), limit: wire.id(limit) } }),
    decodeRequest: ({ body }, { wire }) => {
      const object = asObject(body, 'body')
      return { news: wire.parseAnnouncement(object, 'body'), limit: wire.parseId(object.limit, 'limit') }
    },
    encodeReply: okReply,
    decodeReply: () => undefined,
    ask: ({ news, limit }, w) => `announce: ${w.at(news.node)} ${news.kind}${news.successor ? ` (next ${w.at(news.successor)})` : ''}, pass on up to ${w.key(limit)}`,
    answer: () => 'heard',
  }),
  unify: rpc<{ candidate: Peer }, void>({
    method: 'POST', path: '/unify', write: true, tag: 'engineering',
    summary: 'Ring unification after a partition: find the node in the body (of another ring) its place in this ring.',
    body: peerBody,
    reply: ok,
    encodeRequest: ({ candidate }, { wire }) => ({ body: wire.peer(candidate) }),
    decodeRequest: ({ body }, { wire }) => ({ candidate: wire.parsePeer(body, 'body') }),
    encodeReply: okReply,
    decodeReply: () => undefined,
    ask: ({ candidate }, w) => `unify: find ${w.at(candidate)} a place in your ring`,
    answer: () => 'done',
  }),
  offer: rpc<{ candidate: Peer }, { successor: Peer }>({
    method: 'POST', path: '/offer', write: true, tag: 'engineering',
    summary: 'Ring unification: the node in the body may be a closer successor or predecessor of this node.',
    body: peerBody,
    reply: { type: 'object', properties: { successor: ref('Peer') }, required: ['successor'] },
    encodeRequest: ({ candidate }, { wire }) => ({ body: wire.peer(candidate) }),
    decodeRequest: ({ body }, { wire }) => ({ candidate: wire.parsePeer(body, 'body') }),
    encodeReply: ({ successor }, { wire }) => ({ successor: wire.peer(successor) }),
    decodeReply: (json, { wire }) => ({ successor: wire.parsePeer(asObject(json, 'offer').successor, 'successor') }),
    ask: ({ candidate }, w) => `offer: ${w.at(candidate)} may be your successor`,
    answer: () => 'done',
  }),
}

export type RpcTable = typeof RPCS
export type RpcName = keyof RpcTable
export type RequestOf<N extends RpcName> = Parameters<RpcTable[N]['encodeRequest']>[0]
export type ReplyOf<N extends RpcName> = ReturnType<RpcTable[N]['decodeReply']>

export const RPC_NAMES = Object.keys(RPCS) as RpcName[]

/** One entry with its types: indexing the table by a generic name loses them, so they are restated here once. */
export function rpcSpec<N extends RpcName>(name: N): RpcSpec<RequestOf<N>, ReplyOf<N>> {
  return RPCS[name] as unknown as RpcSpec<RequestOf<N>, ReplyOf<N>>
}
