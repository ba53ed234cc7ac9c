// The node API declared once: the OpenAPI document the repository keeps is the one generated from the
// RPC table and the client routes, the server answers exactly the routes it documents, and every RPC's
// codecs carry a request and a reply across the wire unchanged.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { CLIENT_ROUTES } from '../../src/node/api/client-routes.js'
import { allRoutes, openApiDocument } from '../../src/node/api/openapi.js'
import { RPC_NAMES, rpcSpec } from '../../src/node/api/rpcs.js'
import { COMPONENTS, validate } from '../../src/node/api/schema.js'
import { openApiFile, packageVersion } from '../../src/node/api/version.js'
import { defaultNodeConfig } from '../../src/node/config.js'
import { ChordNode } from '../../src/node/protocol/chord-node.js'
import { IdSpace } from '../../src/node/ring.js'
import { nodeRoutes } from '../../src/node/server/routes.js'
import { MemoryNetwork } from '../../src/node/transport/memory.js'
import { Wire } from '../../src/node/wire.js'

const space = new IdSpace(16)
const wire = new Wire(space)
const codec = { wire, maxValueBytes: 1024 }
const peerAt = (port: number) => ({ id: space.nodeId('127.0.0.1', port), host: '127.0.0.1', port })

test('openapi.json in the repository is the document the table generates (make openapi writes it)', () => {
  const kept = JSON.parse(fs.readFileSync(openApiFile(), 'utf8')) as unknown
  assert.deepEqual(kept, JSON.parse(JSON.stringify(openApiDocument(packageVersion()))), 'openapi.json is stale: run make openapi')
})

test('the server answers exactly the routes the document names, each with the secret the document says', () => {
  const node = new ChordNode(peerAt(7000), space, new MemoryNetwork(), defaultNodeConfig({ bits: 16, replicas: 3 }))
  const table = nodeRoutes(node, codec, { onLeft: () => {} })
  const served = Object.entries(table).flatMap(([path, methods]) => Object.entries(methods).map(([method, route]) => `${method} ${path}${route?.write ? ' (secret)' : ''}`)).sort()
  const documented = allRoutes().map((r) => `${r.method} ${r.path}${r.write ? ' (secret)' : ''}`).sort()
  assert.deepEqual(served, documented)
  const paths = (openApiDocument('test') as { paths: Record<string, Record<string, { operationId: string }>> }).paths
  const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId))
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  assert.equal(ids.length, RPC_NAMES.length + Object.keys(CLIENT_ROUTES).length)
})

test('every schema reference resolves', () => {
  const refs = JSON.stringify(openApiDocument('test')).match(/#\/components\/schemas\/\w+/g) ?? []
  for (const ref of new Set(refs)) assert.ok(COMPONENTS[ref.split('/').pop()!], `${ref} is declared`)
})

test("each RPC's codecs carry a request and its reply across unchanged, and the reply matches its schema", () => {
  const a = peerAt(7001)
  const b = peerAt(7002)
  const record = { key: 5n, value: 'a "quoted" välue', version: 3, deleted: false }
  const samples: { [N in (typeof RPC_NAMES)[number]]?: [unknown, unknown] } = {
    nodeInfo: [{}, { self: a, status: 'ready', predecessor: b, successor: b, successors: [b], fingers: [{ index: 0, start: 7n, node: b }], keys: 1, values: 1, tombstones: 0, bits: 16, replicas: 3, routeMode: 'fingers', routingState: { entries: 2, bytes: 100 } }],
    routeStep: [{ key: 9n, mode: 'linear', withValues: true }, { kind: 'next', candidates: [b], successors: [a] }],
    neighbors: [{ digestOf: { from: 1n, to: 9n } }, { predecessor: null, successors: [a, b], digest: 'ab' }],
    neighborsAndNotify: [{ notify: a }, { predecessor: a, successors: [b] }],
    notify: [{ candidate: a }, { predecessor: a }],
    setSuccessor: [{ successor: a, expected: b }, { successor: a }],
    setPredecessor: [{ predecessor: null }, { predecessor: null }],
    join: [{ joiner: a }, { predecessor: a, successor: b }],
    leave: [{}, { left: a, handedTo: b }],
    insert: [{ records: [record], role: 'replica', copies: 2 }, { inserted: 1 }],
    get: [{ key: 5n }, { records: [record], predecessor: b }],
    delete: [{ key: 5n, value: 'x', copies: 3, after: 2, heir: true }, { deleted: 1 }],
    rangeEntries: [{ from: 1n, to: 9n, digest: 'ff' }, { unchanged: false, entries: [record] }],
    members: [{}, [{ peer: a, alive: true, version: 4 }]],
    announce: [{ news: { kind: 'left', node: a, successor: b, version: 2 }, limit: 9n }, undefined],
    unify: [{ candidate: b }, undefined],
    offer: [{ candidate: b }, { successor: a }],
    ping: [{}, undefined],
  }
  for (const name of RPC_NAMES) {
    const sample = samples[name]
    assert.ok(sample, `a sample for ${name}`)
    const spec = rpcSpec(name)
    const [request, reply] = sample as [never, never]
    const parts = spec.encodeRequest(request, codec)
    const received = { query: new URLSearchParams(parts.query ?? {}), body: parts.body === undefined ? undefined : JSON.parse(JSON.stringify(parts.body)) }
    assert.deepEqual(spec.decodeRequest(received, codec), request, `${name}: the request`)
    const json = JSON.parse(JSON.stringify(spec.encodeReply(reply, codec, request)))
    assert.deepEqual(validate(json, spec.reply), [], `${name}: the reply matches its schema`)
    assert.deepEqual(spec.decodeReply(json, codec), reply, `${name}: the reply`)
  }
})
