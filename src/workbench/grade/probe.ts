// The grader's HTTP client. It never throws: every call comes back as an Exchange, the request and
// what was seen (a status and body, or why there was none), so a check can judge it and a failure can
// show it. One connection per call: a node the grader kills leaves no pooled socket behind.
import http from 'node:http'

export interface Address {
  host: string
  port: number
}

export interface Exchange {
  method: string
  /** The path and query, as sent. */
  path: string
  to: Address
  /** The body sent, as text (JSON or deliberately not). */
  sent?: string
  status?: number
  /** The body answered, as text. */
  text?: string
  /** The body parsed as JSON; undefined when it was not JSON (or empty). */
  json?: unknown
  /** Why there was no answer: refused, reset, no answer in time. */
  error?: string
  ms: number
}

export interface CallOptions {
  /** A body to send as JSON, or `raw` text sent as it is (hostile input). */
  body?: unknown
  raw?: string | Buffer
  /** Send the cluster secret (writes); false sends none, a string sends that one instead. */
  auth?: boolean | string
  headers?: Record<string, string>
  timeoutMs?: number
}

const SHOWN_CHARS = 300

export class Probe {
  readonly #secret: string
  readonly timeoutMs: number

  constructor(options: { secret: string; timeoutMs: number }) {
    this.#secret = options.secret
    this.timeoutMs = options.timeoutMs
  }

  call(to: Address, method: string, path: string, options: CallOptions = {}): Promise<Exchange> {
    const started = Date.now()
    const sent = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const headers: Record<string, string | number> = { accept: 'application/json', ...options.headers }
    const auth = options.auth === true ? this.#secret : typeof options.auth === 'string' ? options.auth : undefined
    if (auth !== undefined) headers.authorization = `Bearer ${auth}`
    if (sent !== undefined) {
      headers['content-type'] ??= 'application/json'
      headers['content-length'] = Buffer.byteLength(sent)
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    const shownSent = sent === undefined ? undefined : typeof sent === 'string' ? sent : `<${sent.length} bytes>`
    const base = { method, path, to: { host: to.host, port: to.port }, ...(shownSent === undefined ? {} : { sent: shownSent }) }
    return new Promise((resolve) => {
      let done = false
      const finish = (fields: Partial<Exchange>) => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve({ ...base, ...fields, ms: Date.now() - started })
      }
      const request = http.request({ host: to.host, port: to.port, method, path, headers, agent: false })
      const timer = setTimeout(() => {
        finish({ error: `no answer within ${timeoutMs} ms` })
        request.destroy()
      }, timeoutMs)
      let answered = false
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A node may answer a body it refuses (413) and close before it has read it all; our write then
        // fails while its answer is on its way: give that answer a moment before calling it no answer.
        const early = (error.code === 'EPIPE' || error.code === 'ECONNRESET') && sent !== undefined && Buffer.byteLength(sent) > LARGE_BODY_BYTES
        const fail = () => finish({ error: error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there: the node is not running)' : error.code === 'ECONNRESET' ? 'the connection was reset before an answer' : error.message })
        if (early && !answered) setTimeout(fail, 500)
        else fail()
      })
      request.on('response', (response) => {
        answered = true
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', (error) => finish({ status: response.statusCode ?? 0, error: error.message }))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          finish({ status: response.statusCode ?? 0, text, ...parsedJson(text) })
        })
      })
      // A large body goes in pieces, and stops once the node has answered (it may refuse it from its headers).
      if (sent !== undefined && Buffer.byteLength(sent) > LARGE_BODY_BYTES) void writeInPieces(request, Buffer.from(sent), () => answered)
      else request.end(sent)
    })
  }

  get(to: Address, path: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call(to, 'GET', path, options)
  }

  /** A write: the secret goes with it unless the options say otherwise. */
  send(to: Address, method: 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, options: CallOptions = {}): Promise<Exchange> {
    return this.call(to, method, path, { auth: true, ...(body === undefined ? {} : { body }), ...options })
  }
}

/** Bodies larger than this are sent in pieces (a node may refuse one before it has read it). */
const LARGE_BODY_BYTES = 1024 * 1024
/** How long a large body's headers wait alone for a refusal. */
const REFUSAL_WAIT_MS = 300

async function writeInPieces(request: http.ClientRequest, body: Buffer, answered: () => boolean): Promise<void> {
  // The headers first, and a moment for a node that refuses the body by its declared length to say so
  // before any of it is sent (else our write races its closing of the connection: EPIPE, no answer read).
  request.flushHeaders()
  for (let waited = 0; waited < REFUSAL_WAIT_MS && !answered(); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  for (let at = 0; at < body.length && !answered() && !request.destroyed; at += LARGE_BODY_BYTES) {
    if (!request.write(body.subarray(at, at + LARGE_BODY_BYTES))) await new Promise<void>((resolve) => { request.once('drain', resolve); request.once('close', resolve) })
  }
  if (!request.destroyed) request.end()
}

function parsedJson(text: string): { json?: unknown } {
  if (text.trim() === '') return {}
  try {
    return { json: JSON.parse(text) as unknown }
  } catch {
    return {}
  }
}

/** "PUT http://127.0.0.1:40123/successor {"id":…}": the request as a person would retype it. */
export function requestLine(exchange: Exchange): string {
  const body = exchange.sent === undefined ? '' : ` ${clip(exchange.sent)}`
  return `${exchange.method} http://${exchange.to.host}:${exchange.to.port}${exchange.path}${body}`
}

/** "200 {"node":…}" or "no answer: connection refused". */
export function answerLine(exchange: Exchange): string {
  if (exchange.status === undefined) return `no answer: ${exchange.error ?? 'unknown'}`
  const body = exchange.text === undefined || exchange.text === '' ? '(empty body)' : clip(exchange.text)
  return `${exchange.status} ${body}${exchange.error ? ` (then: ${exchange.error})` : ''}`
}

export function clip(text: string, chars = SHOWN_CHARS): string {
  const flat = text.replace(/\s*\n\s*/g, ' ')
  return flat.length > chars ? `${flat.slice(0, chars)}… (${text.length} chars)` : flat
}
