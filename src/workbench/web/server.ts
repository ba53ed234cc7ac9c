// make web: a live picture of the running ring in the browser. The page (src/workbench/web: page.html, page.css
// and its ES modules, read from disk at start) and a small JSON API, on the same JSON layer as a node's
// API. Everything it knows about the ring comes from the nodes' own HTTP API, through the same
// takeSnapshot / RingClient / ring-ops the command-line tools use, and the faults through the functions
// of make slow, drop, partition and heal (fault-api.ts). Each action it performs starts a trace, whose
// id it answers with; /api/trace and /api/messages gather what the nodes logged.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS } from '../../node/config.js'
import type { AuthMode, Impl } from '../../node/settings.js'
import { DhtError, ErrorCodes, isToolError, type ErrorCode } from '../../node/errors.js'
import { createJsonServer, type Reply, type Route, type RouteTable, type Wrapper } from '../../node/server/json-server.js'
import { snapshotJson } from '../terminal/monitor-view.js'
import { isAlive, NetworkStateFile, type Machine, type NetworkState, type ProcessRecord } from '../../tools/network-state.js'
import { DirectClient } from '../../tools/direct-client.js'
import { RingClient, type ValueReply } from '../../tools/ring-client.js'
import { ringProblems } from '../../tools/ring-health.js'
import { addNode, crashNode, leaveNode } from '../../tools/ring-ops.js'
import { takeSnapshot } from '../../tools/ring-snapshot.js'
import { messageJson, type Message } from '../../node/trace/messages.js'
import { isTraceId } from '../../node/trace/trace-context.js'
import type { Address } from '../../node/transport/http-client.js'
import { asInteger, asObject, asString, bad, type Json } from '../../node/wire.js'
import { faultActions, readPlans } from './fault-api.js'
import { PlanBook } from './fault-view.js'
import { pageView } from './ring-view.js'
import { collectMessages, collectTrace, nowMs, repairWindowMs, sentByThisPage, startTrace, type Conversation } from './traces.js'

export interface WebServerOptions {
  /** The ring's state directory (network.json); defaults to ./state. */
  stateDir?: string
  /** Where nodes added from the page listen (HOST=, ADVERTISE=, DHT_BASE_PORT=); OS-chosen ports by default. */
  machine?: Partial<Machine>
  /** 0 lets the OS pick a free port. */
  port?: number
  host?: string
  /** Per-request timeout towards the nodes, so one hung node cannot stall the page. */
  nodeTimeoutMs?: number
  /** Where server-side failures (5xx) are reported; silent by default. */
  log?: (line: string) => void
}

export interface WebServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Thrown when the port is taken, so the script can say so and exit 1. */
export class PortBusyError extends Error {
  constructor(readonly port: number, host: string) {
    super(`port ${port} on ${host} is already in use; choose another with WEB_PORT=<port> (WEB_PORT=0 picks a free one)`)
  }
}

const MAX_BODY_BYTES = 256 * 1024
/** /api/messages without a `since`: the last second. */
const DEFAULT_MESSAGES_WINDOW_MS = 1000
/** Leaves whose departed node's messages are kept for /api/trace. */
const MAX_DEPARTED_TRACES = 20
/** Nodes named in one /api/messages?involving= at most. */
const MAX_INVOLVING = 64
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])
const ASSET_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }
const ASSET_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
}

/** src/workbench/web beside the sources: walk up from this module (src/workbench/web or dist/src/workbench/web) to the folder that has its page.html. */
export function webAssetDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'src', 'workbench', 'web')
    if (fs.existsSync(path.join(candidate, 'page.html'))) return candidate
  }
  throw new Error('src/workbench/web/page.html not found above ' + path.dirname(fileURLToPath(import.meta.url)))
}

/** The page at / and every stylesheet and module beside it at /<name>, with the CSP that allows only them. */
function assetRoutes(): RouteTable {
  const dir = webAssetDir()
  const routes: RouteTable = {}
  for (const name of fs.readdirSync(dir)) {
    const type = ASSET_TYPES[path.extname(name)]
    if (!type) continue
    const reply: Reply = { body: fs.readFileSync(path.join(dir, name)), headers: { 'content-type': type, ...ASSET_HEADERS } }
    const route: Route = { handler: async () => reply }
    for (const at of name === 'page.html' ? ['/', '/index.html'] : [`/${name}`]) routes[at] = { GET: route, HEAD: route }
  }
  return routes
}

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const file = new NetworkStateFile(options.stateDir ? path.resolve(options.stateDir) : undefined, options.machine)
  const host = options.host ?? '127.0.0.1'
  const nodeTimeoutMs = options.nodeTimeoutMs ?? DEFAULTS.requestTimeoutMs
  // One client per (bits, secret): a ring rebooted behind our back gets a fresh one. The secret stays
  // on this side; the page never sees it.
  const clients = new Map<string, RingClient>()
  const clientFor = (bits: number, secret: string | undefined, impl: Impl, auth: AuthMode): RingClient => {
    const key = `${bits}/${secret ?? ''}/${impl}/${auth}`
    let client = clients.get(key)
    if (!client) clients.set(key, (client = new RingClient(bits, { timeoutMs: nodeTimeoutMs, secret, impl, auth })))
    return client
  }
  // The client that knows the ring, one per ring client: its copy of the membership outlives a request.
  const directs = new WeakMap<RingClient, DirectClient>()

  // Read without the state's lock, which a request must never wait for: processes that died behind
  // the tools' back are left out here, in memory; the tools prune the file itself.
  const ring = (): { state: NetworkState; client: RingClient } => {
    const recorded = file.requireRing()
    const state = { ...recorded, processes: recorded.processes.filter((p) => isAlive(p.pid)) }
    return { state, client: clientFor(state.settings.bits, file.readSecret(), state.settings.impl, state.settings.auth) }
  }

  // The nodes the page's last snapshot found (the recorded ones and those found by walking successors):
  // a trace is asked of each of them.
  let snapshotNodes: Address[] = []
  // The nodes' fault plans as last read: each poll reads those due (fault-api.ts), each action records its answers.
  const plans = new PlanBook()
  // One snapshot in flight at a time: several tabs polling share it instead of multiplying node traffic.
  let snapshotInFlight: Promise<Json> | undefined
  const ringView = (): Promise<Json> => {
    snapshotInFlight ??= (async () => {
      const { state, client } = ring()
      const snapshot = await takeSnapshot(client, state, { content: true })
      snapshotNodes = snapshot.nodes.filter((n) => n.info).map((n) => ({ host: n.host, port: n.port }))
      // The lab node has no fault injection: no plans to read.
      if (state.settings.impl !== 'lab') await readPlans(client, snapshot.nodes, plans)
      return pageView(snapshotJson(snapshot, client, ringProblems(snapshot)), snapshot.bits, state, plans)
    })().finally(() => {
      snapshotInFlight = undefined
    })
    return snapshotInFlight
  }

  // Changes to the ring (add, leave, crash) run one at a time, as they would from one terminal.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work)
    queue = next.catch(() => {})
    return next
  }

  /** The messages of a leave that its node took along when it exited, by trace id; the newest few. */
  const departed = new Map<string, Message[]>()
  /** Every node a trace may have touched: the recorded processes and the last snapshot's nodes. */
  const traceNodes = (state: NetworkState): Address[] => {
    const byAddress = new Map<string, Address>()
    for (const n of [...state.processes, ...snapshotNodes]) byAddress.set(`${n.host}:${n.port}`, { host: n.host, port: n.port })
    return [...byAddress.values()]
  }
  const conversationJson = (c: Conversation): Record<string, Json> => ({ messages: c.messages.map(messageJson), lanes: c.lanes as Json, unreachable: c.unreachable })

  const pickNode = (state: NetworkState, port: number | undefined): ProcessRecord => {
    if (port === undefined) {
      if (state.processes.length === 0) throw new DhtError('UNAVAILABLE', 'no recorded node process is alive: run make boot')
      return state.processes[Math.floor(Math.random() * state.processes.length)]!
    }
    const found = state.processes.find((p) => p.port === port)
    if (!found) throw new DhtError('NOT_FOUND', `no running node of this ring on port ${port}; ports: ${state.processes.map((p) => p.port).join(', ') || 'none'}`)
    return found
  }

  const valueRoute = async (op: 'store' | 'lookup', value: string, port: number | undefined): Promise<Json> => {
    const { state, client } = ring()
    const { traceId, traceparent } = startTrace()
    if (port === undefined) {
      // No node chosen: straight to the key's owner, as the client's copy of the ring names it.
      let direct = directs.get(client)
      if (!direct) directs.set(client, (direct = new DirectClient(client, { seeds: () => ring().state.processes, routeMode: state.settings.routeMode })))
      const { route, redirects, asked, ...reply } = op === 'store' ? await direct.store(value, { traceparent }) : await direct.lookup(value, { traceparent })
      return { op, ...reply, entry: asked, route, redirects, traceId } as unknown as Json
    }
    const entry = pickNode(state, port)
    const reply: ValueReply = op === 'store' ? await client.store(entry, value, { traceparent }) : await client.lookup(entry, value, { traceparent })
    return { op, ...reply, entry: { id: entry.id, host: entry.host, port: entry.port }, traceId } as unknown as Json
  }

  const faults = faultActions({
    open: () => {
      const { state, client } = ring()
      return { file, state, client, entry: (port) => pickNode(state, port) }
    },
    book: plans,
  })

  /** An API route: its JSON body (when it has one) must be an object; the handler's answer is the reply. */
  const api = (answer: (request: { query: URLSearchParams; body: Record<string, unknown> }) => Promise<Json>): Route => ({
    handler: async ({ query, body }) => ({ body: await answer({ query, body: body === undefined ? {} : asObject(body, 'the body') }) }),
  })
  const routes: RouteTable = {
    ...assetRoutes(),
    '/api/ring': { GET: api(() => ringView()) },
    '/api/store': { POST: api(({ body }) => valueRoute('store', asString(body.value, 'value'), portField(body.port))) },
    '/api/lookup': { GET: api(({ query }) => valueRoute('lookup', asString(query.get('value') ?? undefined, 'value'), portField(query.get('port')))) },
    '/api/add': {
      POST: api(() =>
        serial(async () => {
          ring()
          // The new node runs its join inside the trace (--traceparent): there is no request to carry it.
          const { traceId, traceparent } = startTrace()
          const node = await addNode(file, { traceparent })
          return { added: { id: node.id, host: node.host, port: node.port, pid: node.pid }, traceId }
        }),
      ),
    },
    '/api/leave': {
      POST: api(({ body }) =>
        serial(async () => {
          const { state, client } = ring()
          const node = pickNode(state, portField(body.port))
          const { traceId, spanId, traceparent } = startTrace()
          const start = nowMs()
          const { handedTo, spans } = await leaveNode(file, client, node, { traceparent })
          // The node's log is gone with it: what it logged of its leave came back in the answer, all but
          // the LEAVE itself (logged once answered), which this side, its sender, records instead.
          const leave = spans.some((m) => m.spanId === spanId)
            ? []
            : [sentByThisPage({ traceId, spanId, to: node, method: 'POST', path: '/leave', start, end: nowMs(), status: 200, summary: `leave: keys handed to ${handedTo ? `@${handedTo.port}` : 'no one'}` })]
          departed.set(traceId, [...leave, ...spans])
          for (const old of departed.keys()) if (departed.size > MAX_DEPARTED_TRACES) departed.delete(old)
          return { left: { id: node.id, host: node.host, port: node.port }, handedTo: handedTo as Json, traceId }
        }),
      ),
    },
    '/api/trace': {
      GET: api(async ({ query }) => {
        const id = query.get('id') ?? ''
        if (!isTraceId(id)) throw bad('id must be a trace id: 32 lowercase hex digits, not all zeros')
        const { state, client } = ring()
        return { traceId: id, ...conversationJson(await collectTrace(client, traceNodes(state), id, departed.get(id))) }
      }),
    },
    '/api/messages': {
      GET: api(async ({ query }) => {
        const now = Date.now()
        const since = query.has('since') ? timeField(query.get('since'), 'since') : now - DEFAULT_MESSAGES_WINDOW_MS
        const until = query.has('until') ? timeField(query.get('until'), 'until') : undefined
        const involving = listField(query.get('involving'), 'involving', MAX_INVOLVING)
        const tasks = listField(query.get('task'), 'task', MAX_INVOLVING)
        const { state, client } = ring()
        const found = await collectMessages(
          client,
          traceNodes(state),
          { since, all: query.get('all') === '1', ...(until === undefined ? {} : { until }), ...(involving ? { involving } : {}), ...(tasks ? { tasks } : {}) },
          now,
        )
        return { ...conversationJson(found), now: found.now }
      }),
    },
    // The faults, serialised with the other changes: a heal never runs in the middle of a partition.
    '/api/slow': { POST: api(({ body }) => serial(() => faults.slow(body))) },
    '/api/drop': { POST: api(({ body }) => serial(() => faults.drop(body))) },
    '/api/partition': { POST: api(({ body }) => serial(() => faults.partition(body))) },
    '/api/heal': { POST: api(() => serial(() => faults.heal())) },
    '/api/crash': {
      POST: api(({ body }) =>
        serial(async () => {
          const { state, client } = ring()
          const node = pickNode(state, portField(body.port))
          // A crash sends no message to trace: the page replays the repair instead, the maintenance of
          // the next few seconds that involves the node or its neighbours (asked before it dies).
          const neighbours = await client.nodeInfo(node).then(
            (info) => [info.predecessor, info.successor].filter((p) => p !== null).map((p) => client.wire.peer(p)),
            () => [],
          )
          const since = Date.now()
          crashNode(file, node)
          const crashed = { id: node.id, host: node.host, port: node.port }
          const nodes = new Map([crashed, ...neighbours].map((p) => [`${p.host}:${p.port}`, { id: p.id, host: p.host, port: p.port }]))
          return { crashed: { ...crashed, pid: node.pid }, repair: { since, until: since + repairWindowMs(state.settings), nodes: [...nodes.values()] } }
        }),
      ),
    },
  }

  // Filled in once the port is known: the Host headers this server answers to.
  const allowedHosts = new Set<string>()
  const server = createJsonServer({
    routes,
    wrappers: [onlyThisPage(allowedHosts)],
    maxBodyBytes: MAX_BODY_BYTES,
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 10_000,
    headers: { 'cache-control': 'no-store' },
    translateError: toolError,
    ...(options.log ? { log: options.log } : {}),
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(error.code === 'EADDRINUSE' ? new PortBusyError(options.port ?? 0, host) : error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(options.port ?? 0, host)
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  allowedHosts.add(`${shownHost}:${port}`)
  if (LOOPBACK.has(host)) for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${port}`)
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients.values()) client.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/**
 * The API can change the ring (and holds the cluster secret), so only this page may call it: the Host
 * must be this server's own (no DNS rebinding), a browser's Origin must match it (no cross-site
 * requests), and POSTs must be JSON (which a cross-site form cannot send without a preflight we refuse).
 */
function onlyThisPage(allowedHosts: ReadonlySet<string>): Wrapper {
  return (next) => async (request) => {
    const hostHeader = (request.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(hostHeader)) throw new DhtError('FORBIDDEN', `requests must be addressed to ${[...allowedHosts][0] ?? 'this server'}, not ${hostHeader || 'no host'}`)
    const origin = request.headers.origin
    if (origin !== undefined && origin !== `http://${hostHeader}`) throw new DhtError('FORBIDDEN', `cross-origin requests are refused (origin ${origin})`)
    if (request.method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new DhtError('UNSUPPORTED_MEDIA_TYPE', 'POST bodies must be JSON (content-type: application/json)')
    }
    return next(request)
  }
}

/** A comma-separated list in a query (nodes' "host:port", tasks' names), or undefined when not given. */
function listField(value: string | null, field: string, max: number): Set<string> | undefined {
  if (!value) return undefined
  const items = new Set(value.split(',').filter((item) => item !== ''))
  if (items.size > max) throw bad(`${field} names at most ${max} items`)
  return items
}

/** Epoch milliseconds in a query. */
function timeField(value: string | null, field: string): number {
  const ms = Number(value)
  if (value === null || value.trim() === '' || !Number.isFinite(ms) || ms < 0) throw bad(`${field} must be a time in epoch milliseconds`)
  return ms
}

function portField(value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : asInteger(value, 'port', 1, 65535)
}

/**
 * The tools' errors as DhtErrors: no ring to drive (none booted, the state file corrupt or locked) is
 * 503 UNAVAILABLE; a tool's code that is also a node's (ID_TAKEN, LAST_NODE) keeps it; a bad argument is 400.
 */
function toolError(error: unknown): DhtError | undefined {
  if (!isToolError(error)) return undefined
  if (error.code === 'NO_RING' || error.code === 'STATE_CORRUPT' || error.code === 'STATE_LOCKED') return new DhtError('UNAVAILABLE', error.message)
  if (error.code === 'BAD_ARGUMENT') return new DhtError('BAD_REQUEST', error.message)
  if (Object.hasOwn(ErrorCodes, error.code)) return new DhtError(error.code as ErrorCode, error.message)
  return undefined
}
