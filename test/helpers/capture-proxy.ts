// An eavesdropper for tests of signed requests: a proxy that passes a tool's requests on to a node and
// keeps an exact copy of each (method, target, headers, body), and a sender that plays a copy again, to
// the same node or another, from wherever it runs (another network namespace: another host).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedRequest {
  method: string
  /** The request target as sent: path and query. */
  url: string
  headers: Record<string, string>
  /** The body's bytes, base64. */
  body: string
}

export interface CaptureProxy {
  address: { host: string; port: number }
  captured: CapturedRequest[]
  close(): Promise<void>
}

/** Headers that belong to one connection, not to the request: not passed on and not replayed. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host'])

function requestHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) out[name] = value
  return out
}

/**
 * Listens on `host` (loopback by default) and passes every request on to `target`, keeping a copy;
 * `hold`: keeps the copy and passes nothing on (the sender sees 502), as one in the middle would.
 */
export async function startCaptureProxy(target: { host: string; port: number }, options: { host?: string; hold?: boolean } = {}): Promise<CaptureProxy> {
  const host = options.host ?? '127.0.0.1'
  const captured: CapturedRequest[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const copy: CapturedRequest = { method: request.method ?? 'GET', url: request.url ?? '/', headers: requestHeaders(request.headers), body: Buffer.concat(chunks).toString('base64') }
      captured.push(copy)
      const passed = options.hold ? Promise.resolve({ status: 502, text: JSON.stringify({ error: 'held by the test', code: 'PEER_UNREACHABLE' }) }) : resend(target, copy)
      passed.then(
        (reply) => {
          response.writeHead(reply.status, { 'content-type': 'application/json' })
          response.end(reply.text)
        },
        (error: Error) => {
          response.writeHead(502, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ error: error.message, code: 'PEER_UNREACHABLE' }))
        },
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return {
    address: { host, port: (server.address() as AddressInfo).port },
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Sends a captured request as it was (or with another body), on a fresh connection. */
export function resend(to: { host: string; port: number }, copy: CapturedRequest, change: { body?: string } = {}): Promise<{ status: number; text: string }> {
  const body = change.body === undefined ? Buffer.from(copy.body, 'base64') : Buffer.from(change.body)
  return new Promise((resolve, reject) => {
    const headers = { ...copy.headers, ...(body.length > 0 ? { 'content-length': String(body.length) } : {}) }
    const request = http.request({ host: to.host, port: to.port, method: copy.method, path: copy.url, headers, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    request.setTimeout(10_000, () => request.destroy(new Error(`${copy.method} ${copy.url}: no answer`)))
    request.on('error', reject)
    request.end(body)
  })
}
