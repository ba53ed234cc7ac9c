// A seeded, bounded fuzz of a live ring: hundreds of malformed or hostile requests. Every answer must
// be a 4xx with a JSON { error, code }, no node may crash, and the ring's pointers and content must be
// exactly as before. The requests come from the test's seeded generator: TEST_SEED=n replays a run.
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { test } from 'node:test'
import { signRequest } from '../../src/node/auth/request-signing.js'
import type { SeededRandom } from '../../src/workbench/sim/random.js'
import { freePort } from '../helpers/free-port.js'
import { replayHint, testRandom } from '../helpers/seed.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'

const REQUESTS = 600

interface FuzzRequest {
  method: string
  path: string
  body?: string | Buffer
  /** Send the cluster secret: the request must then be refused for what it says, not for who sends it. */
  authorized: boolean
}

interface Answer {
  status: number
  body: string
}

function send(port: number, request: FuzzRequest, secret: string | undefined, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {}
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(request.body)
    }
    if (request.authorized && secret) Object.assign(headers, signRequest(secret, { method: request.method, target: request.path, body: request.body }))
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(request.body)
  })
}

/** Bytes that are not HTTP at all, straight onto a socket. */
function sendRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes))
    let reply = ''
    socket.on('data', (d) => (reply += d.toString()))
    socket.on('close', () => resolve(reply))
    socket.on('error', () => resolve(reply))
  })
}

/** `ghostPort`: a loopback port where nothing listened when the test began (a peer that is not there). */
function generate(random: SeededRandom, hexLength: number, ghostPort: number): FuzzRequest {
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[random.int(16)]).join('')
  const badIds = ['', 'xyz', 'g'.repeat(hexLength), hex(hexLength + 1), hex(hexLength * 3), '-1', '0x12', ' ', '%00', '🙂', hex(hexLength - 1) + 'Z']
  // Not "80": wire.ts reads a port written as a string of digits as that number (query parameters are
  // strings), so { port: "80" } is a well-formed peer that a node may accept (a 200, not a 4xx).
  const badPorts = [0, -1, 65536, 99999, 1.5, '', ' 80', null, 'port']
  const ghost = { host: '127.0.0.1', port: ghostPort }
  const badPeers: unknown[] = [
    null,
    42,
    'node',
    [],
    {},
    { host: '127.0.0.1' },
    { port: 5000 },
    { host: 'bad host!', port: 5000 },
    { host: '127.0.0.1', port: random.pick(badPorts) },
    { id: random.pick(badIds), host: '127.0.0.1', port: 5000 },
    { id: hex(hexLength), host: '127.0.0.1', port: 5000 }, // an id the address does not hash to
    { host: 'x'.repeat(300), port: 5000 },
  ]
  const badValues: unknown[] = [42, null, true, [], {}, '', { value: 'nested' }]
  const junkJson = ['{', '{"value":', 'not json', '[1,2', '{"value": "a" "b"}', '\u0000', '{"a":1}}', 'nul', '"unterminated']
  const text = () => random.pick(['', '🙂'.repeat(random.int(5)), 'a'.repeat(random.int(20)), '\u0000\u0001', 'ü€𝄞', '<script>'])
  const kind = random.int(16)
  const authorized = random.next() < 0.4
  switch (kind) {
    case 0:
      return { method: 'POST', path: '/store', body: random.pick(junkJson), authorized }
    case 1:
      return { method: 'POST', path: '/store', body: JSON.stringify({ value: random.pick(badValues) }), authorized }
    case 2:
      return { method: 'POST', path: '/store', body: JSON.stringify({ nothing: text() }), authorized }
    case 3:
      return { method: 'GET', path: `/findnode?id=${encodeURIComponent(random.pick(badIds))}`, authorized }
    case 4:
      return { method: 'GET', path: `/get?key=${encodeURIComponent(random.pick(badIds))}`, authorized }
    case 5: {
      const path = random.pick(['/successor', '/predecessor', '/notify', '/join'])
      // PUT /predecessor with null is a valid write (the node forgets its predecessor), not a bad peer.
      const peers = path === '/predecessor' ? badPeers.filter((peer) => peer !== null) : badPeers
      return { method: random.pick(['PUT', 'POST']), path, body: JSON.stringify(random.pick(peers)), authorized }
    }
    case 6:
      // A node that does not exist, named with its true id: refused because it does not answer.
      return { method: random.pick(['PUT', 'POST']), path: random.pick(['/successor', '/predecessor', '/join']), body: JSON.stringify(ghost), authorized }
    case 7:
      return { method: 'POST', path: '/insert', body: JSON.stringify({ entries: random.pick([null, 'x', [{ key: random.pick(badIds), value: 'v' }], [{ key: hex(hexLength) }]]), role: random.pick(['store', 'boss', 7]) }), authorized }
    case 8:
      return { method: 'DELETE', path: `/delete?key=${encodeURIComponent(random.pick(badIds))}`, authorized }
    case 9:
      // Percent-encoded: Node's client refuses to send a path with raw control or non-Latin-1 characters
      // (those bytes reach the nodes through sendRaw below).
      return { method: random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']), path: random.pick(['/', '/nope', '/nodeinfo/x', '/../etc/passwd', '/%ff', '/' + encodeURI(text())]), authorized }
    case 10:
      return { method: random.pick(['DELETE', 'PATCH', 'PUT', 'POST']), path: random.pick(['/nodeinfo', '/lookup', '/content', '/findnode']), authorized }
    case 11:
      return { method: 'GET', path: random.pick(['/lookup', '/lookup?value=', '/findnode', '/findnode?id=', `/findnode?id=${hex(hexLength)}&mode=${random.pick(['fast', '', '1'])}`, '/range?from=zz&to=00']), authorized }
    case 12:
      // Past the body limit (8 MiB): refused from the declared length before it is read.
      return { method: 'POST', path: '/store', body: Buffer.alloc(8 * 1024 * 1024 + 1 + random.int(1024), 'a'), authorized }
    case 13:
      // A value over the value limit (64 KiB).
      return { method: 'POST', path: '/store', body: JSON.stringify({ value: 'v'.repeat(64 * 1024 + 1 + random.int(100)) }), authorized }
    case 14:
      return { method: 'DELETE', path: random.pick(['/store', '/store?value=', '/delete', `/delete?key=${hex(hexLength)}&copies=${random.pick(['0', '-3', 'many', '1000'])}`]), authorized }
    default:
      // Well-formed writes without the secret: refused with 401 whatever they say.
      return { method: random.pick(['PUT', 'POST']), path: random.pick(['/successor', '/predecessor', '/notify', '/faults']), body: JSON.stringify({ host: '127.0.0.1', port: 1 + random.int(65000) }), authorized: false }
  }
}

/** The parts of the ring that no bad request may change: pointers and content. */
async function ringState(testnet: Testnet): Promise<string> {
  const snapshot = await testnet.snapshot()
  return JSON.stringify(
    snapshot.nodes.map((n) => ({
      port: n.port,
      error: n.error ?? null,
      predecessor: n.info?.predecessor?.port ?? null,
      successors: n.info?.successors.map((s) => s.port) ?? [],
      entries: n.entries ?? [],
    })),
  )
}

test(`fuzz: ${REQUESTS} malformed and hostile requests all get a 4xx JSON error and change nothing`, async (t) => {
  const testnet = await startTestnet(t, { nodes: 4, bits: 160 })
  for (let i = 0; i < 20; i++) await testnet.client.store(testnet.processes()[i % 4]!, `fuzz baseline value ${i}`)
  assert.deepEqual(await testnet.settle(), [], 'ring healthy before the fuzz')
  const before = await ringState(testnet)
  const secret = testnet.state.readSecret()
  const ports = testnet.processes().map((p) => p.port)
  const random = testRandom()
  const ghostPort = await freePort()
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
  t.after(() => agent.destroy())
  const statuses = new Map<number, number>()
  for (let i = 0; i < REQUESTS; i++) {
    const request = generate(random, 40, ghostPort)
    const port = random.pick(ports)
    const answer = await send(port, request, secret, agent)
    const body = typeof request.body === 'string' ? ` ${request.body.slice(0, 80)}` : ''
    const where = `request #${i} ${request.method} ${request.path.slice(0, 80)}${body} (${request.authorized ? 'with' : 'without'} secret; ${replayHint})`
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    assert.ok(answer.status >= 400 && answer.status < 500, `${where}: status ${answer.status} ${answer.body.slice(0, 200)}`)
    let parsed: { error?: unknown; code?: unknown }
    try {
      parsed = JSON.parse(answer.body) as { error?: unknown; code?: unknown }
    } catch {
      assert.fail(`${where}: body is not JSON: ${answer.body.slice(0, 200)}`)
    }
    assert.equal(typeof parsed.error, 'string', `${where}: no error message`)
    assert.equal(typeof parsed.code, 'string', `${where}: no error code`)
  }
  for (const garbage of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\nHost\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n', 'POST /store HTTP/1.1\r\ncontent-length: -5\r\n\r\n']) {
    const reply = await sendRaw(random.pick(ports), garbage)
    assert.match(reply, /^HTTP\/1\.1 4\d\d /, `raw ${JSON.stringify(garbage)} answered ${JSON.stringify(reply.slice(0, 60))} (${replayHint})`)
  }
  t.diagnostic(`statuses: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}`)
  for (const p of testnet.processes()) await testnet.client.nodeInfo(p) // every node still answers
  assert.equal(await ringState(testnet), before, `pointers and content are unchanged (${replayHint})`)
})
