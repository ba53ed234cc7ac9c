// The JSON HTTP layer under both servers (src/node/server/json-server.ts): routing, the body limit, the secret
// on write routes, errors as { error, code }, and wrappers around dispatch that see every request.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { signRequest } from '../../src/node/auth/request-signing.js'
import { DhtError } from '../../src/node/errors.js'
import { createJsonServer, queryParam, type JsonServerOptions, type RouteTable, type Wrapper } from '../../src/node/server/json-server.js'
import { asObject, asString } from '../../src/node/wire.js'

const SECRET = 'a-cluster-secret-of-some-length'

const routes: RouteTable = {
  '/echo': { GET: { handler: async ({ query }) => ({ body: { said: queryParam(query, 'say') } }) } },
  '/value': {
    POST: { write: true, handler: async ({ body }) => ({ status: 201, body: { stored: asString(asObject(body, 'body').value, 'value') } }) },
  },
  '/broken': { GET: { handler: async () => Promise.reject(new Error('a bug')) } },
  '/foreign': { GET: { handler: async () => Promise.reject(Object.assign(new Error('no ring'), { code: 'NO_RING' })) } },
  '/file': { GET: { handler: async () => ({ body: Buffer.from('<p>hi</p>'), headers: { 'content-type': 'text/html' } }) } },
}

async function serve(t: TestContext, options: Partial<JsonServerOptions> = {}): Promise<string> {
  const server = createJsonServer({ routes, maxBodyBytes: 1024, requestTimeoutMs: 5000, secret: SECRET, ...options })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function call(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body }) })
  const text = await response.text()
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers }
}

/** The headers that sign this request with the secret. */
const signed = (method: string, path: string, body?: string): Record<string, string> => signRequest(SECRET, { method, target: path, body })

test('routes, methods, the secret, the body limit: every refusal is a status and { error, code }', async (t) => {
  const log: string[] = []
  const base = await serve(t, { log: (line) => log.push(line) })
  assert.deepEqual((await call(base, 'GET', '/echo?say=hi')).json, { said: 'hi' })
  const refusals: Array<[string, string, string | undefined, Record<string, string>, number, string]> = [
    ['GET', '/nowhere', undefined, {}, 404, 'UNKNOWN_ROUTE'],
    ['GET', '/echo', undefined, {}, 400, 'BAD_REQUEST'],
    ['DELETE', '/echo', undefined, {}, 405, 'METHOD_NOT_ALLOWED'],
    ['POST', '/value', '{"value":"v"}', {}, 401, 'UNAUTHORIZED'],
    ['POST', '/value', '{"value":"v"}', { authorization: `Bearer ${SECRET}` }, 401, 'UNAUTHORIZED'],
    ['POST', '/value', '{"value":"v"}', signed('POST', '/value', '{"value":"w"}'), 401, 'UNAUTHORIZED'],
    ['POST', '/value', '{"value":', signed('POST', '/value', '{"value":'), 400, 'BAD_REQUEST'],
    ['POST', '/value', '{"value":7}', signed('POST', '/value', '{"value":7}'), 400, 'BAD_REQUEST'],
    ['POST', '/value', JSON.stringify({ value: 'v'.repeat(2000) }), signed('POST', '/value', JSON.stringify({ value: 'v'.repeat(2000) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['GET', '/broken', undefined, {}, 500, 'INTERNAL'],
    ['GET', '/constructor', undefined, {}, 404, 'UNKNOWN_ROUTE'],
  ]
  for (const [method, path, body, headers, status, code] of refusals) {
    const reply = await call(base, method, path, body, headers)
    assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.json)}`)
    assert.equal(reply.json.code, code, `${method} ${path}`)
    assert.equal(typeof reply.json.error, 'string')
  }
  assert.equal((await call(base, 'DELETE', '/echo')).headers.get('allow'), 'GET', '405 names the allowed methods')
  const stored = await call(base, 'POST', '/value', '{"value":"v"}', signed('POST', '/value', '{"value":"v"}'))
  assert.equal(stored.status, 201)
  assert.deepEqual(stored.json, { stored: 'v' })
  assert.deepEqual(log, ['GET /broken -> 500 a bug'], 'only server-side failures are logged')
  const file = await fetch(base + '/file')
  assert.equal(file.headers.get('content-type'), 'text/html')
  assert.equal(await file.text(), '<p>hi</p>', 'bytes are sent as they are')
})

test('another layer’s errors are translated; the rest are 500 INTERNAL', async (t) => {
  const base = await serve(t, { translateError: (error) => ((error as { code?: unknown }).code === 'NO_RING' ? new DhtError('UNAVAILABLE', (error as Error).message) : undefined) })
  const foreign = await call(base, 'GET', '/foreign')
  assert.equal(foreign.status, 503)
  assert.deepEqual(foreign.json, { error: 'no ring', code: 'UNAVAILABLE' })
  assert.equal((await call(base, 'GET', '/broken')).json.code, 'INTERNAL')
})

test('wrappers see every request with its status and duration, and may refuse one', async (t) => {
  const seen: Array<{ method: string; path: string; query: string; status: number; ms: number; traced: boolean }> = []
  // What the next issue's tracing needs: method, path, query, headers, status, duration, without touching a handler.
  const trace: Wrapper = (next) => async (request) => {
    const started = performance.now()
    const reply = await next(request)
    seen.push({ method: request.method, path: request.path, query: request.query.toString(), status: reply.status ?? 200, ms: performance.now() - started, traced: request.headers['x-trace'] === '1' })
    return reply
  }
  // And fault injection: refuse before the route is even looked up.
  const faults: Wrapper = (next) => async (request) => {
    if (request.query.get('fail') === '1') throw new DhtError('PEER_UNREACHABLE', 'injected')
    return next(request)
  }
  const base = await serve(t, { wrappers: [trace, faults] })
  await call(base, 'GET', '/echo?say=x', undefined, { 'x-trace': '1' })
  await call(base, 'GET', '/nowhere')
  const injected = await call(base, 'GET', '/echo?say=x&fail=1')
  assert.equal(injected.status, 502)
  assert.deepEqual(injected.json, { error: 'injected', code: 'PEER_UNREACHABLE' })
  await call(base, 'POST', '/value', '{"value":"v"}')
  assert.deepEqual(
    seen.map(({ method, path, query, status, traced }) => ({ method, path, query, status, traced })),
    [
      { method: 'GET', path: '/echo', query: 'say=x', status: 200, traced: true },
      { method: 'GET', path: '/nowhere', query: '', status: 404, traced: false },
      { method: 'GET', path: '/echo', query: 'say=x&fail=1', status: 502, traced: false },
      { method: 'POST', path: '/value', query: '', status: 401, traced: false },
    ],
  )
  assert.ok(seen.every((s) => s.ms >= 0))
})

test('a signed write is handled once: a replay, a changed body or a changed query is refused before its handler runs', async (t) => {
  let handled = 0
  const counting: RouteTable = { '/value': { POST: { write: true, handler: async () => ({ status: 201, body: { handled: ++handled } }) } } }
  const base = await serve(t, { routes: counting })
  const headers = signed('POST', '/value?copies=3', '{"value":"v"}')
  assert.equal((await call(base, 'POST', '/value?copies=3', '{"value":"v"}', headers)).status, 201)
  const replayed = await call(base, 'POST', '/value?copies=3', '{"value":"v"}', headers)
  assert.deepEqual([replayed.status, replayed.json.code], [401, 'UNAUTHORIZED'])
  assert.match(String(replayed.json.error), /replayed nonce/)
  const fresh = signed('POST', '/value?copies=3', '{"value":"v"}')
  const changed = await call(base, 'POST', '/value?copies=3', '{"value":"changed"}', fresh)
  assert.match(String(changed.json.error), /body changed/)
  const query = await call(base, 'POST', '/value?copies=1', '{"value":"v"}', signed('POST', '/value?copies=3', '{"value":"v"}'))
  assert.match(String(query.json.error), /signature does not match/)
  const old = await call(base, 'POST', '/value', '{}', signRequest(SECRET, { method: 'POST', target: '/value', body: '{}' }, { now: Date.now() - 31_000 }))
  assert.match(String(old.json.error), /older than 30 s/)
  assert.equal(handled, 1, 'only the first request reached its handler')
})

test('AUTH=bearer: the bearer token is accepted as well as a signature', async (t) => {
  const base = await serve(t, { auth: 'bearer' })
  assert.equal((await call(base, 'POST', '/value', '{"value":"v"}', { authorization: `Bearer ${SECRET}` })).status, 201)
  assert.equal((await call(base, 'POST', '/value', '{"value":"v"}', signed('POST', '/value', '{"value":"v"}'))).status, 201)
  assert.equal((await call(base, 'POST', '/value', '{"value":"v"}', { authorization: `Bearer ${SECRET}x` })).status, 401)
})
