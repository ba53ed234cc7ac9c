// The node's HTTP server: parse, validate, dispatch to the route table, encode. Every failure
// becomes a status and a JSON body { error, code }; nothing a client sends can crash the node.
import { timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { DEFAULTS } from '../config.js'
import { DhtError, errorMessage } from '../errors.js'
import { bad } from '../wire.js'
import { WRITE_ROUTES, type Method, type Reply, type RouteTable } from './routes.js'

export interface ServerOptions {
  maxBodyBytes: number
  /** Slow clients are cut off after this long. */
  requestTimeoutMs: number
  maxConnections: number
  /** The cluster secret: requests that change state must carry `authorization: Bearer <secret>`. */
  secret?: string
}

const METHODS: readonly string[] = ['GET', 'PUT', 'POST', 'DELETE']

export function createNodeServer(routes: RouteTable, options: Partial<ServerOptions> = {}, log: (line: string) => void = () => {}): http.Server {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes
  const requestTimeout = options.requestTimeoutMs ?? DEFAULTS.requestReceiveTimeoutMs
  const authorized = secretCheck(options.secret)
  const server = http.createServer({ requestTimeout, headersTimeout: requestTimeout, keepAliveTimeout: 60_000 }, (request, response) => {
    handle(request, routes, maxBodyBytes, authorized)
      .then((reply) => send(response, reply.status ?? 200, reply.body, reply.after))
      .catch((error: unknown) => {
        const status = error instanceof DhtError ? error.status : 500
        const code = error instanceof DhtError ? error.code : 'INTERNAL'
        if (status >= 500) log(`${request.method} ${request.url} -> ${status} ${errorMessage(error)}`)
        send(response, status, { error: errorMessage(error), code })
      })
  })
  server.maxConnections = options.maxConnections ?? DEFAULTS.maxConnections
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"malformed HTTP request","code":"BAD_REQUEST"}')
    else socket.destroy()
  })
  return server
}

/** A constant-time comparison of the bearer token with the secret; everything passes when there is no secret. */
function secretCheck(secret: string | undefined): (request: http.IncomingMessage) => boolean {
  if (!secret) return () => true
  const expected = Buffer.from(`Bearer ${secret}`)
  return (request) => {
    const given = Buffer.from(request.headers.authorization ?? '')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
}

async function handle(request: http.IncomingMessage, routes: RouteTable, maxBodyBytes: number, authorized: (request: http.IncomingMessage) => boolean): Promise<Reply> {
  let url: URL
  try {
    url = new URL(request.url ?? '/', 'http://node')
  } catch {
    throw bad('malformed URL')
  }
  const route = routes[url.pathname]
  if (!route) {
    request.resume()
    throw new DhtError('UNKNOWN_ROUTE', `no route ${url.pathname}`)
  }
  const method = request.method ?? ''
  const handler = METHODS.includes(method) ? route[method as Method] : undefined
  if (!handler) {
    request.resume()
    throw new DhtError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; use ${Object.keys(route).join(', ')}`)
  }
  if (WRITE_ROUTES.has(`${method} ${url.pathname}`) && !authorized(request)) {
    request.resume()
    throw new DhtError('UNAUTHORIZED', `${method} ${url.pathname} changes the ring and needs the cluster secret (authorization: Bearer …)`)
  }
  const body = method === 'POST' || method === 'PUT' ? await readJson(request, maxBodyBytes) : undefined
  return handler({ query: url.searchParams, body })
}

function readJson(request: http.IncomingMessage, maxBodyBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > maxBodyBytes) {
      request.resume()
      reject(new DhtError('PAYLOAD_TOO_LARGE', `body is larger than ${maxBodyBytes} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        request.removeAllListeners('data')
        request.resume()
        reject(new DhtError('PAYLOAD_TOO_LARGE', `body is larger than ${maxBodyBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    request.on('error', reject)
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim().length === 0) {
        resolve(undefined)
        return
      }
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(bad('body is not valid JSON'))
      }
    })
  })
}

function send(response: http.ServerResponse, status: number, body: unknown, after?: () => void): void {
  if (response.headersSent) return
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  response.end(text, after)
}
