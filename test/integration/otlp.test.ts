// Traces out: a ring started with OTEL_EXPORTER_OTLP_ENDPOINT sends every node's spans to a collector
// (here one of the test's own, an HTTP server taking OTLP/JSON), and what arrives from the nodes
// reassembles a lookup's and a store's whole traces, with the right parents, exactly as the nodes' own
// message logs hold them; each span comes from the node that logged it, and /metrics counts the exports.
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { mergeTrace, parseMessages, type Message } from '../../src/node/trace/messages.js'
import { newTrace } from '../../src/workbench/terminal/trace-print.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { hexKey, trueOwner } from './_support.js'

interface Span {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  /** The node that sent it: its resource's service.instance.id. */
  node: string
}

/** A collector: every span posted to /v1/traces, with the node that sent it. */
async function startCollector(t: { after(fn: () => void): void }) {
  const spans: Span[] = []
  const waiting: Array<() => void> = []
  const paths = new Set<string>()
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      paths.add(`${request.method} ${request.url} ${request.headers['content-type']}`)
      type Body = { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Span[] }> }> }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body
      for (const resource of body.resourceSpans) {
        const node = resource.resource.attributes.find((a) => a.key === 'service.instance.id')?.value.stringValue ?? '?'
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, node })
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      for (const wake of waiting.splice(0)) wake()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    spans,
    /** Resolves once `done` holds for what arrived (each POST is a chance), or fails after a while. */
    async until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!done()) {
        const left = deadline - Date.now()
        if (left <= 0) assert.fail(`the collector never received ${what}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiting.push(() => (clearTimeout(timer), resolve()))
        })
      }
    },
  }
}

/** One trace as the ring's message logs hold it, merged (what make trace prints). */
async function logged(net: Testnet, traceId: string): Promise<Message[]> {
  const entries: Message[] = []
  for (const node of net.processes()) entries.push(...parseMessages(((await net.client.http.request(node, 'GET', `/trace?id=${traceId}`)) as { spans: unknown }).spans, 'spans'))
  return mergeTrace(entries)
}

const address = (party: Message['from']) => (party ? `${party.host}:${party.port}` : 'client')

/** The exported spans of a trace as a tree, checked: one root, every parent among them; and the same spans and parents the logs hold. */
function assertSameTrace(exported: Span[], messages: Message[], what: string): void {
  const ids = new Set(exported.map((s) => s.spanId))
  assert.equal(ids.size, exported.length, `${what}: each span exported once`)
  const roots = exported.filter((s) => s.parentSpanId === undefined)
  assert.equal(roots.length, 1, `${what}: one root`)
  for (const span of exported) assert.ok(span.parentSpanId === undefined || ids.has(span.parentSpanId), `${what}: ${span.name}'s parent ${span.parentSpanId} was exported too`)
  const shape = (id: string | null | undefined, name: string, node: string, kind: number) => `${id}→${name} by ${node} (${kind})`
  assert.deepEqual(
    exported.map((s) => shape(s.parentSpanId ?? null, `${s.spanId} ${s.name}`, s.node, s.kind)).sort(),
    messages.map((m) => shape(m.parentId, `${m.spanId} ${m.method} ${m.path}`, m.side === 'sent' ? address(m.from) : address(m.to), m.side === 'sent' ? 3 : 2)).sort(),
    `${what}: the spans exported are the messages logged, each from the node that logged it`,
  )
}

test("a ring with OTEL_EXPORTER_OTLP_ENDPOINT sends its spans to the collector, and they reassemble a lookup's and a store's traces across nodes", async (t) => {
  const collector = await startCollector(t)
  // The nodes the tools spawn inherit the variable, as from make boot OTEL_EXPORTER_OTLP_ENDPOINT=….
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.endpoint
  t.after(() => delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT)
  const net = await startTestnet(t, { nodes: 3, bits: 16 })
  assert.deepEqual(await net.settle(), [])
  const nodes = net.processes()
  const value = 'a value traced out of the ring'
  // Through a node that does not own the value: the operation crosses to the owner, who copies it on.
  const owner = trueOwner(nodes.map((n) => n.id), hexKey(16, value))
  const entry = nodes.find((n) => n.id !== owner)!

  const store = newTrace()
  await net.client.store(entry, value, { traceparent: store.traceparent })
  const lookup = newTrace()
  const found = await net.client.lookup(entry, value, { traceparent: lookup.traceparent })
  assert.equal(found.value, value)

  for (const [what, trace] of [['the store', store], ['the lookup', lookup]] as const) {
    const messages = await logged(net, trace.traceId)
    const exported = () => collector.spans.filter((s) => s.traceId === trace.traceId)
    await collector.until(() => exported().length >= messages.length, `${what}'s ${messages.length} spans`)
    assertSameTrace(exported(), messages, what)
    const parties = new Set(messages.flatMap((m) => [address(m.from), address(m.to)]))
    assert.ok(parties.size >= 3, `${what} reaches another node: ${[...parties].join(' ')}`)
  }
  // The store's copies are sent by the owner: its spans come from more than one node, and fit together.
  const storeNodes = new Set(collector.spans.filter((s) => s.traceId === store.traceId).map((s) => s.node))
  assert.ok(storeNodes.size >= 2, `the store's spans come from ${[...storeNodes].join(', ')}`)
  assert.deepEqual([...collector.paths], ['POST /v1/traces application/json'])

  for (const node of net.processes()) {
    // A node's batch leaves within a second of its spans: wait for it, a few seconds at most.
    const exported = /^chord_otlp_spans_exported_total [1-9]\d*$/m
    let metrics = ''
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      metrics = await (await fetch(`http://${node.host}:${node.port}/metrics`)).text()
      if (exported.test(metrics)) break
    }
    assert.match(metrics, exported, `node ${node.port} counts its exports`)
    assert.match(metrics, /^chord_otlp_spans_dropped_total\{reason="queue_full"\} 0$/m)
  }
})
