// Signed requests (src/node/auth/request-signing.ts): a request signed with the secret passes once; a
// replay, a request older than the window or dated too far ahead, a changed body, method, path or query,
// and a wrong secret are each refused with UNAUTHORIZED and a message naming why. The nonce cache forgets
// what the window no longer needs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type http from 'node:http'
import { allRoutes } from '../../src/node/api/openapi.js'
import { NonceCache } from '../../src/node/auth/nonce-cache.js'
import { bodyDigest, RequestVerifier, requestSigner, SIGNATURE_HEADERS, signRequest, type HeaderProof } from '../../src/node/auth/request-signing.js'
import { DhtError } from '../../src/node/errors.js'

const SECRET = 'the-cluster-secret-0123456789abcdef'
/** Now, on a 5 s boundary (the nonce cache's buckets): signers that read the clock themselves are within the window. */
const T0 = Math.floor(Date.now() / 5000) * 5000

/** A verifier on a clock the test moves. */
function verifier(options: { acceptBearer?: boolean } = {}) {
  const clock = { now: T0 }
  return { clock, verifier: new RequestVerifier(SECRET, { acceptBearer: options.acceptBearer ?? false, now: () => clock.now }) }
}

function refusedWith(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof DhtError, String(error))
    assert.equal(error.code, 'UNAUTHORIZED')
    assert.equal(error.status, 401)
    assert.match(error.message, pattern)
    return true
  }
}

const body = JSON.stringify({ value: 'hello' })

test('a signed request passes once, with its body; the secret is nowhere in it', () => {
  const { verifier: v } = verifier()
  const headers = signRequest(SECRET, { method: 'POST', target: '/store', body }, { now: T0 })
  assert.ok(!JSON.stringify(headers).includes(SECRET), 'the secret never travels')
  assert.match(headers[SIGNATURE_HEADERS.signature]!, /^[0-9a-f]{64}$/)
  assert.match(headers[SIGNATURE_HEADERS.nonce]!, /^[0-9a-f]{32}$/)
  assert.equal(headers[SIGNATURE_HEADERS.digest], bodyDigest(body))
  const proof = v.checkHeaders('POST', '/store', headers)
  v.checkBody(proof, Buffer.from(body))
  assert.equal(v.remembered, 1)
  // Two signatures of the same request differ: each has its own nonce.
  assert.notEqual(signRequest(SECRET, { method: 'POST', target: '/store', body }, { now: T0 })[SIGNATURE_HEADERS.nonce], headers[SIGNATURE_HEADERS.nonce])
})

test('replayed, too old, too far ahead, body, method, path or query changed, wrong secret: each refused and said why', () => {
  const { clock, verifier: v } = verifier()
  const sign = (parts: { method?: string; target?: string; body?: string }, options: { now?: number; secret?: string } = {}) =>
    signRequest(options.secret ?? SECRET, { method: parts.method ?? 'POST', target: parts.target ?? '/store?copies=3', body: parts.body }, { now: options.now ?? clock.now })

  const replayed = sign({ body })
  v.checkBody(v.checkHeaders('POST', '/store?copies=3', replayed), Buffer.from(body))
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', replayed), refusedWith(/replayed nonce/))

  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', sign({ body }, { now: T0 - 30_001 })), refusedWith(/older than 30 s/))
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', sign({ body }, { now: T0 + 30_001 })), refusedWith(/more than 30 s in the future/))
  // At the edge of the window: still accepted.
  v.checkHeaders('POST', '/store?copies=3', sign({ body }, { now: T0 - 30_000 }))

  const changed = sign({ body })
  const proof = v.checkHeaders('POST', '/store?copies=3', changed)
  assert.throws(() => v.checkBody(proof, Buffer.from(JSON.stringify({ value: 'evil' }))), refusedWith(/body changed/))
  // A new digest for the new body breaks the signature instead.
  const redigested = { ...sign({ body }), [SIGNATURE_HEADERS.digest]: bodyDigest('{"value":"evil"}') }
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', redigested), refusedWith(/signature does not match/))

  assert.throws(() => v.checkHeaders('PUT', '/store?copies=3', sign({ body })), refusedWith(/signature does not match/), 'method changed')
  assert.throws(() => v.checkHeaders('POST', '/insert?copies=3', sign({ body })), refusedWith(/signature does not match/), 'path changed')
  assert.throws(() => v.checkHeaders('POST', '/store?copies=1', sign({ body })), refusedWith(/signature does not match/), 'query changed')
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', sign({ body }, { secret: `${SECRET}x` })), refusedWith(/signature does not match/), 'wrong secret')
  const moved = sign({ body })
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', { ...moved, [SIGNATURE_HEADERS.date]: String(clock.now + 1) }), refusedWith(/signature does not match/), 'date changed')

  assert.throws(() => v.checkHeaders('POST', '/store', {}), refusedWith(/missing signature/))
  const { [SIGNATURE_HEADERS.nonce]: _nonce, ...noNonce } = sign({ body })
  assert.throws(() => v.checkHeaders('POST', '/store?copies=3', noNonce), refusedWith(/missing signature/))
  assert.throws(() => v.checkHeaders('POST', '/store', { ...sign({ body }), [SIGNATURE_HEADERS.date]: 'yesterday' }), refusedWith(/epoch milliseconds/))
  assert.throws(() => v.checkHeaders('POST', '/store', { ...sign({ body }), [SIGNATURE_HEADERS.signature]: 'zz' }), refusedWith(/64 hex digits/))
})

test('a request without a body is signed over the empty body: one with a body added is refused', () => {
  const { verifier: v } = verifier()
  const headers = signRequest(SECRET, { method: 'DELETE', target: '/store?value=a' })
  const proof = v.checkHeaders('DELETE', '/store?value=a', headers)
  v.checkBody(proof, undefined)
  v.checkBody(proof, Buffer.alloc(0))
  const again = v.checkHeaders('DELETE', '/store?value=b', signRequest(SECRET, { method: 'DELETE', target: '/store?value=b' }))
  assert.throws(() => v.checkBody(again, Buffer.from('{}')), refusedWith(/body changed/))
})

test('the bearer token: accepted only where the ring allows it (AUTH=bearer), compared in constant time', () => {
  const bearer = { authorization: `Bearer ${SECRET}` }
  assert.throws(() => verifier().verifier.checkHeaders('POST', '/store', bearer), refusedWith(/bearer token is not accepted on this ring \(AUTH=hmac\)/))
  const { verifier: lenient } = verifier({ acceptBearer: true })
  const proof: HeaderProof = lenient.checkHeaders('POST', '/store', bearer)
  lenient.checkBody(proof, Buffer.from('anything'))
  assert.throws(() => lenient.checkHeaders('POST', '/store', { authorization: `Bearer ${SECRET}x` }), refusedWith(/bearer token is wrong/))
  assert.throws(() => lenient.checkHeaders('POST', '/store', { authorization: SECRET }), refusedWith(/bearer token is wrong/))
  // A ring that takes bearer tokens takes signatures too.
  lenient.checkHeaders('POST', '/store', signRequest(SECRET, { method: 'POST', target: '/store' }))
  // The signers: a signature per request on hmac rings, the token on bearer rings, nothing without a secret.
  assert.equal(requestSigner(undefined, 'hmac'), undefined)
  assert.deepEqual(requestSigner(SECRET, 'bearer')!({ method: 'POST', target: '/x' }), bearer)
  const signed = requestSigner(SECRET, 'hmac')!({ method: 'POST', target: '/x', body: '{}' }) as http.IncomingHttpHeaders
  verifier().verifier.checkHeaders('POST', '/x', signed)
  assert.deepEqual(requestSigner(SECRET, 'hmac')!({ method: 'GET', target: '/value?value=x' }), {}, 'reads go unsigned')
})

test('no write route of the API is a GET: the signer leaves reads unsigned, and no write goes without', () => {
  const writesByGet = allRoutes().filter((r) => r.write && r.method === 'GET').map((r) => `${r.method} ${r.path}`)
  assert.deepEqual(writesByGet, [])
})

test('the nonce cache is bounded by the window: a nonce is forgotten once its request would be too old', () => {
  const cache = new NonceCache()
  for (let i = 0; i < 1000; i++) assert.ok(cache.claim(`n${i}`, T0 + 30_000, T0))
  assert.equal(cache.size, 1000)
  assert.equal(cache.claim('n7', T0 + 30_000, T0 + 10_000), false, 'still remembered within the window')
  assert.ok(cache.claim('later', T0 + 70_000, T0 + 20_000))
  assert.equal(cache.size, 1001)
  // Past every first nonce's expiry (and its bucket's end), they are gone; the later one stays.
  assert.ok(cache.claim('last', T0 + 90_000, T0 + 36_000))
  assert.equal(cache.size, 2, 'the first thousand were forgotten')
  assert.equal(cache.claim('later', T0 + 70_000, T0 + 50_000), false)

  // Through the verifier: a minute of signed requests leaves at most the window's worth remembered.
  const { clock, verifier: v } = verifier()
  for (let second = 0; second < 120; second++) {
    clock.now = T0 + second * 1000
    for (let i = 0; i < 10; i++) v.checkHeaders('POST', '/store', signRequest(SECRET, { method: 'POST', target: '/store' }, { now: clock.now }))
  }
  assert.ok(v.remembered <= 10 * 36, `at most the last 30 s (and a bucket) of nonces: ${v.remembered}`)
})
