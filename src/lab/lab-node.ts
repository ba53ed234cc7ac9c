// The lab-sized Chord node: exactly the handout (node API, findNode, JOIN, STORE, LOOKUP, and the bonus
// track's monitor content, fingers, LEAVE and content passing) in one file read in one sitting, with
// Node built-ins only. It speaks the full node's wire format, so the project's tools (make monitor,
// check, store, lookup, web) work on a ring of it: `make boot IMPL=lab`. No stabilization, no
// replication, no versions: what a ring under churn needs is the full node's (src/node/protocol/).
// Each step a student writes sits between `// STUDENT <step> {` and `// }`: make starter derives the
// starter kit from this file by replacing those bodies with TODOs (src/lab/starter-kit.ts).
//
//   node dist/src/lab/lab-node.js --host 127.0.0.1 --port 5000 [--join host:port] [--bits M] [--secret-file F]
import { createHash, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

// ---- Setup: the command line, ids on the ring, the wire format, calls to other nodes

type Id = bigint
/** A node of the ring; on the wire { id: hex, host, port }. */
interface Node { id: Id; host: string; port: number }
interface Entry { key: Id; value: string }
type RouteMode = 'linear' | 'fingers'
type Json = Record<string, unknown>

/** An error answered as { error, code } with its HTTP status. */
class LabError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message) }
}
const bad = (message: string) => new LabError(400, 'BAD_REQUEST', message)

/** `--name value` or `--name=value`; flags this node does not use (the project's spawner passes many) are ignored. */
function readFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(=(.*))?$/s.exec(argv[i]!)
    if (!match) continue
    if (match[3] !== undefined) flags.set(match[1]!, match[3])
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(match[1]!, argv[++i]!)
    else flags.set(match[1]!, '') // `--join` and nothing after it: start a new ring
  }
  return flags
}

const flags = readFlags(process.argv.slice(2))
const HOST_PATTERN = /^[A-Za-z0-9.\-:[\]]{1,253}$/
const HOST = flags.get('host') || '127.0.0.1'
const PORT = Number(flags.get('port') || 0)
const BITS = Number(flags.get('bits') || 160)
const MODE = (flags.get('mode') || 'fingers') as RouteMode
const FINGER_MS = Number(flags.get('finger-ms') || 5000)
const JOIN = flags.get('join') || ''
const SIZE = 1n << BigInt(Number.isInteger(BITS) && BITS >= 1 && BITS <= 160 ? BITS : 160)
const HEX_DIGITS = Math.ceil(BITS / 4)
const TIMEOUT_MS = 2000
const MAX_HOPS = 1024
const MAX_VALUE_BYTES = 64 * 1024
const MAX_BODY_BYTES = 8 * 1024 * 1024
/** The cluster secret that write routes require and our calls carry, when we were given one. */
let secret = ''

/** SHA-1 reduced to the ring's 2^BITS ids: a node's id is hash("host:port"), a value's key hash(value). */
const hash = (text: string): Id => BigInt('0x' + createHash('sha1').update(text, 'utf8').digest('hex')) % SIZE
const hex = (id: Id): string => id.toString(16).padStart(HEX_DIGITS, '0')
/** How far you walk clockwise from a to b. */
const distance = (a: Id, b: Id): Id => (((b - a) % SIZE) + SIZE) % SIZE
/** x in [from, to) going clockwise; [a, a) is the whole ring, which is why a node alone owns every key. */
const inRange = (x: Id, from: Id, to: Id): boolean => from === to || distance(from, x) < distance(from, to)
const json = (node: Node) => ({ id: hex(node.id), host: node.host, port: node.port })
type NodeJson = ReturnType<typeof json>

function parseId(value: unknown, field: string): Id {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || value.length > HEX_DIGITS || BigInt('0x' + value) >= SIZE) {
    throw bad(`${field} must be a hex id of at most ${HEX_DIGITS} digits below 2^${BITS}`)
  }
  return BigInt('0x' + value)
}

/** A node from the wire; its id must be the hash of its address (nobody picks their place on the ring). */
function parseNode(value: unknown, field: string): Node {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${field} must be a node { id, host, port }`)
  const { id, host, port } = value as Json
  if (typeof host !== 'string' || !HOST_PATTERN.test(host)) throw bad(`${field}.host must be a host name or address`)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw bad(`${field}.port must be an integer from 1 to 65535`)
  const node = { id: hash(`${host}:${port}`), host, port }
  if (id !== undefined && parseId(id, `${field}.id`) !== node.id) throw bad(`${field}.id does not match the hash of ${host}:${port}`)
  return node
}

function parseValue(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw bad(`${field} must be a non-empty string`)
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw new LabError(413, 'PAYLOAD_TOO_LARGE', `${field} is larger than ${MAX_VALUE_BYTES} bytes`)
  return value
}

function parseEntries(value: unknown, field: string): Entry[] {
  if (!Array.isArray(value)) throw bad(`${field} must be an array of { key, value }`)
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw bad(`${field}[${i}] must be { key, value }`)
    return { key: parseId((item as Json).key, `${field}[${i}].key`), value: parseValue((item as Json).value, `${field}[${i}].value`) }
  })
}

/** One request to another node (or to ourselves): its JSON answer, or its { error, code } as a LabError. */
async function call(to: Node, method: string, path: string, body?: unknown): Promise<Json> {
  const where = `${method} ${to.host}:${to.port}${path.split('?')[0]}`
  const headers = { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) }
  const url = `http://${to.host.includes(':') ? `[${to.host}]` : to.host}:${to.port}${path}`
  const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(TIMEOUT_MS), ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).catch(
    (error: unknown) => {
      if (error instanceof Error && error.name === 'TimeoutError') throw new LabError(504, 'PEER_TIMEOUT', `${where}: no answer within ${TIMEOUT_MS} ms`)
      throw new LabError(502, 'PEER_UNREACHABLE', `${where}: unreachable`)
    },
  )
  const reply = (await response.json().catch(() => ({}))) as Json
  if (response.ok) return reply
  throw new LabError(response.status, typeof reply.code === 'string' ? reply.code : 'PEER_ERROR', `${where}: ${String(reply.error ?? response.status)}`)
}

// ---- Part 1: a node and its API (/nodeinfo, GET/PUT /predecessor and /successor)

let self: Node = { id: 0n, host: HOST, port: PORT } // the real one once we listen (port 0: the OS picks)
let predecessor: Node | null = null
let successor: Node = self
/** fingers[i] is the first node at or after self + 2^i (empty until the first refresh). */
let fingers: Node[] = []
/** The content this node owns: each key holds a set of values (different values may share a key). */
const store = new Map<Id, string[]>()

const fingerStart = (i: number): Id => (self.id + (1n << BigInt(i))) % SIZE

function nodeInfo(): Json {
  // The finger table as the tools read it: each distinct node once, with the first finger naming it.
  const rows = fingers.flatMap((node, i) => (i > 0 && fingers[i - 1]!.id === node.id ? [] : [{ index: i, start: hex(fingerStart(i)), node: json(node) }]))
  const values = [...store.values()].reduce((sum, list) => sum + list.length, 0)
  return {
    ...json(self), status: 'ready', predecessor: predecessor && json(predecessor), successor: json(successor), successors: [json(successor)],
    fingers: rows, keys: store.size, values, tombstones: 0, bits: BITS, replicas: 1, routeMode: MODE, pid: process.pid, impl: 'lab',
  }
}

function setPredecessor(node: Node | null): void {
  predecessor = node && node.id !== self.id ? node : null // alone, a node has no predecessor
}

// ---- Part 2: findNode and JOIN

/** Where a findNode ended: the owner of the id, its successor, and every node visited on the way. */
interface Route { node: Node; successor: Node; hops: number; path: Node[] }
/** What findNode needs to know of a node: its successor and its fingers. */
interface View { successor: Node; fingers: Node[] }

/** Our own view, or another node's from its GET /nodeinfo. */
async function viewOf(node: Node): Promise<View> {
  if (node.id === self.id) return { successor, fingers }
  const info = await call(node, 'GET', '/nodeinfo')
  const rows = Array.isArray(info.fingers) ? (info.fingers as Json[]) : []
  return { successor: parseNode(info.successor, 'successor'), fingers: rows.map((row, i) => parseNode(row?.node, `fingers[${i}].node`)) }
}

/**
 * findNode(id), iterative: the owner of id is the node whose range [node, successor) holds it. LINEAR
 * walks successor by successor; with fingers, each step jumps to closestPreceding (the bonus track).
 */
async function findNode(id: Id, mode: RouteMode): Promise<Route> {
  // STUDENT findNode {
  const path: Node[] = [self]
  let current = self
  let view = await viewOf(self)
  while (!inRange(id, current.id, view.successor.id)) {
    if (path.length > MAX_HOPS) throw new LabError(502, 'ROUTE_FAILED', `findNode(${hex(id)}) took more than ${MAX_HOPS} hops`)
    const next = mode === 'fingers' ? closestPreceding(current, view, id) : view.successor
    // A finger may name a node that has left: then step to the successor instead.
    const nextView = await viewOf(next).catch((error: unknown) => (next.id === view.successor.id ? Promise.reject(error) : undefined))
    current = nextView ? next : view.successor
    view = nextView ?? (await viewOf(current))
    path.push(current)
  }
  return { node: current, successor: view.successor, hops: path.length - 1, path }
  // }
}

/** POST /join, handled by any node: the owner of the joiner's id becomes its predecessor. */
async function join(joiner: Node): Promise<{ predecessor: Node; successor: Node }> {
  // STUDENT join {
  const route = await findNode(joiner.id, MODE)
  if (route.node.id === joiner.id) throw new LabError(409, 'ID_TAKEN', `id ${hex(joiner.id)} of ${joiner.host}:${joiner.port} is already taken by a running node`)
  await rewire(joiner, route.node, route.successor)
  await passContent(joiner, route.node, route.successor)
  return { predecessor: route.node, successor: route.successor }
  // }
}

/** The four rewiring PUTs: the joiner learns its two neighbours, then each neighbour learns the joiner. */
async function rewire(joiner: Node, pred: Node, succ: Node): Promise<void> {
  // STUDENT rewire {
  await call(joiner, 'PUT', '/predecessor', json(pred))
  await call(joiner, 'PUT', '/successor', json(succ))
  await call(pred, 'PUT', '/successor', json(joiner))
  await call(succ, 'PUT', '/predecessor', json(joiner))
  // }
}

// ---- Part 3: STORE and LOOKUP (findNode, then insert or get on the owner)

interface ValueReply { key: string; value: string; node: NodeJson; hops: number; path: NodeJson[] }
const valueReply = (key: Id, value: string, route: Route): ValueReply => ({ key: hex(key), value, node: json(route.node), hops: route.hops, path: route.path.map(json) })

/** STORE: the node asked does not keep the value; it finds the owner of hash(value) and inserts there. */
async function storeValue(value: string): Promise<ValueReply> {
  // STUDENT store {
  const key = hash(value)
  const route = await findNode(key, MODE)
  await call(route.node, 'POST', '/insert', { entries: [{ key: hex(key), value }] })
  return valueReply(key, value, route)
  // }
}

/** insert, on the owner: keep the values (a set per key). */
function insert(entries: Entry[]): number {
  let added = 0
  for (const { key, value } of entries) {
    const values = store.get(key) ?? []
    if (values.includes(value)) continue
    store.set(key, [...values, value])
    added++
  }
  return added
}

/** LOOKUP: find the owner of hash(value), and ask it for the key's values. */
async function lookupValue(value: string): Promise<ValueReply> {
  // STUDENT lookup {
  const key = hash(value)
  const route = await findNode(key, MODE)
  const found = await call(route.node, 'GET', `/get?key=${hex(key)}`)
  if (!Array.isArray(found.values) || !found.values.includes(value)) {
    throw new LabError(404, 'NOT_FOUND', `"${value.slice(0, 40)}" is not stored (key ${hex(key)}, owner @${route.node.port})`)
  }
  return valueReply(key, value, route)
  // }
}

// ---- Bonus track: the monitor's content, fingers, LEAVE, content passing

/** What this node holds, for the monitor: every value with its key, in key order. */
function content(): { node: NodeJson; count: number; entries: Array<{ key: string; value: string }> } {
  const entries = [...store.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([key, values]) => values.map((value) => ({ key: hex(key), value })))
  return { node: json(self), count: entries.length, entries }
}

/** Of a node's fingers and successor, the one nearest before id: the longest jump that cannot overshoot it. */
function closestPreceding(from: Node, view: View, id: Id): Node {
  // STUDENT closestPreceding {
  let best = view.successor // never past id: `from` does not own id, so its successor lies in (from, id]
  for (const finger of view.fingers) {
    const d = distance(from.id, finger.id)
    if (d > distance(from.id, best.id) && d <= distance(from.id, id)) best = finger
  }
  return best
  // }
}

/** Every FINGER_MS: finger i is the first node at or after self + 2^i, found with findNode. */
async function refreshFingers(): Promise<void> {
  // STUDENT refreshFingers {
  const table: Node[] = []
  for (let i = 0; i < BITS; i++) {
    const start = fingerStart(i)
    const previous = table[i - 1]
    // A start at or before the previous finger's node has that same node: no lookup needed.
    if (previous && distance(self.id, start) <= distance(self.id, previous.id)) {
      table.push(previous)
      continue
    }
    const route = await findNode(start, 'fingers')
    table.push(route.node.id === start ? route.node : route.successor)
  }
  fingers = table
  // }
}

/** LEAVE on request: our content to our predecessor, our predecessor and successor linked, then exit. */
async function leave(): Promise<{ left: NodeJson; handedTo: NodeJson }> {
  // STUDENT leave {
  if (successor.id === self.id) throw new LabError(409, 'LAST_NODE', 'this is the last node of the ring; it cannot leave')
  if (!predecessor) throw new LabError(409, 'NOT_READY', 'no predecessor known: nobody to hand the content to')
  const { entries } = content()
  if (entries.length > 0) await call(predecessor, 'POST', '/insert', { entries })
  await call(predecessor, 'PUT', '/successor', json(successor))
  await call(successor, 'PUT', '/predecessor', json(predecessor))
  store.clear()
  return { left: json(self), handedTo: json(predecessor) }
  // }
}

/** Content passing on JOIN: the values of [joiner, successor) move from the predecessor to the joiner. */
async function passContent(joiner: Node, pred: Node, succ: Node): Promise<void> {
  // STUDENT passContent {
  const held = parseEntries((await call(pred, 'GET', '/content')).entries, 'entries')
  const moving = held.filter((e) => inRange(e.key, joiner.id, succ.id))
  if (moving.length === 0) return
  await call(joiner, 'POST', '/insert', { entries: moving.map((e) => ({ key: hex(e.key), value: e.value })) })
  for (const e of moving) await call(pred, 'DELETE', `/delete?key=${hex(e.key)}&value=${encodeURIComponent(e.value)}`)
  // }
}

/** delete, on the predecessor during content passing: the value (or every value of the key). */
function remove(key: Id, value: string | null): number {
  const values = store.get(key) ?? []
  const kept = value === null ? [] : values.filter((v) => v !== value)
  if (kept.length > 0) store.set(key, kept)
  else store.delete(key)
  return values.length - kept.length
}

// ---- The node API: one handler per route, in the handout's order

interface Reply { status?: number; body: unknown; after?: () => void }
type Handler = (query: URLSearchParams, body: Json | null) => Promise<Reply>

async function findNodeReply(id: Id, modeGiven: string | null): Promise<Json> {
  if (modeGiven !== null && modeGiven !== 'linear' && modeGiven !== 'fingers') throw bad('mode must be linear or fingers')
  const mode = modeGiven ?? MODE
  const route = await findNode(id, mode)
  return { id: hex(id), mode, node: json(route.node), successor: json(route.successor), hops: route.hops, path: route.path.map(json) }
}

const routes: Record<string, Record<string, Handler>> = {
  '/nodeinfo': { GET: async () => ({ body: nodeInfo() }) },
  '/predecessor': {
    GET: async () => ({ body: { predecessor: predecessor && json(predecessor) } }),
    PUT: async (_, body) => {
      setPredecessor(body === null ? null : parseNode(body, 'body'))
      return { body: { predecessor: predecessor && json(predecessor) } }
    },
  },
  '/successor': {
    GET: async () => ({ body: { successor: json(successor) } }),
    PUT: async (_, body) => {
      successor = parseNode(body, 'body')
      return { body: { successor: json(successor) } }
    },
  },
  '/findnode': { GET: async (query) => ({ body: await findNodeReply(parseId(query.get('id'), 'id'), query.get('mode')) }) },
  '/join': {
    POST: async (_, body) => {
      const placed = await join(parseNode(body, 'body'))
      return { body: { predecessor: json(placed.predecessor), successor: json(placed.successor) } }
    },
  },
  '/store': { POST: async (_, body) => ({ status: 201, body: await storeValue(parseValue(body?.value, 'value')) }) },
  '/insert': { POST: async (_, body) => ({ body: { inserted: insert(parseEntries(body?.entries, 'entries')) } }) },
  '/lookup': { GET: async (query) => ({ body: await lookupValue(parseValue(query.get('value'), 'value')) }) },
  '/get': {
    GET: async (query) => {
      const key = parseId(query.get('key'), 'key')
      return { body: { key: hex(key), values: store.get(key) ?? [] } }
    },
  },
  '/content': { GET: async () => ({ body: content() }) },
  '/leave': { POST: async () => ({ body: await leave(), after: () => shutdown('left the ring') }) },
  '/delete': {
    DELETE: async (query) => {
      const key = parseId(query.get('key'), 'key')
      return { body: { key: hex(key), deleted: remove(key, query.get('value')) } }
    },
  },
}

// ---- The HTTP server: route, secret, JSON body; every failure answered { error, code }

function authorized(header: string | undefined): boolean {
  const given = Buffer.from(header ?? '')
  const expected = Buffer.from(`Bearer ${secret}`)
  return !secret || (given.length === expected.length && timingSafeEqual(given, expected))
}

/** The JSON body (null when there is none), read up to MAX_BODY_BYTES. */
async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new LabError(413, 'PAYLOAD_TOO_LARGE', `body is larger than ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return text.trim() === '' ? null : (JSON.parse(text) as unknown)
  } catch {
    throw bad('body is not valid JSON')
  }
}

async function dispatch(request: http.IncomingMessage): Promise<Reply> {
  const method = request.method ?? 'GET'
  if (!URL.canParse(request.url ?? '', 'http://node')) throw bad('malformed URL')
  const url = new URL(request.url ?? '', 'http://node')
  const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname]! : undefined
  if (!route) throw new LabError(404, 'UNKNOWN_ROUTE', `no route ${url.pathname}`)
  const handler = Object.hasOwn(route, method) ? route[method]! : undefined
  if (!handler) throw new LabError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; use ${Object.keys(route).join(', ')}`)
  if (method !== 'GET' && !authorized(request.headers.authorization)) {
    throw new LabError(401, 'UNAUTHORIZED', `${method} ${url.pathname} changes the ring and needs the cluster secret (authorization: Bearer …)`)
  }
  // Handlers read fields with ?. and check each one, so a body that is no object is answered 400 there.
  return handler(url.searchParams, (await readBody(request)) as Json | null)
}

const server = http.createServer((request, response) => {
  const send = (status: number, body: unknown, after?: () => void) =>
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body), after)
  dispatch(request).then(
    (reply) => send(reply.status ?? 200, reply.body, reply.after),
    (error: unknown) => {
      const known = error instanceof LabError ? error : new LabError(500, 'INTERNAL', error instanceof Error ? error.message : String(error))
      if (known.status >= 500) log(`${request.method} ${request.url} -> ${known.status} ${known.message}`)
      request.resume() // a body we did not read must not hold the connection
      send(known.status, { error: known.message, code: known.code })
    },
  )
})

// ---- Start: listen, join (or start a new ring), fingers on a timer, tell the spawner we are ready

function log(line: string): void {
  console.log(`[${new Date().toISOString()}] ${line}`)
}

/** Says why to whoever started us (the project's spawner listens on the IPC channel), then exits. */
function fail(code: string, message: string, exitCode: number): void {
  console.error(`${code}: ${message}`)
  if (process.send) process.send({ type: 'failed', code, message }, () => process.exit(exitCode))
  else process.exit(exitCode)
}

function shutdown(why: string): void {
  log(`stopping: ${why}`)
  process.exit(0)
}

/** Refreshes the fingers now; a failure is logged, and the next period tries again. */
async function refreshFingersNow(): Promise<void> {
  await refreshFingers().catch((error: unknown) => log(`finger refresh failed: ${error instanceof Error ? error.message : String(error)}`))
}

async function start(): Promise<void> {
  const port = (server.address() as AddressInfo).port
  self = { id: hash(`${HOST}:${port}`), host: HOST, port }
  successor = self
  if (JOIN) {
    // The JOIN's rewiring PUTs set our predecessor and successor before it answers.
    const at = JOIN.lastIndexOf(':')
    const placed = await call({ id: hash(JOIN), host: JOIN.slice(0, at), port: Number(JOIN.slice(at + 1)) }, 'POST', '/join', json(self))
    log(`joined via ${JOIN}: ${JSON.stringify(placed)}`)
  } else log('started a new ring')
  await refreshFingersNow()
  let refreshing = false
  setInterval(() => {
    if (refreshing) return
    refreshing = true
    void refreshFingersNow().finally(() => (refreshing = false))
  }, FINGER_MS)
  log(`ready id=${hex(self.id)} ${HOST}:${port} bits=${BITS} (lab node)`)
  process.send?.({ type: 'ready', id: hex(self.id), host: HOST, port, pid: process.pid }, () => process.disconnect())
}

const wrongFlag = [
  [!HOST_PATTERN.test(HOST), `--host must be a host name or address, got "${HOST}"`],
  [!Number.isInteger(PORT) || PORT < 0 || PORT > 65535, `--port must be from 0 to 65535, got "${flags.get('port')}"`],
  [!Number.isInteger(BITS) || BITS < 1 || BITS > 160, `--bits must be from 1 to 160, got "${flags.get('bits')}"`],
  [MODE !== 'linear' && MODE !== 'fingers', `--mode must be linear or fingers, got "${MODE}"`],
  [!Number.isInteger(FINGER_MS) || FINGER_MS < 10, '--finger-ms must be a whole number of ms, at least 10'],
  [JOIN !== '' && !/^[A-Za-z0-9.\-:[\]]+:\d{1,5}$/.test(JOIN), `--join must be host:port, got "${JOIN}"`],
].find(([wrong]) => wrong)?.[1] as string | undefined
const secretFile = flags.get('secret-file') || ''
const readSecret = (file: string): string => {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return ''
  }
}
secret = secretFile ? readSecret(secretFile) : ''
if (wrongFlag) fail('BAD_ARGUMENT', wrongFlag, 2)
else if (secretFile && !secret) fail('BAD_SECRET', `no cluster secret in ${secretFile} (missing, unreadable or empty)`, 2)
else {
  server.on('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'LISTEN_FAILED', `${HOST}:${PORT}: ${error.message}`, 3))
  server.listen(PORT, HOST, () => {
    start().catch((error: unknown) => {
      const code = error instanceof LabError ? error.code : 'START_FAILED'
      fail(code, error instanceof Error ? error.message : String(error), code === 'ID_TAKEN' ? 4 : 5)
    })
  })
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
// A bug must not take the ring down with it: log it and keep serving.
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`))
process.on('unhandledRejection', (error) => log(`unhandled rejection: ${String(error)}`))
