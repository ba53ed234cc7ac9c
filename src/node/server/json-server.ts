// The JSON HTTP layer both servers stand on (a node's API and make web): a route table, the JSON body
// read with a byte limit, the cluster secret on write routes (a signed request, or on AUTH=bearer rings
// the bearer token too), and every failure as a status with a body { error, code }. Dispatch is one
// function, so cross-cutting wrappers (tracing, fault injection) see every request and its reply
// without touching a handler.
import http from 'node:http'
import net from 'node:net'
import { RequestVerifier, type AuthMode, type HeaderProof } from '../auth/request-signing.js'
import { DhtError, errorMessage } from '../errors.js'
import type { CallScope } from '../protocol/types.js'
import { bad, type Json } from '../wire.js'

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'

/** What a handler gets: the request with its JSON body read (undefined when there was none). */
export interface ParsedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  scope?: CallScope
  body: unknown
}

export interface Reply {
  status?: number
  /** Sent as JSON, or as it is when it is bytes (a static file; say its content-type in headers). */
  body: Json | Buffer
  headers?: Record<string, string>
  /** Runs once the reply has been sent (LEAVE shuts the process down then). */
  after?: () => void
}

export type Handler = (request: ParsedRequest) => Promise<Reply>

export interface Route {
  handler: Handler
  /** Changes state, so the request must prove it holds the cluster secret (signed, see auth/request-signing.ts). */
  write?: boolean
}

/** path → method → route. */
export type RouteTable = Record<string, Partial<Record<Method, Route>>>

/** What dispatch and its wrappers see: the request before its body is read. */
export interface IncomingRequest {
  method: string
  path: string
  query: URLSearchParams
  /** The request target as sent (path and query, not decoded): what a signature covers. Default: path and query. */
  target?: string
  headers: http.IncomingHttpHeaders
  /** On whose behalf the request is handled, once a wrapper (tracing) has said so; the handler hands it on. */
  scope?: CallScope
  /**
   * Reads the JSON body, at most the server's limit; the core calls it only once a route accepted the
   * request. `check` sees the body's bytes before they are parsed (a signed request's digest).
   */
  readBody(check?: (bytes: Buffer) => void): Promise<unknown>
}

/** Never rejects: a failure comes back as its error reply, so every wrapper sees a status. */
export type Dispatch = (request: IncomingRequest) => Promise<Reply>
/** Adds one behaviour around dispatch, e.g. `(next) => async (request) => { const reply = await next(request); … return reply }`. A wrapper may throw to refuse. */
export type Wrapper = (next: Dispatch) => Dispatch

export interface JsonServerOptions {
  /** Looked up on every request, so a table filled in later (once a node knows its id) is seen. */
  routes: RouteTable
  /** Outermost first. */
  wrappers?: readonly Wrapper[]
  maxBodyBytes: number
  /** Slow clients are cut off after this long. */
  requestTimeoutMs: number
  headersTimeoutMs?: number
  maxConnections?: number
  /** The cluster secret write routes require; without one every route is open. */
  secret?: string | undefined
  /** hmac (default): writes must be signed; bearer: `authorization: Bearer <secret>` is accepted too. */
  auth?: AuthMode
  /** The clock signatures are checked against (tests move it). */
  now?: () => number
  /** Sent with every reply. */
  headers?: Record<string, string>
  /** Turns another layer's error into a DhtError (make web: the tools' errors); anything else is 500 INTERNAL. */
  translateError?: (error: unknown) => DhtError | undefined
  /** Where server-side failures (5xx) are reported. */
  log?: (line: string) => void
}

const BASE_URL = 'http://server'
/** After the last answer of a drain, how long connections stay open so clients read it before they close. */
const DRAIN_LINGER_MS = 100
const METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']
const MALFORMED_HTTP = 'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"malformed HTTP request","code":"BAD_REQUEST"}'

export interface JsonServer extends http.Server {
  /**
   * Stops taking new connections, answers the requests already in (telling their clients to close the
   * connection afterwards), and resolves once they are done, or after `graceMs` at the latest. So an
   * orderly exit never resets a connection in the middle of an answer.
   */
  drain(graceMs: number): Promise<void>
}

export function createJsonServer(options: JsonServerOptions): JsonServer {
  const requestTimeout = options.requestTimeoutMs
  const headersTimeout = Math.min(options.headersTimeoutMs ?? requestTimeout, requestTimeout)
  const dispatch = compose(options.wrappers ?? [], routeDispatch(options), options)
  let inFlight = 0
  let draining = false
  let drained: (() => void) | undefined
  const server = http.createServer({ requestTimeout, headersTimeout, keepAliveTimeout: 60_000 }, (request, response) => {
    inFlight++
    response.once('close', () => {
      inFlight--
      if (draining && inFlight === 0) drained?.()
    })
    // While draining, every answer asks its client not to reuse the connection.
    if (draining) response.shouldKeepAlive = false
    const incoming = incomingOf(request, options.maxBodyBytes)
    dispatch(incoming)
      .then((reply) => {
        // A body nobody read is drained, so the connection stays usable for the next request.
        if (!incoming.bodyRead) request.resume()
        send(response, request.method === 'HEAD', reply, options.headers)
      })
      .catch((error: unknown) => {
        request.resume()
        send(response, false, errorReply(error, incoming, options), options.headers)
      })
  }) as JsonServer
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(MALFORMED_HTTP)
    else socket.destroy()
  })
  server.drain = (graceMs) =>
    new Promise<void>((resolve) => {
      draining = true
      let finished = false
      const finish = () => {
        if (finished) return
        finished = true
        clearTimeout(deadline)
        server.closeAllConnections()
        resolve()
      }
      // Once nothing is in flight, a moment for answers on their way to be read, then every connection goes.
      const quiet = () => setTimeout(finish, DRAIN_LINGER_MS)
      const deadline = setTimeout(finish, graceMs)
      drained = quiet
      // No new connections; but not http.Server's close(), which also drops idle kept-alive connections at
      // once, resetting a request a client is sending on one just then. Those get an answer instead.
      net.Server.prototype.close.call(server)
      if (inFlight === 0) quiet()
    })
  return server
}

/** A required query parameter, or 400 BAD_REQUEST naming it. */
export function queryParam(query: URLSearchParams, name: string): string {
  const value = query.get(name)
  if (value === null) throw bad(`query parameter ${name} is required`)
  return value
}

/** The route table's own dispatch: route, method, secret, body, handler; failures become error replies. */
function routeDispatch(options: JsonServerOptions): Dispatch {
  const verifier = options.secret ? new RequestVerifier(options.secret, { acceptBearer: options.auth === 'bearer', ...(options.now ? { now: options.now } : {}) }) : undefined
  return async (request) => {
    if (!URL.canParse(request.path, BASE_URL)) throw bad('malformed URL')
    const routes = Object.hasOwn(options.routes, request.path) ? options.routes[request.path] : undefined
    if (!routes) throw new DhtError('UNKNOWN_ROUTE', `no route ${request.path}`)
    const method = request.method
    const route = METHODS.includes(method) && Object.hasOwn(routes, method) ? routes[method as Method] : undefined
    if (!route) throw new MethodNotAllowed(method, request.path, Object.keys(routes))
    // The headers are checked before the body is read, the body against the digest they signed.
    const proof: HeaderProof | undefined = route.write && verifier ? verifier.checkHeaders(method, request.target ?? `${request.path}${query(request)}`, request.headers) : undefined
    const checkBody = proof && verifier ? (bytes: Buffer | undefined) => verifier.checkBody(proof, bytes) : undefined
    const readsBody = method === 'POST' || method === 'PUT'
    if (!readsBody) checkBody?.(undefined)
    const body = readsBody ? await request.readBody(checkBody) : undefined
    return route.handler({ method, path: request.path, query: request.query, headers: request.headers, ...(request.scope ? { scope: request.scope } : {}), body })
  }
}

/** Each wrapper gets a dispatch that never rejects, and whatever a wrapper throws becomes a reply too. */
function compose(wrappers: readonly Wrapper[], core: Dispatch, options: JsonServerOptions): Dispatch {
  const safe =
    (dispatch: Dispatch): Dispatch =>
    async (request) => {
      try {
        return await dispatch(request)
      } catch (error) {
        return errorReply(error, request, options)
      }
    }
  return wrappers.reduceRight((next, wrap) => safe(wrap(next)), safe(core))
}

class MethodNotAllowed extends DhtError {
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed.join(', ')}`)
  }
}

function errorReply(error: unknown, request: Pick<IncomingRequest, 'method' | 'path' | 'query'>, options: JsonServerOptions): Reply {
  const known = error instanceof DhtError ? error : options.translateError?.(error)
  const status = known?.status ?? 500
  if (status >= 500) options.log?.(`${request.method} ${request.path}${query(request)} -> ${status} ${errorMessage(known ?? error)}`)
  return {
    status,
    body: { ...(known instanceof DhtError ? (known.details as Record<string, Json> | undefined) : undefined), error: errorMessage(known ?? error), code: known?.code ?? 'INTERNAL' },
    ...(error instanceof MethodNotAllowed ? { headers: { allow: error.allowed.join(', ') } } : {}),
  }
}

function query(request: Pick<IncomingRequest, 'query'>): string {
  const text = request.query.toString()
  return text ? `?${text}` : ''
}

function incomingOf(request: http.IncomingMessage, maxBodyBytes: number): IncomingRequest & { bodyRead: boolean } {
  let url: URL | undefined
  try {
    url = new URL(request.url ?? '/', BASE_URL)
  } catch {
    // The raw target stays the path, which the core refuses as a malformed URL.
  }
  const incoming = {
    method: request.method ?? '',
    path: url?.pathname ?? request.url ?? '',
    query: url?.searchParams ?? new URLSearchParams(),
    target: request.url ?? '',
    headers: request.headers,
    bodyRead: false,
    readBody: (check?: (bytes: Buffer) => void) => {
      incoming.bodyRead = true
      return readJson(request, maxBodyBytes, check)
    },
  }
  return incoming
}

function readJson(request: http.IncomingMessage, maxBodyBytes: number, check?: (bytes: Buffer) => void): Promise<unknown> {
  const tooLarge = () => new DhtError('PAYLOAD_TOO_LARGE', `body is larger than ${maxBodyBytes} bytes`)
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) {
      request.resume()
      reject(tooLarge())
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        // Stop keeping it, but drain the rest so the client reads our answer.
        request.removeAllListeners('data')
        request.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    request.on('error', reject)
    request.on('end', () => {
      const bytes = Buffer.concat(chunks)
      try {
        check?.(bytes)
      } catch (error) {
        reject(error)
        return
      }
      const text = bytes.toString('utf8')
      if (text.trim().length === 0) return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(bad('body is not valid JSON'))
      }
    })
  })
}

function send(response: http.ServerResponse, headOnly: boolean, reply: Reply, common: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy()
    return
  }
  const raw = Buffer.isBuffer(reply.body)
  const bytes = raw ? (reply.body as Buffer) : Buffer.from(JSON.stringify(reply.body))
  response.writeHead(reply.status ?? 200, {
    ...(raw ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    ...common,
    ...reply.headers,
    'content-length': bytes.length,
  })
  response.end(headOnly ? undefined : bytes, reply.after)
}
