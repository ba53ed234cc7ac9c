// The one HTTP client: a peer that closes a kept-alive connection is reported (a node exiting or
// crashing does), a silent peer times out and a closed port is unreachable, each with its code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { isDhtError } from '../../src/node/errors.js'
import { HttpClient, type Address } from '../../src/node/transport/http-client.js'

async function server(handler: http.RequestListener): Promise<{ server: http.Server; address: Address }> {
  const s = http.createServer({ keepAliveTimeout: 60_000 }, handler)
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return { server: s, address: { host: '127.0.0.1', port: (s.address() as AddressInfo).port } }
}

const json: http.RequestListener = (_request, response) => {
  response.setHeader('content-type', 'application/json')
  response.end('{"ok":true}')
}

test('a peer closing an idle kept-alive connection is reported with its address', async () => {
  const { server: s, address } = await server(json)
  const closed: Address[] = []
  let reportedNow = () => {}
  const reported = new Promise<void>((resolve) => (reportedNow = resolve))
  const client = new HttpClient({ onClosedByPeer: (peer) => (closed.push(peer), reportedNow()) })
  try {
    assert.deepEqual(await client.request(address, 'GET', '/ping'), { ok: true })
    assert.deepEqual(await client.request(address, 'GET', '/ping'), { ok: true })
    assert.deepEqual(closed, [], 'nothing closed while the peer is up')
    s.closeAllConnections() // what a node's exit does to its connections
    await reported
    assert.deepEqual(closed, [address], 'one report for the one connection')
  } finally {
    client.close()
    s.close()
  }
})

test('a peer that does not answer times out with PEER_TIMEOUT; a closed port is PEER_UNREACHABLE', async () => {
  const { server: s, address } = await server(() => {}) // never answers
  const client = new HttpClient({ timeoutMs: 100 })
  try {
    await assert.rejects(client.request(address, 'GET', '/ping'), (error) => isDhtError(error, 'PEER_TIMEOUT') && /within 100 ms/.test(String(error)))
    s.closeAllConnections()
    await new Promise<void>((resolve) => s.close(() => resolve()))
    await assert.rejects(client.request(address, 'GET', '/ping'), (error) => isDhtError(error, 'PEER_UNREACHABLE') && /ECONNREFUSED/.test(String(error)))
  } finally {
    client.close()
  }
})
