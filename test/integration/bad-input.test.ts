// Malformed requests against a live 3-node ring: each gets a 4xx and a JSON { error, code } body,
// and none of them changes the ring's pointers or content.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { signRequest } from '../../src/node/auth/request-signing.js'
import { IdSpace } from '../../src/node/ring.js'
import { startTestnet } from '../helpers/testnet.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { makeValues, ringPicture, storeAll } from './_support.js'

interface RawReply {
  status: number
  text: string
}

/** Keep-alive, so a node that refuses a body early can drain the rest instead of resetting the connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
/** The ring's secret: requests are signed with it unless a test says otherwise. */
let ringSecret: string | undefined

/**
 * One request with nothing in between: the body is sent exactly as given. `headersOnly` declares the
 * body's length but sends none of it until the node has answered (a node must refuse from the header).
 * `chunked` sends the body in pieces without a declared length, and stops once the node has answered.
 */
function raw(to: ProcessRecord, method: string, path: string, body?: string | Buffer, options: { chunked?: boolean; headersOnly?: boolean; authorization?: string | null } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    // Signed with the cluster secret by default, so what is refused is the input, not the caller;
    // `authorization`: that header instead (a bearer token), or null for none.
    const headers: Record<string, string | number> =
      options.authorization === undefined ? (ringSecret ? signRequest(ringSecret, { method, target: path, body }) : {}) : options.authorization ? { authorization: options.authorization } : {}
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      if (options.chunked) headers['transfer-encoding'] = 'chunked'
      else headers['content-length'] = Buffer.byteLength(body)
    }
    const request = http.request({ host: to.host, port: to.port, method, path, agent, headers })
    let answered = false
    request.setTimeout(10_000, () => request.destroy(new Error(`${method} ${path}: no answer`)))
    // Once the answer is in, a connection the node closes under the rest of our body is no failure.
    request.on('error', (error) => (answered ? undefined : reject(error)))
    request.on('response', (response) => {
      answered = true
      const chunks: Buffer[] = []
      response.on('data', (c: Buffer) => chunks.push(c))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
        if (options.headersOnly) request.destroy()
      })
      response.on('error', reject)
    })
    if (body === undefined) {
      request.end()
    } else if (options.headersOnly) {
      request.flushHeaders()
    } else if (options.chunked) {
      // Several chunks, so the node has to count what it reads instead of trusting a header.
      const bytes = Buffer.from(body)
      const size = 256 * 1024
      let at = 0
      const pump = (): void => {
        while (!answered && at < bytes.length) {
          const piece = bytes.subarray(at, (at += size))
          if (!request.write(piece)) return void request.once('drain', pump)
        }
        request.end()
      }
      pump()
    } else {
      request.end(body)
    }
  })
}

/** Bytes written straight to the socket, for requests http.request will not produce. */
function rawSocket(to: ProcessRecord, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(to.port, to.host)
    let text = ''
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')))
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')))
    socket.on('end', () => resolve(text))
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
    socket.write(bytes)
  })
}

function assertErrorReply(reply: RawReply, status: number | 'client', code: string | undefined, what: string): void {
  if (status === 'client') assert.ok(reply.status >= 400 && reply.status < 500, `${what}: a 4xx status, got ${reply.status} ${reply.text}`)
  else assert.equal(reply.status, status, `${what}: status (body ${reply.text})`)
  let body: unknown
  try {
    body = JSON.parse(reply.text)
  } catch {
    assert.fail(`${what}: the body is JSON, got ${JSON.stringify(reply.text)}`)
  }
  assert.ok(typeof body === 'object' && body !== null, `${what}: a JSON object`)
  const { error, code: gotCode } = body as { error?: unknown; code?: unknown }
  assert.equal(typeof error, 'string', `${what}: error is a string`)
  assert.ok((error as string).length > 0, `${what}: error is not empty`)
  assert.equal(typeof gotCode, 'string', `${what}: code is a string`)
  if (code !== undefined) assert.equal(gotCode, code, `${what}: code`)
}

test('malformed requests get 4xx + { error, code } and leave the ring untouched', async (t) => {
  const net3 = await startTestnet(t, { nodes: 3, replicas: 3 })
  await storeAll(net3, makeValues('bad input', 30))
  assert.deepEqual(await net3.settle(), [])
  const before = ringPicture(await net3.snapshot())

  const secret = net3.state.readSecret()
  ringSecret = secret
  const [a, b, c] = net3.processes() as [ProcessRecord, ProcessRecord, ProcessRecord]
  const space = new IdSpace(net3.settings.bits)
  const tooLongId = 'a'.repeat(space.hexLength + 1)
  const notHex = 'xyz-not-hex'
  // Ids on the wire have exactly the space's width: the 8 digits the tools print are refused.
  const zeroId = '0'.repeat(space.hexLength)
  const shortId = a.id.slice(0, 8)
  // Just before c: owned by c's predecessor, so c is not its owner.
  const outsideC = space.toHex((space.parseHex(c.id)! - 1n + space.size) % space.size)
  const wrongId = space.toHex((space.nodeId(b.host, b.port) + 1n) % space.size)

  const cases: Array<{ what: string; to: ProcessRecord; method: string; path: string; body?: string; status: number | 'client'; code?: string }> = [
    // invalid JSON
    { what: 'POST /store invalid JSON', to: a, method: 'POST', path: '/store', body: '{"value": "x"', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join invalid JSON', to: a, method: 'POST', path: '/join', body: '{host: 127.0.0.1}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert invalid JSON', to: b, method: 'POST', path: '/insert', body: 'entries=[]', status: 400, code: 'BAD_REQUEST' },
    { what: 'PUT /successor invalid JSON', to: c, method: 'PUT', path: '/successor', body: '{"id":', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /notify invalid JSON', to: c, method: 'POST', path: '/notify', body: 'null null', status: 400, code: 'BAD_REQUEST' },
    // wrong types
    { what: 'POST /store {value: 42}', to: a, method: 'POST', path: '/store', body: '{"value":42}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store {value: null}', to: a, method: 'POST', path: '/store', body: '{"value":null}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store {value: ["x"]}', to: a, method: 'POST', path: '/store', body: '{"value":["x"]}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store a JSON string', to: a, method: 'POST', path: '/store', body: '"hello"', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store a JSON array', to: a, method: 'POST', path: '/store', body: '[{"value":"hello"}]', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join {host: 5, port: "x"}', to: b, method: 'POST', path: '/join', body: '{"host":5,"port":"x"}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join port out of range', to: b, method: 'POST', path: '/join', body: '{"host":"127.0.0.1","port":70000}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join bad host', to: b, method: 'POST', path: '/join', body: '{"host":"bad host/../","port":4000}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert entries not an array', to: c, method: 'POST', path: '/insert', body: '{"entries":"x","role":"store"}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert entry key not hex', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: notHex, value: 'v' }], role: 'replica' }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert entry value a number', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: zeroId, value: 7 }], role: 'replica' }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert unknown role', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: zeroId, value: 'v' }], role: 'owner' }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert copies 0', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: zeroId, value: 'v' }], role: 'replica', copies: 0 }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert copies not an integer', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: zeroId, value: 'v' }], role: 'replica', copies: 1.5 }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store __proto__ smuggling', to: a, method: 'POST', path: '/store', body: '{"__proto__":{"value":"x"}}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store deeply nested JSON', to: a, method: 'POST', path: '/store', body: '['.repeat(100_000) + ']'.repeat(100_000), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert role store outside the range', to: c, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: outsideC, value: 'stray' }], role: 'store' }), status: 409, code: 'NOT_OWNER' },
    { what: 'DELETE /delete copies not a number', to: c, method: 'DELETE', path: `/delete?key=${zeroId}&copies=many`, status: 400, code: 'BAD_REQUEST' },
    // missing fields
    { what: 'POST /store {}', to: a, method: 'POST', path: '/store', body: '{}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /store no body', to: a, method: 'POST', path: '/store', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join {}', to: a, method: 'POST', path: '/join', body: '{}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join no port', to: a, method: 'POST', path: '/join', body: '{"host":"127.0.0.1"}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert {}', to: b, method: 'POST', path: '/insert', body: '{}', status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /insert no role', to: b, method: 'POST', path: '/insert', body: JSON.stringify({ entries: [{ key: zeroId, value: 'v' }] }), status: 400, code: 'BAD_REQUEST' },
    { what: 'PUT /successor {}', to: b, method: 'PUT', path: '/successor', body: '{}', status: 400, code: 'BAD_REQUEST' },
    { what: 'PUT /predecessor no body', to: b, method: 'PUT', path: '/predecessor', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /lookup without value', to: a, method: 'GET', path: '/lookup', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode without id', to: a, method: 'GET', path: '/findnode', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /get without key', to: a, method: 'GET', path: '/get', status: 400, code: 'BAD_REQUEST' },
    { what: 'DELETE /store without value', to: a, method: 'DELETE', path: '/store', status: 400, code: 'BAD_REQUEST' },
    // empty values
    { what: 'POST /store {value: ""}', to: a, method: 'POST', path: '/store', body: '{"value":""}', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /lookup?value=', to: b, method: 'GET', path: '/lookup?value=', status: 400, code: 'BAD_REQUEST' },
    { what: 'DELETE /store?value=', to: b, method: 'DELETE', path: '/store?value=', status: 400, code: 'BAD_REQUEST' },
    // ids
    { what: 'GET /findnode non-hex id', to: a, method: 'GET', path: `/findnode?id=${notHex}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode too-long id', to: a, method: 'GET', path: `/findnode?id=${tooLongId}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode short id (8 digits, as the tools print it)', to: a, method: 'GET', path: `/findnode?id=${shortId}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /get short key', to: b, method: 'GET', path: `/get?key=${shortId}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode empty id', to: a, method: 'GET', path: '/findnode?id=', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode negative id', to: a, method: 'GET', path: '/findnode?id=-1', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /findnode unknown mode', to: a, method: 'GET', path: '/findnode?id=${zeroId}&mode=teleport', status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /get non-hex key', to: b, method: 'GET', path: `/get?key=${notHex}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /get too-long key', to: b, method: 'GET', path: `/get?key=${tooLongId}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /route non-hex key', to: c, method: 'GET', path: `/route?key=${notHex}`, status: 400, code: 'BAD_REQUEST' },
    { what: 'GET /range bad bounds', to: c, method: 'GET', path: `/range?from=${notHex}&to=00`, status: 400, code: 'BAD_REQUEST' },
    { what: 'DELETE /delete too-long key', to: c, method: 'DELETE', path: `/delete?key=${tooLongId}`, status: 400, code: 'BAD_REQUEST' },
    // routes and methods
    { what: 'GET /no-such-route', to: a, method: 'GET', path: '/no-such-route', status: 404, code: 'UNKNOWN_ROUTE' },
    { what: 'POST /', to: a, method: 'POST', path: '/', body: '{}', status: 404, code: 'UNKNOWN_ROUTE' },
    { what: 'DELETE /nodeinfo', to: a, method: 'DELETE', path: '/nodeinfo', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { what: 'POST /lookup', to: b, method: 'POST', path: '/lookup', body: '{"value":"x"}', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { what: 'GET /store', to: b, method: 'GET', path: '/store', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { what: 'PATCH /successor', to: c, method: 'PATCH', path: '/successor', body: '{}', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { what: 'OPTIONS /nodeinfo', to: c, method: 'OPTIONS', path: '/nodeinfo', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { what: 'GET /leave', to: c, method: 'GET', path: '/leave', status: 405, code: 'METHOD_NOT_ALLOWED' },
    // impersonation and clashes
    { what: 'PUT /successor id does not match address', to: a, method: 'PUT', path: '/successor', body: JSON.stringify({ id: wrongId, host: b.host, port: b.port }), status: 400, code: 'BAD_REQUEST' },
    { what: 'PUT /predecessor id does not match address', to: a, method: 'PUT', path: '/predecessor', body: JSON.stringify({ id: wrongId, host: b.host, port: b.port }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /notify id does not match address', to: a, method: 'POST', path: '/notify', body: JSON.stringify({ id: wrongId, host: b.host, port: b.port }), status: 400, code: 'BAD_REQUEST' },
    { what: 'POST /join of an existing node (another one)', to: a, method: 'POST', path: '/join', body: JSON.stringify({ id: b.id, host: b.host, port: b.port }), status: 409, code: 'ID_TAKEN' },
    { what: 'POST /join of an existing node (without id)', to: c, method: 'POST', path: '/join', body: JSON.stringify({ host: a.host, port: a.port }), status: 409, code: 'ID_TAKEN' },
    { what: 'POST /join of the node asked', to: b, method: 'POST', path: '/join', body: JSON.stringify({ id: b.id, host: b.host, port: b.port }), status: 409, code: 'ID_TAKEN' },
  ]

  for (const k of cases) assertErrorReply(await raw(k.to, k.method, k.path, k.body), k.status, k.code, k.what)

  // Without a signature made with the cluster secret (when the ring has one), requests that change the
  // ring are refused before their body is even read; reads stay open. On an AUTH=hmac ring even the
  // right bearer token is refused: the secret itself must never travel.
  if (secret) {
    const valid = JSON.stringify({ value: 'stored without the secret' })
    for (const authorization of [null, 'Bearer wrong-secret-wrong-secret', `Bearer ${secret}x`, secret, `Bearer ${secret}`]) {
      assertErrorReply(await raw(a, 'POST', '/store', valid, { authorization }), 401, 'UNAUTHORIZED', `POST /store with authorization ${String(authorization).slice(0, 12)}`)
    }
    assertErrorReply(await raw(b, 'PUT', '/successor', JSON.stringify({ host: a.host, port: a.port }), { authorization: null }), 401, 'UNAUTHORIZED', 'PUT /successor without the secret')
    assertErrorReply(await raw(b, 'POST', '/join', '{"host":', { authorization: null }), 401, 'UNAUTHORIZED', 'POST /join invalid JSON without the secret')
    assertErrorReply(await raw(c, 'POST', '/leave', undefined, { authorization: null }), 401, 'UNAUTHORIZED', 'POST /leave without the secret')
    assertErrorReply(await raw(c, 'DELETE', `/delete?key=${c.id}`, undefined, { authorization: null }), 401, 'UNAUTHORIZED', 'DELETE /delete without the secret')
    const read = await raw(a, 'GET', '/nodeinfo', undefined, { authorization: null })
    assert.equal(read.status, 200, 'reads need no secret')
  }

  // Oversized bodies: declared too large, and too large without a declared length (chunked).
  const big = Buffer.alloc(8 * 1024 * 1024 + 1024, 'a')
  assertErrorReply(await raw(a, 'POST', '/store', big, { headersOnly: true }), 413, 'PAYLOAD_TOO_LARGE', 'POST /store declaring 8 MiB + 1 KiB')
  assertErrorReply(await raw(b, 'POST', '/insert', big, { chunked: true }), 413, 'PAYLOAD_TOO_LARGE', 'POST /insert 8 MiB + 1 KiB chunked')
  // A value over the 64 KiB limit in an otherwise valid body.
  const hugeValue = JSON.stringify({ value: 'v'.repeat(64 * 1024 + 1) })
  assertErrorReply(await raw(c, 'POST', '/store', hugeValue), 413, 'PAYLOAD_TOO_LARGE', 'POST /store value over 64 KiB')
  const hugeEntry = JSON.stringify({ entries: [{ key: zeroId, value: 'v'.repeat(64 * 1024 + 1) }], role: 'replica' })
  assertErrorReply(await raw(c, 'POST', '/insert', hugeEntry), 413, 'PAYLOAD_TOO_LARGE', 'POST /insert entry over 64 KiB')

  // Not even HTTP.
  const garbage = await rawSocket(a, 'THIS IS NOT HTTP\r\n\r\n')
  assert.match(garbage, /^HTTP\/1\.1 400/, `garbage on the socket gets a 400: ${JSON.stringify(garbage)}`)
  const garbageBody = garbage.slice(garbage.indexOf('\r\n\r\n') + 4)
  assertErrorReply({ status: 400, text: garbageBody }, 400, 'BAD_REQUEST', 'garbage on the socket')

  // Every node still answers, the ring is healthy and exactly as it was.
  for (const p of net3.processes()) {
    const info = await net3.client.nodeInfo(p)
    assert.equal(info.status, 'ready', `@${p.port} still ready`)
  }
  assert.deepEqual(await net3.settle(), [])
  assert.deepEqual(ringPicture(await net3.snapshot()), before, 'pointers and content unchanged by the bad requests')
  t.diagnostic(`${cases.length + 5} malformed requests refused${secret ? ', and 8 requests without the right cluster secret' : ' (the ring has no cluster secret)'}`)
  agent.destroy()
})
