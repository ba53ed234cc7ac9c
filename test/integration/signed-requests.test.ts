// Signed requests on real node processes: a store a tool sent, captured on its way and sent again, is
// refused as replayed; one held back and sent on with another body, as a changed body; signed too long ago or too far ahead,
// as such; and the bearer token, the old way, is refused on an AUTH=hmac ring. Each refusal is 401
// UNAUTHORIZED with its reason, and nothing changes. An AUTH=bearer ring still takes the token, and its
// nodes send it to each other.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { signRequest } from '../../src/node/auth/request-signing.js'
import { DhtError } from '../../src/node/errors.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { resend, startCaptureProxy } from '../helpers/capture-proxy.js'
import { startTestnet } from '../helpers/testnet.js'
import { makeValues, ringPicture, storeAll } from './_support.js'

function refusal(reply: { status: number; text: string }): { status: number; code: string; error: string } {
  const body = JSON.parse(reply.text) as { code: string; error: string }
  return { status: reply.status, code: body.code, error: body.error }
}

test('a captured write replayed, changed, stale or sent with the bearer token: 401 with the reason, and nothing changes', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  assert.equal(net.state.requireRing().settings.auth, 'hmac', 'full rings sign by default')
  await storeAll(net, makeValues('signed', 10))
  assert.deepEqual(await net.settle(), [])
  const secret = net.state.readSecret()!
  const [entry] = net.processes() as [ProcessRecord]

  // The tool's own store, through an eavesdropper that keeps an exact copy of what it sent.
  const proxy = await startCaptureProxy(entry)
  t.after(() => proxy.close())
  const value = 'a value whose store was overheard'
  const stored = await net.client.store(proxy.address, value)
  assert.equal(stored.value, value)
  const [captured] = proxy.captured
  assert.ok(captured && captured.method === 'POST' && captured.url === '/store', 'the store was captured')
  assert.ok(!JSON.stringify(captured).includes(secret), 'the secret is not in the request')
  const owner = net.processes().find((p) => p.port === stored.node.port)!
  const versionOf = async (v: string) => (await net.client.content(owner)).entries.find((e) => e.value === v)?.version
  const version = await versionOf(value)
  const before = ringPicture(await net.snapshot())

  const replayed = refusal(await resend(entry, captured))
  assert.deepEqual([replayed.status, replayed.code], [401, 'UNAUTHORIZED'])
  assert.match(replayed.error, /replayed nonce/)

  // One in the middle holds a tool's store back and sends it on with a body of its choosing.
  const middle = await startCaptureProxy(entry, { hold: true })
  t.after(() => middle.close())
  await assert.rejects(net.client.store(middle.address, 'a value the tool meant'))
  const held = middle.captured[0]!
  const changed = refusal(await resend(entry, held, { body: JSON.stringify({ value: 'a value the eavesdropper chose' }) }))
  assert.deepEqual([changed.status, changed.code], [401, 'UNAUTHORIZED'])
  assert.match(changed.error, /body changed/)
  // Its nonce is spent: the request cannot be sent on as it was either.
  assert.match(refusal(await resend(entry, held)).error, /replayed nonce/)

  const send = (headers: Record<string, string>, body: string) => resend(entry, { method: 'POST', url: '/store', headers: { ...headers, 'content-type': 'application/json' }, body: Buffer.from(body).toString('base64') })
  const body = JSON.stringify({ value: 'a value signed at the wrong time' })
  const old = refusal(await send(signRequest(secret, { method: 'POST', target: '/store', body }, { now: Date.now() - 31_000 }), body))
  assert.match(old.error, /older than 30 s/)
  const ahead = refusal(await send(signRequest(secret, { method: 'POST', target: '/store', body }, { now: Date.now() + 31_000 }), body))
  assert.match(ahead.error, /in the future/)
  const wrong = refusal(await send(signRequest(`${secret}-not`, { method: 'POST', target: '/store', body }), body))
  assert.match(wrong.error, /signature does not match/)
  const bearer = refusal(await send({ authorization: `Bearer ${secret}` }, body))
  assert.match(bearer.error, /bearer token is not accepted on this ring \(AUTH=hmac\)/)
  const unsigned = refusal(await send({}, body))
  assert.match(unsigned.error, /missing signature/)
  for (const r of [old, ahead, wrong, bearer, unsigned]) assert.deepEqual([r.status, r.code], [401, 'UNAUTHORIZED'])

  // A signed delete whose query was changed on the way: refused, the value stays.
  const deleteHeaders = signRequest(secret, { method: 'DELETE', target: `/store?${new URLSearchParams({ value: 'signed value #0' })}` })
  const query = refusal(await resend(entry, { method: 'DELETE', url: `/store?${new URLSearchParams({ value: value })}`, headers: deleteHeaders, body: '' }))
  assert.match(query.error, /signature does not match/)

  assert.equal(await versionOf(value), version, 'the replay stored nothing: the version is the first store\'s')
  assert.deepEqual(ringPicture(await net.snapshot()), before, 'no refused request changed the ring')
  await assert.rejects(net.client.lookup(entry, 'a value the eavesdropper chose'), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  await assert.rejects(net.client.lookup(entry, 'a value the tool meant'), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  await assert.rejects(net.client.lookup(entry, 'a value signed at the wrong time'), (error: unknown) => error instanceof DhtError && error.code === 'NOT_FOUND')
  assert.equal((await net.client.lookup(entry, value)).value, value)
})

test('AUTH=bearer: the nodes pass the token to each other and accept it from a tool', async (t) => {
  const net = await startTestnet(t, { nodes: 4, auth: 'bearer' })
  assert.deepEqual(await net.settle(), [], 'joins, stabilize and notify all went through with the bearer token')
  const secret = net.state.readSecret()!
  const [entry] = net.processes() as [ProcessRecord]
  const values = makeValues('bearer', 10)
  await storeAll(net, values)
  const token = await resend(entry, { method: 'POST', url: '/store', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: Buffer.from('{"value":"by token"}').toString('base64') })
  assert.equal(token.status, 201, token.text)
  const nodeinfo = (await (await fetch(`http://${entry.host}:${entry.port}/nodeinfo`)).json()) as { auth?: string }
  assert.equal(nodeinfo.auth, 'bearer', '/nodeinfo says how the ring authenticates, for a node joining from elsewhere')
})
