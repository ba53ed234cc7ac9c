// The routes a node offers to clients and tools rather than to other nodes: the handout's STORE, LOOKUP,
// findNode and content, the reads of its pointers, the message log, its metrics, the fault plan and this
// API's own document. Declared once here (method, path, secret, schemas, summary); the server gives each its handler.
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.js'
import type { RouteDoc } from './rpc.js'
import { schemaRef as ref, type JsonSchema } from './schema.js'

const valueParam = { name: 'value', required: true, schema: { type: 'string', minLength: 1 } satisfies JsonSchema, description: 'the value (its key is its SHA-1)' }
const message: JsonSchema = { type: 'object', description: 'one message of a trace: a span with its sender, receiver, route, timing and summary', required: ['traceId', 'spanId', 'from', 'to', 'method', 'path', 'start', 'durationMs', 'summary'] }
const plan: JsonSchema = {
  type: 'object',
  description: 'the faults in force on this node (fields left out are off)',
  properties: { delayMs: { type: 'integer' }, jitterMs: { type: 'integer' }, dropRate: { type: 'number' }, slowMs: { type: 'integer' }, blocked: { type: 'array', items: { type: 'string' }, description: 'host:port of the nodes cut off' } },
}

export const CLIENT_ROUTES = {
  successor: { method: 'GET', path: '/successor', write: false, tag: 'lab', summary: "This node's successor.", reply: { type: 'object', properties: { successor: ref('Peer') }, required: ['successor'] } },
  predecessor: { method: 'GET', path: '/predecessor', write: false, tag: 'lab', summary: "This node's predecessor (null until it has one).", reply: { type: 'object', properties: { predecessor: ref('PeerOrNull') }, required: ['predecessor'] } },
  findNode: {
    method: 'GET', path: '/findnode', write: false, tag: 'lab',
    summary: 'findNode: the node that owns an id, found hop by hop from this node (linear: successor by successor; fingers: the finger table).',
    query: [
      { name: 'id', required: true, schema: ref('Id'), description: 'the id to find the owner of (exactly as many hex digits as the space needs)' },
      { name: 'mode', schema: { enum: ['fingers', 'linear', 'onehop'] }, description: 'the routing table to use (default fingers)' },
    ],
    reply: {
      type: 'object',
      properties: { id: ref('Id'), mode: { type: 'string' }, node: ref('Peer'), successor: ref('Peer'), hops: { type: 'integer', minimum: 0 }, path: { type: 'array', items: ref('Peer') } },
      required: ['id', 'mode', 'node', 'successor', 'hops', 'path'],
    },
  },
  store: {
    method: 'POST', path: '/store', write: true, tag: 'lab', status: 201,
    summary: 'STORE(value): findNode for its key, then insert it at the owner (which copies it to its r-1 predecessors).',
    body: { type: 'object', properties: { value: { type: 'string', minLength: 1 } }, required: ['value'] },
    reply: ref('ValueResult'),
  },
  deleteValue: {
    method: 'DELETE', path: '/store', write: true, tag: 'engineering',
    summary: 'Delete a value: findNode, then a tombstone at the owner and its copies.',
    query: [valueParam],
    reply: { type: 'object', properties: { key: ref('Id'), value: { type: 'string' }, node: ref('Peer'), hops: { type: 'integer' }, path: { type: 'array' }, deleted: { type: 'integer', minimum: 0 } }, required: ['key', 'value', 'node', 'deleted'] },
  },
  readValue: {
    method: 'GET', path: '/value', write: false, tag: 'engineering', moved: true,
    summary: 'LOOKUP at the owner, for a client that knows the ring: answered only by the node that owns the key by its own successor pointer, else 421 MOVED naming the owner it knows.',
    query: [valueParam],
    reply: ref('ValueResult'),
  },
  writeValue: {
    method: 'POST', path: '/value', write: true, tag: 'engineering', status: 201, moved: true,
    summary: "STORE at the owner, for a client that knows the ring: the owner stamps it and copies it to its r-1 predecessors; any other node answers 421 MOVED naming the owner it knows.",
    body: { type: 'object', properties: { value: { type: 'string', minLength: 1 } }, required: ['value'] },
    reply: ref('ValueResult'),
  },
  removeValue: {
    method: 'DELETE', path: '/value', write: true, tag: 'engineering', moved: true,
    summary: 'Delete at the owner, for a client that knows the ring: a tombstone at the owner and its copies; any other node answers 421 MOVED naming the owner it knows.',
    query: [valueParam],
    reply: { type: 'object', properties: { key: ref('Id'), value: { type: 'string' }, node: ref('Peer'), hops: { type: 'integer' }, path: { type: 'array' }, deleted: { type: 'integer', minimum: 0 } }, required: ['key', 'value', 'node', 'deleted'] },
  },
  lookup: { method: 'GET', path: '/lookup', write: false, tag: 'lab', summary: 'LOOKUP(value): findNode for its key, then get it from the owner.', query: [valueParam], reply: ref('ValueResult') },
  content: {
    method: 'GET', path: '/content', write: false, tag: 'lab',
    summary: "What this node holds, for the monitor: its live entries, and its tombstones apart.",
    reply: {
      type: 'object',
      properties: { node: ref('Peer'), count: { type: 'integer', minimum: 0 }, entries: { type: 'array', items: ref('Record') }, tombstoneCount: { type: 'integer', minimum: 0 }, tombstones: { type: 'array', items: ref('Record') } },
      required: ['node', 'count', 'entries'],
    },
  },
  trace: {
    method: 'GET', path: '/trace', write: false, tag: 'tools',
    summary: "One trace's messages as this node logged them.",
    query: [{ name: 'id', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' }, description: 'the trace id (W3C traceparent)' }],
    reply: { type: 'object', properties: { spans: { type: 'array', items: message } }, required: ['spans'] },
  },
  messages: {
    method: 'GET', path: '/messages', write: false, tag: 'tools',
    summary: 'The messages this node logged since a moment (epoch ms), newest last.',
    query: [{ name: 'since', schema: { type: 'integer', minimum: 0 }, description: 'epoch milliseconds (default: all held)' }],
    reply: { type: 'object', properties: { messages: { type: 'array', items: message }, now: { type: 'integer' }, recording: { type: 'boolean' } }, required: ['messages', 'now', 'recording'] },
  },
  setRecording: {
    method: 'PUT', path: '/messages', write: true, tag: 'tools',
    summary: 'Pause or resume the message log.',
    body: { type: 'object', properties: { recording: { type: 'boolean' } }, required: ['recording'] },
    reply: { type: 'object', properties: { recording: { type: 'boolean' } }, required: ['recording'] },
  },
  metrics: {
    method: 'GET', path: '/metrics', write: false, tag: 'tools', contentType: EXPOSITION_CONTENT_TYPE,
    summary: "This node's metrics in Prometheus' text exposition format: requests and calls by route and status, their durations, peer failures, content, routing state, maintenance, the message log (404 with METRICS=0).",
    reply: { type: 'string', description: '# HELP, # TYPE and one line per sample' },
  },
  setMetrics: {
    method: 'PUT', path: '/metrics', write: true, tag: 'tools',
    summary: 'Pause or resume counting (what is counted stays): to measure what counting costs on one ring.',
    body: { type: 'object', properties: { counting: { type: 'boolean' } }, required: ['counting'] },
    reply: { type: 'object', properties: { counting: { type: 'boolean' } }, required: ['counting'] },
  },
  faults: { method: 'GET', path: '/faults', write: false, tag: 'tools', summary: 'The faults injected on this node (make slow, drop, partition).', reply: plan },
  setFaults: { method: 'PUT', path: '/faults', write: true, tag: 'tools', summary: 'Replace the fault plan: fields left out are off, so {} clears every fault.', body: plan, reply: plan },
  clearFaults: { method: 'DELETE', path: '/faults', write: true, tag: 'tools', summary: 'Clear every fault (make heal).', reply: plan },
  openapi: { method: 'GET', path: '/openapi.json', write: false, tag: 'tools', summary: 'This API as an OpenAPI 3.1 document.', reply: { type: 'object', required: ['openapi', 'paths'] } },
} satisfies Record<string, RouteDoc>

export type ClientRouteName = keyof typeof CLIENT_ROUTES
