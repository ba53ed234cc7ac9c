// The contract, checked on real node processes: every route the document names is called on a live
// ring, and every answer (the replies and the errors alike) matches the document's schema for its
// status; the document a node serves at /openapi.json is the repository's openapi.json.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { allRoutes } from '../../src/node/api/openapi.js'
import { COMPONENTS, validate, type JsonSchema } from '../../src/node/api/schema.js'
import { openApiFile } from '../../src/node/api/version.js'
import { signRequest } from '../../src/node/auth/request-signing.js'
import { startTestnet } from '../helpers/testnet.js'

test('every route of the document answers a live ring as the document says', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  const secret = net.state.readSecret()
  const [a, b] = net.processes().sort((x, y) => x.port - y.port)
  const peer = (p: { id: string; host: string; port: number }) => ({ id: p.id, host: p.host, port: p.port })
  const stored = await net.client.store(a!, 'a contract value')
  const key = stored.key
  const info = (await (await fetch(`http://${b!.host}:${b!.port}/nodeinfo`)).json()) as { predecessor: { id: string; host: string; port: number }; successor: { id: string; host: string; port: number } }
  const record = { key, value: 'a contract value', version: 1 }
  // The direct routes answer only at the key's owner (elsewhere 421 MOVED, checked below).
  assert.deepEqual(await net.settle(), [])
  const processAt = (port: number) => net.processes().find((p) => p.port === port)!
  const directValue = 'a direct contract value'
  const directOwner = processAt((await net.client.findNode(a!, net.client.wire.id(net.client.wire.space.hash(directValue)))).node.port)
  const storedOwner = processAt((await net.client.findNode(a!, key)).node.port)
  // A direct operation at a node that does not own the key: 421 MOVED naming the owner, as documented.
  const notOwner = net.processes().find((p) => p.port !== storedOwner.port)!
  const moved = await fetch(`http://${notOwner.host}:${notOwner.port}/value?${new URLSearchParams({ value: 'a contract value' })}`)
  assert.equal(moved.status, 421)
  const movedBody = (await moved.json()) as { owner: { port: number } }
  assert.deepEqual(validate(movedBody, COMPONENTS.Moved as JsonSchema), [])

  // One call per route: harmless ones (each write leaves the ring as it was), LEAVE last.
  const calls: Record<string, { query?: Record<string, string>; body?: unknown; at?: typeof a }> = {
    nodeInfo: {}, ping: {}, successor: {}, predecessor: {}, members: {}, content: {}, faults: {}, openapi: {}, metrics: {},
    routeStep: { query: { key, mode: 'fingers', values: '1' } },
    neighbors: { query: { from: b!.id, to: info.successor.id } },
    neighborsAndNotify: { body: { notify: info.predecessor } },
    notify: { body: info.predecessor },
    setSuccessor: { body: { ...info.successor, expected: info.successor } },
    setPredecessor: { body: info.predecessor },
    join: { body: peer(a!), at: b },
    insert: { body: { entries: [record], role: 'handoff', copies: 1 } },
    get: { query: { key } },
    delete: { query: { key: b!.id, value: 'never stored', copies: '1' } },
    rangeEntries: { query: { from: b!.id, to: info.successor.id } },
    announce: { body: { kind: 'joined', node: peer(a!), version: 1, limit: b!.id } },
    unify: { body: peer(a!) },
    offer: { body: peer(a!) },
    findNode: { query: { id: key, mode: 'linear' } },
    store: { body: { value: 'another contract value' } },
    lookup: { query: { value: 'a contract value' } },
    deleteValue: { query: { value: 'another contract value' } },
    readValue: { query: { value: 'a contract value' }, at: storedOwner },
    writeValue: { body: { value: directValue }, at: directOwner },
    removeValue: { query: { value: directValue }, at: directOwner },
    trace: { query: { id: 'f'.repeat(32) } },
    messages: { query: { since: String(Date.now() - 1000) } },
    setRecording: { body: { recording: true } },
    setMetrics: { body: { counting: true } },
    setFaults: { body: {} },
    clearFaults: {},
    leave: {},
  }
  const checked: string[] = []
  const leaveLast = [...allRoutes()].sort((x, y) => Number(x.name === 'leave') - Number(y.name === 'leave'))
  for (const route of leaveLast) {
    const call = calls[route.name]
    assert.ok(call, `the test calls ${route.name}`)
    const to = call.at ?? b!
    const query = call.query ? `?${new URLSearchParams(call.query)}` : ''
    const response = await fetch(`http://${to.host}:${to.port}${route.path}${query}`, {
      method: route.method,
      headers: { ...(secret ? signRequest(secret, { method: route.method, target: `${route.path}${query}`, body: call.body === undefined ? undefined : JSON.stringify(call.body) }) : {}), ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    })
    const expected = route.status ?? 200
    // A route that answers text says so, and its text is what the schema describes; errors are JSON.
    const text = response.status === expected && route.contentType !== undefined
    assert.equal(response.headers.get('content-type'), text ? route.contentType : 'application/json; charset=utf-8', `${route.method} ${route.path}: its content type`)
    const body: unknown = text ? await response.text() : await response.json()
    // A JOIN of a node already in the ring is refused (ID_TAKEN): an error reply, checked against the error schema.
    const schema: JsonSchema = response.status === expected ? route.reply : (COMPONENTS.Error as JsonSchema)
    assert.ok(response.status === expected || (route.name === 'join' && response.status === 409), `${route.method} ${route.path}: status ${response.status} ${JSON.stringify(body)}`)
    assert.deepEqual(validate(body, schema), [], `${route.method} ${route.path} answers as documented`)
    if (route.name === 'openapi') assert.deepEqual(body, JSON.parse(fs.readFileSync(openApiFile(), 'utf8')), 'a node serves the repository\'s document')
    checked.push(route.name)
  }
  assert.equal(checked.length, allRoutes().length)
  // An unknown route and a bad id answer with the error shape too.
  for (const path of ['/no-such-route', '/findnode?id=zz']) {
    const response = await fetch(`http://${a!.host}:${a!.port}${path}`)
    assert.ok(response.status >= 400 && response.status < 500)
    assert.deepEqual(validate(await response.json(), COMPONENTS.Error as JsonSchema), [])
  }
})
