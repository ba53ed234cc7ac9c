// make web: a live picture of the running ring in the browser. A plain node:http server that serves
// one static page (src/web/page.html + page.js + page.css, read from disk at start) and a small JSON
// API. Everything it knows about the ring comes from the nodes' own HTTP API, through the same
// takeSnapshot / RingClient / ring-ops the command-line tools use.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS } from '../config.js'
import { DhtError, errorMessage } from '../errors.js'
import { snapshotJson } from '../cli/monitor-view.js'
import { isAlive, NetworkStateFile, StateError, type Machine, type NetworkState, type ProcessRecord } from '../cli/network-state.js'
import { RingClient, type ValueReply } from '../cli/ring-client.js'
import { ringProblems } from '../cli/ring-health.js'
import { addNode, crashNode, leaveNode, RingOpError } from '../cli/ring-ops.js'
import { takeSnapshot } from '../cli/ring-snapshot.js'
import { betweenLeftIncl, IdSpace } from '../ring.js'
import { preview } from '../text.js'
import type { Json } from '../wire.js'

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
/** Key dots drawn at most; the count is always exact. */
const MAX_KEYS_SHOWN = 5000

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

interface Asset {
  type: string
  body: Buffer
}

/** src/web beside the sources: walk up from this module (src/web or dist/src/web) to the folder that has src/web/page.html. */
export function webAssetDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'src', 'web')
    if (fs.existsSync(path.join(candidate, 'page.html'))) return candidate
  }
  throw new Error('src/web/page.html not found above ' + path.dirname(fileURLToPath(import.meta.url)))
}

function loadAssets(): Map<string, Asset> {
  const dir = webAssetDir()
  const read = (name: string, type: string): Asset => ({ type, body: fs.readFileSync(path.join(dir, name)) })
  return new Map([
    ['/', read('page.html', 'text/html; charset=utf-8')],
    ['/page.js', read('page.js', 'text/javascript; charset=utf-8')],
    ['/page.css', read('page.css', 'text/css; charset=utf-8')],
  ])
}

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const assets = loadAssets()
  const file = new NetworkStateFile(options.stateDir ? path.resolve(options.stateDir) : undefined, options.machine)
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? (() => {})
  const nodeTimeoutMs = options.nodeTimeoutMs ?? DEFAULTS.requestTimeoutMs
  // One client per (bits, secret): a ring rebooted behind our back gets a fresh one. The secret stays
  // on this side; the page never sees it.
  const clients = new Map<string, RingClient>()
  const clientFor = (bits: number, secret: string | undefined): RingClient => {
    const key = `${bits}/${secret ?? ''}`
    let client = clients.get(key)
    if (!client) clients.set(key, (client = new RingClient(bits, { timeoutMs: nodeTimeoutMs, secret })))
    return client
  }
  // Like openRing(): processes that died behind the tools' back are dropped from the state.
  if (file.exists()) {
    try {
      file.pruneDead()
    } catch {
      // A corrupt state file is reported by /api/ring, not fatal at start.
    }
  }

  const ring = (): { state: NetworkState; client: RingClient } => {
    const state = file.requireRing()
    return { state, client: clientFor(state.settings.bits, file.readSecret()) }
  }

  // One snapshot in flight at a time: several tabs polling share it instead of multiplying node traffic.
  let snapshotInFlight: Promise<Json> | undefined
  const ringView = (): Promise<Json> => {
    snapshotInFlight ??= (async () => {
      const { state, client } = ring()
      const snapshot = await takeSnapshot(client, state, { content: true })
      return viewOf(snapshotJson(snapshot, client, ringProblems(snapshot)), snapshot.bits, state)
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

  const pickNode = (state: NetworkState, port: number | undefined): ProcessRecord => {
    const alive = state.processes.filter((p) => isAlive(p.pid))
    if (port === undefined) {
      if (alive.length === 0) throw new HttpError(503, 'no recorded node process is alive: run make boot')
      return alive[Math.floor(Math.random() * alive.length)]!
    }
    const found = alive.find((p) => p.port === port)
    if (!found) throw new HttpError(404, `no running node of this ring on port ${port}; ports: ${alive.map((p) => p.port).join(', ') || 'none'}`)
    return found
  }

  const valueRoute = async (value: string, op: 'store' | 'lookup', port: number | undefined): Promise<Json> => {
    const { state, client } = ring()
    const entry = pickNode(state, port)
    const reply: ValueReply = op === 'store' ? await client.store(entry, value) : await client.lookup(entry, value)
    return { op, ...reply, entry: { id: entry.id, host: entry.host, port: entry.port } } as unknown as Json
  }

  const routes: Record<string, Partial<Record<string, (url: URL, body: unknown) => Promise<Json>>>> = {
    '/api/ring': { GET: () => ringView() },
    '/api/store': {
      POST: async (_url, body) => valueRoute(valueField(objectBody(body).value), 'store', portField(objectBody(body).port)),
    },
    '/api/lookup': {
      GET: async (url) => valueRoute(valueField(url.searchParams.get('value') ?? undefined), 'lookup', portField(url.searchParams.get('port') ?? undefined)),
    },
    '/api/add': {
      POST: () =>
        serial(async () => {
          file.pruneDead()
          file.requireRing()
          const node = await addNode(file)
          return { added: { id: node.id, host: node.host, port: node.port, pid: node.pid } }
        }),
    },
    '/api/leave': {
      POST: (_url, body) =>
        serial(async () => {
          const port = portField(objectBody(body).port)
          const { state, client } = ring()
          const node = pickNode(state, port)
          const { handedTo } = await leaveNode(file, client, node)
          return { left: { id: node.id, host: node.host, port: node.port }, handedTo: handedTo as Json }
        }),
    },
    '/api/crash': {
      POST: (_url, body) =>
        serial(async () => {
          const port = portField(objectBody(body).port)
          const { state } = ring()
          const node = pickNode(state, port)
          try {
            crashNode(file, node)
          } catch (error) {
            if (error instanceof RingOpError) throw new HttpError(409, error.message)
            throw error
          }
          return { crashed: { id: node.id, host: node.host, port: node.port, pid: node.pid } }
        }),
    },
  }

  // Filled in once the port is known: the Host headers this server answers to.
  const allowedHosts = new Set<string>()
  const server = http.createServer({ requestTimeout: 60_000, headersTimeout: 10_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      request.resume()
      const status = statusOf(error)
      if (status >= 500) log(`${request.method} ${request.url} -> ${status} ${errorMessage(error)}`)
      sendJson(response, status, { error: errorMessage(error), ...(error instanceof DhtError ? { code: error.code } : {}) })
    })
  })

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    let url: URL
    try {
      url = new URL(request.url ?? '/', 'http://web')
    } catch {
      throw new HttpError(400, 'malformed URL')
    }
    const method = request.method ?? 'GET'
    checkOrigin(request, method, allowedHosts)
    const asset = assets.get(url.pathname === '/index.html' ? '/' : url.pathname)
    if (asset) {
      request.resume()
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not allowed on ${url.pathname}; use GET`)
      response.writeHead(200, {
        'content-type': asset.type,
        'content-length': asset.body.length,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
      })
      response.end(method === 'HEAD' ? undefined : asset.body)
      return
    }
    const route = routes[url.pathname]
    if (!route) {
      request.resume()
      throw new HttpError(404, `no route ${url.pathname}`)
    }
    const handler = route[method]
    if (!handler) {
      request.resume()
      throw new HttpError(405, `${method} is not allowed on ${url.pathname}; use ${Object.keys(route).join(', ')}`)
    }
    const body = method === 'POST' ? await readJson(request) : (request.resume(), undefined)
    sendJson(response, 200, await handler(url, body))
  }

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
  allowedHosts.add(`${host.includes(':') ? `[${host}]` : host}:${port}`)
  if (LOOPBACK.has(host)) for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${port}`)
  const shownHost = host.includes(':') ? `[${host}]` : host
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
 * The page's view: the monitor's snapshot JSON (fingers, pointers, health) where each node's entry
 * list is replaced by its counts (owned: the keys in [its id, its successor's id), as the monitor
 * counts them; held: copies included), plus the ring's distinct keys, each with its owner's port.
 */
function viewOf(json: Json, bits: number, state: NetworkState): Json {
  type NodeJson = { port: number; id: string; info: { successor: { id: string } } | null; entries: Array<{ key: string; value: string }> } & Record<string, Json>
  const base = json as { nodes: NodeJson[] } & Record<string, Json>
  const space = new IdSpace(bits)
  const hex = (id: string) => space.parseHex(id) ?? 0n
  const keys = new Map<string, { key: string; value: string; owner: number | null }>()
  const nodes = base.nodes.map(({ entries, ...n }) => {
    const owned = new Set<string>()
    for (const e of entries) {
      let k = keys.get(e.key)
      if (!k) keys.set(e.key, (k = { key: e.key, value: preview(e.value, 60), owner: null }))
      if (n.info && betweenLeftIncl(hex(e.key), hex(n.id), hex(n.info.successor.id))) {
        k.owner = n.port
        owned.add(e.key)
      }
    }
    return { ...n, owned: owned.size, held: entries.length, recorded: state.processes.some((p) => p.port === n.port) } as Json
  })
  const all = [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    ...base,
    nodes,
    keyCount: all.length,
    keys: all.slice(0, MAX_KEYS_SHOWN),
    routeMode: state.settings.routeMode,
  } as Json
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/**
 * The API can change the ring (and holds the cluster secret), so only this page may call it: the Host
 * must be this server's own (no DNS rebinding), a browser's Origin must match it (no cross-site
 * requests), and POSTs must be JSON (which a cross-site form cannot send without a preflight we refuse).
 */
function checkOrigin(request: http.IncomingMessage, method: string, allowedHosts: Set<string>): void {
  const hostHeader = (request.headers.host ?? '').toLowerCase()
  if (!allowedHosts.has(hostHeader)) throw new HttpError(403, `requests must be addressed to ${[...allowedHosts][0] ?? 'this server'}, not ${hostHeader || 'no host'}`)
  const origin = request.headers.origin
  if (origin !== undefined && origin !== `http://${hostHeader}`) throw new HttpError(403, `cross-origin requests are refused (origin ${origin})`)
  if (method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'POST bodies must be JSON (content-type: application/json)')
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {}
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object')
  return body as Record<string, unknown>
}

function valueField(value: unknown): string {
  if (typeof value !== 'string') throw new HttpError(400, 'value is required and must be a string')
  if (value.length === 0) throw new HttpError(400, 'value must not be empty')
  return value
}

function portField(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new HttpError(400, 'port must be an integer from 1 to 65535')
  return port
}

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status
  if (error instanceof DhtError) return error.status
  if (error instanceof StateError) return 503
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') {
    if (code === 'ID_TAKEN') return 409
    if (code === 'BAD_ARGUMENT') return 400
  }
  return 500
}

function readJson(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      request.resume()
      reject(new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    request.on('data', (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        failed = true
        reject(new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`))
        return
      }
      chunks.push(chunk)
    })
    request.on('error', reject)
    request.on('end', () => {
      if (failed) return
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new HttpError(400, 'the body is not valid JSON'))
      }
    })
  })
}

function sendJson(response: http.ServerResponse, status: number, body: Json | Record<string, unknown>): void {
  if (response.headersSent) {
    response.destroy()
    return
  }
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  response.end(text)
}
