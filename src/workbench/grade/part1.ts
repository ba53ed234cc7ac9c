// Part 1: a node and its API. Nodes started alone (no JOIN needed): GET /nodeinfo describes the node,
// GET /successor and /predecessor answer its pointers, PUT sets them, and bad requests get a 4xx
// with { error, code } while the node keeps running. Every reply must also match the OpenAPI document.
import { conforms } from './contract.js'
import type { GradeTest, Level } from './grade-test.js'
import type { LaunchedNode } from './launcher.js'
import type { Probe } from './probe.js'
import { errorReply, fail, jsonObject, nodeField, nodeOrNullField, shortNode, type NodeRef } from './verdict.js'

const TIMEOUT_MS = 30_000

const asNode = (node: NodeRef) => ({ id: node.id, host: node.host, port: node.port })

async function successorOf(probe: Probe, node: LaunchedNode): Promise<NodeRef> {
  const reply = await probe.get(node, '/successor')
  conforms(reply)
  return nodeField(jsonObject(reply, `GET /successor on ${shortNode(node)}`, 200).successor, 'successor', reply)
}

async function predecessorOf(probe: Probe, node: LaunchedNode): Promise<NodeRef | null> {
  const reply = await probe.get(node, '/predecessor')
  conforms(reply)
  return nodeOrNullField(jsonObject(reply, `GET /predecessor on ${shortNode(node)}`, 200).predecessor, 'predecessor', reply)
}

const nodeinfo: GradeTest = {
  id: '1.nodeinfo',
  name: 'a node starts and GET /nodeinfo describes it',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const node = await t.ring().alone()
    t.step('GET /nodeinfo')
    const reply = await t.probe.get(node, '/nodeinfo')
    const body = jsonObject(reply, 'GET /nodeinfo', 200)
    const self = nodeField(body, 'nodeinfo', reply)
    conforms(reply)
    if (self.host !== node.host || self.port !== node.port) fail(`nodeinfo's host and port: the ones it was started with, ${node.host}:${node.port}`, `${self.host}:${self.port}`, reply)
    const successor = nodeField(body.successor, 'nodeinfo.successor', reply)
    if (successor.id !== node.id) fail(`a node alone to be its own successor (${shortNode(node)})`, `successor ${shortNode(successor)}`, reply)
    if (!('predecessor' in body)) fail('nodeinfo.predecessor: the node itself or null, for a node alone', 'no predecessor field', reply)
    const predecessor = nodeOrNullField(body.predecessor, 'nodeinfo.predecessor', reply)
    if (predecessor && predecessor.id !== node.id) fail('a node alone: predecessor itself or null', `predecessor ${shortNode(predecessor)}`, reply)
  },
}

const pointers: GradeTest = {
  id: '1.pointers',
  name: 'GET /successor and GET /predecessor answer the pointers',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const node = await t.ring().alone()
    t.step('GET /successor, GET /predecessor')
    const successor = await successorOf(t.probe, node)
    if (successor.id !== node.id) fail(`GET /successor on a node alone: { "successor": itself (${shortNode(node)}) }`, `successor ${shortNode(successor)}`)
    const predecessor = await predecessorOf(t.probe, node)
    if (predecessor && predecessor.id !== node.id) fail('GET /predecessor on a node alone: { "predecessor": itself or null }', `predecessor ${shortNode(predecessor)}`)
  },
}

const rewire: GradeTest = {
  id: '1.rewire',
  name: 'PUT /successor and PUT /predecessor set the pointers',
  points: 6,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    const a = await ring.alone()
    const b = await ring.alone()
    ring.members = [a, b]
    // The lab's rewiring calls, by hand: a and b point at each other, a ring of two.
    for (const [node, other] of [[a, b], [b, a]] as const) {
      for (const route of ['/successor', '/predecessor'] as const) {
        t.step(`PUT ${route} on ${shortNode(node)}`)
        const reply = await t.probe.send(node, 'PUT', route, asNode(other))
        jsonObject(reply, `PUT ${route} on ${shortNode(node)} with ${shortNode(other)}`)
        conforms(reply)
        const now = route === '/successor' ? await successorOf(t.probe, node) : await predecessorOf(t.probe, node)
        if (now?.id !== other.id) fail(`GET ${route} on ${shortNode(node)} after the PUT: ${shortNode(other)}`, now ? shortNode(now) : 'null', reply)
      }
    }
    t.step('GET /nodeinfo on both')
    for (const [node, other] of [[a, b], [b, a]] as const) {
      const reply = await t.probe.get(node, '/nodeinfo')
      const body = jsonObject(reply, 'GET /nodeinfo', 200)
      conforms(reply)
      const successor = nodeField(body.successor, 'nodeinfo.successor', reply)
      const predecessor = nodeOrNullField(body.predecessor, 'nodeinfo.predecessor', reply)
      if (successor.id !== other.id || predecessor?.id !== other.id) {
        fail(`nodeinfo of ${shortNode(node)} showing the PUTs: predecessor and successor ${shortNode(other)}`, `predecessor ${predecessor ? shortNode(predecessor) : 'null'}, successor ${shortNode(successor)}`, reply)
      }
    }
  },
}

const errors: GradeTest = {
  id: '1.errors',
  name: 'bad requests get a 4xx with { error, code } and the node keeps running',
  points: 6,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const node = await t.ring().alone()
    const zeros = '0'.repeat(40)
    const cases: Array<{ what: string; method: 'GET' | 'PUT' | 'DELETE'; path: string; raw?: string; body?: unknown; status?: number }> = [
      { what: 'an unknown route', method: 'GET', path: '/no-such-route', status: 404 },
      { what: 'a body that is not JSON', method: 'PUT', path: '/successor', raw: '{"id": ', status: 400 },
      { what: 'a port that is not a number', method: 'PUT', path: '/successor', body: { host: '127.0.0.1', port: 'five thousand' }, status: 400 },
      { what: 'an id that is not SHA-1(host:port)', method: 'PUT', path: '/successor', body: { id: zeros, host: '127.0.0.1', port: 1 }, status: 400 },
      { what: 'a body that is not an object', method: 'PUT', path: '/predecessor', body: [1, 2, 3], status: 400 },
      { what: 'a method the route does not have', method: 'DELETE', path: '/nodeinfo' },
    ]
    for (const c of cases) {
      t.step(`${c.method} ${c.path}: ${c.what}`)
      const options = { auth: true, ...(c.raw === undefined ? {} : { raw: c.raw }), ...(c.body === undefined ? {} : { body: c.body }) }
      const reply = await t.probe.call(node, c.method, c.path, options)
      errorReply(reply, `${c.method} ${c.path} with ${c.what}`, c.status)
      conforms(reply)
    }
    t.step('checking the node still answers')
    const successor = await successorOf(t.probe, node)
    if (successor.id !== node.id) fail('the bad PUTs to change nothing: successor still the node itself', `successor ${shortNode(successor)}`)
  },
}

export const PART_1: Level = { key: '1', title: 'Part 1', tests: [nodeinfo, pointers, rewire, errors] }
