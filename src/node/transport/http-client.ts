// The one place that makes HTTP requests: keep-alive connections, a timeout on every call, and every
// failure mapped to a DhtError with a stable code (PEER_UNREACHABLE, PEER_TIMEOUT, or the peer's own).
import http from 'node:http'
import type { RequestSigner } from '../auth/request-signing.js'
import { DEFAULTS } from '../config.js'
import { DhtError, ErrorCodes, type ErrorCode } from '../errors.js'
import type { Json } from '../wire.js'

export interface Address {
  host: string
  port: number
}

export interface HttpClientOptions {
  timeoutMs?: number
  /** Connections kept per peer; enough for many requests in flight without a new handshake each. */
  maxSocketsPerPeer?: number
  /** Extra headers on every request. */
  headers?: Record<string, string>
  /** Signs each request (each attempt of it) with the cluster secret, once there is one. */
  sign?: RequestSigner
  /**
   * A peer closed a kept-alive connection of ours. Node's agent closes an idle one a second before the
   * server's keep-alive timeout says the server would, so a peer that closes one is exiting or has crashed.
   */
  onClosedByPeer?: (peer: Address) => void
}

export interface RequestOptions {
  timeoutMs?: number
  /** Headers for this request only (a tool's traceparent, a traced message's). */
  headers?: Readonly<Record<string, string>>
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])

export class HttpClient {
  readonly timeoutMs: number
  readonly #agent: http.Agent
  readonly #headers: Record<string, string>
  readonly #sign: RequestSigner | undefined
  readonly #onClosedByPeer: ((peer: Address) => void) | undefined
  /** Sockets whose end (the peer's FIN) is watched, each once. */
  readonly #watched = new WeakSet<object>()

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.requestTimeoutMs
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSocketsPerPeer ?? 64, keepAliveMsecs: 1000 })
    this.#headers = options.headers ?? {}
    this.#sign = options.sign
    this.#onClosedByPeer = options.onClosedByPeer
  }

  /** Sends one request and resolves with the parsed JSON reply, or rejects with a DhtError. */
  request(to: Address, method: string, path: string, body?: Json, options: RequestOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const where = `${method} http://${to.host}:${to.port}${path}`
    const headers: Record<string, string | number> = { ...this.#headers, ...options.headers, accept: 'application/json' }
    if (payload !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(payload)
    }
    return new Promise((resolveReply, rejectReply) => {
      // One deadline for the whole exchange: waiting for a pooled socket, connecting, and the reply.
      let settled = false
      let current: http.ClientRequest | undefined
      const deadline = setTimeout(() => {
        const timeout = new DhtError('PEER_TIMEOUT', `${where}: no answer within ${timeoutMs} ms`)
        reject(timeout)
        current?.destroy(timeout)
      }, timeoutMs)
      const resolve = (value: unknown) => {
        settled = true
        clearTimeout(deadline)
        resolveReply(value)
      }
      const reject = (error: DhtError) => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        rejectReply(error)
      }
      const send = (mayRetry: boolean) => {
        // Signed per attempt: a retry is a request of its own, with its own nonce.
        const signed = this.#sign ? { ...headers, ...this.#sign({ method, target: path, body: payload }) } : headers
        const request = http.request({ host: to.host, port: to.port, method, path, headers: signed, agent: this.#agent })
        current = request
        let answered = false
        const onClosed = this.#onClosedByPeer
        if (onClosed) {
          request.on('socket', (socket) => {
            if (this.#watched.has(socket)) return
            this.#watched.add(socket)
            socket.once('end', () => onClosed(to))
          })
        }
        request.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive connection the peer closed just as we reused it (an idle timeout, a node draining
          // before it exits): the request never got an answer, so it goes again on a new connection.
          if (mayRetry && !answered && !settled && request.reusedSocket && error.code === 'ECONNRESET') return send(false)
          if (error instanceof DhtError) reject(error)
          else if (error.code && UNREACHABLE.has(error.code)) reject(new DhtError('PEER_UNREACHABLE', `${where}: ${error.code}`))
          else reject(new DhtError('PEER_UNREACHABLE', `${where}: ${error.message}`))
        })
        request.on('response', (response) => {
          answered = true
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('error', (error) => reject(new DhtError('PEER_UNREACHABLE', `${where}: ${error.message}`)))
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown
            try {
              parsed = text.length > 0 ? JSON.parse(text) : null
            } catch {
              reject(new DhtError('PEER_ERROR', `${where}: reply is not JSON`))
              return
            }
            const status = response.statusCode ?? 0
            if (status >= 200 && status < 300) resolve(parsed)
            else reject(replyError(parsed, status, where))
          })
        })
        request.end(payload)
      }
      send(true)
    })
  }

  close(): void {
    this.#agent.destroy()
  }
}

/**
 * A peer's error reply keeps its code, except failures of the peer's own peers, which are not ours, and
 * a peer saying it has left the ring, which for us is a peer that is gone.
 */
function replyError(body: unknown, status: number, where: string): DhtError {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const message = typeof object.error === 'string' ? object.error : `HTTP ${status}`
  const code = typeof object.code === 'string' && object.code in ErrorCodes ? (object.code as ErrorCode) : 'PEER_ERROR'
  if (code === 'NODE_LEFT') return new DhtError('PEER_UNREACHABLE', `${where}: ${message}`)
  const passedOn = code === 'PEER_UNREACHABLE' || code === 'PEER_TIMEOUT' ? 'PEER_ERROR' : code
  // A MOVED reply's owner goes along, unchecked: its reader parses it. Other replies' extra fields do
  // not, so a node passing a peer's error on never passes on what the peer added to it.
  if (code !== 'MOVED') return new DhtError(passedOn, message)
  const { error: _message, code: _code, ...details } = object
  return new DhtError(passedOn, message, details)
}
