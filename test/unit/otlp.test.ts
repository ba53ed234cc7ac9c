// Spans out over OTLP: a message as an OTLP/JSON span (ids, parent, kind, times in nanoseconds,
// attributes, status), the collector's URL from OTEL_EXPORTER_OTLP_ENDPOINT, and the exporter's
// bounded queue against a collector of the test's own: batches arrive, a full queue drops and counts,
// and a collector that is down or too slow costs the batch, never the caller.
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { MessageLog } from '../../src/node/trace/message-log.js'
import type { Message } from '../../src/node/trace/messages.js'
import { otlpSpan, otlpTraces, unixNanos } from '../../src/node/trace/otlp-json.js'
import { SpanExporter, tracesUrl } from '../../src/node/trace/span-export.js'
import { freePort } from '../helpers/free-port.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const a = { id: 'aa', host: '127.0.0.1', port: 5001 }
const b = { id: 'bb', host: '127.0.0.1', port: 5002 }
const source = { id: 'aa', host: '127.0.0.1', port: 5001, version: '1.2.3' }

function message(overrides: Partial<Message> = {}): Message {
  return { traceId: TRACE, spanId: '00f067aa0ba902b7', parentId: '1111111111111111', from: a, to: b, method: 'GET', path: '/route', start: 1_700_000_000_123.25, durationMs: 1.5, status: 200, summary: 'route key 1a2b: next @5002', side: 'sent', ...overrides }
}

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; startTimeUnixNano: string; endTimeUnixNano: string; attributes: Array<{ key: string; value: Record<string, string> }>; status: { code: number; message?: string } }
const attribute = (span: Span, key: string) => span.attributes.find((x) => x.key === key)?.value

describe('a message as an OTLP span', () => {
  test('a sent message: a client span, child of the message it was sent for, timed in nanoseconds', () => {
    const span = otlpSpan(message()) as unknown as Span
    assert.equal(span.traceId, TRACE)
    assert.equal(span.spanId, '00f067aa0ba902b7')
    assert.equal(span.parentSpanId, '1111111111111111')
    assert.equal(span.name, 'GET /route')
    assert.equal(span.kind, 3)
    assert.equal(span.startTimeUnixNano, '1700000000123250000')
    assert.equal(span.endTimeUnixNano, '1700000000124750000')
    assert.deepEqual(attribute(span, 'http.response.status_code'), { intValue: '200' })
    assert.deepEqual(attribute(span, 'server.port'), { intValue: '5002' })
    assert.deepEqual(attribute(span, 'chord.from'), { stringValue: '127.0.0.1:5001' })
    assert.deepEqual(attribute(span, 'chord.summary'), { stringValue: 'route key 1a2b: next @5002' })
    assert.deepEqual(span.status, { code: 0 })
  })

  test("a tool's request logged by its receiver: a server span and the trace's root", () => {
    const span = otlpSpan(message({ side: 'received', parentId: null, from: null, to: a, path: '/lookup', task: undefined })) as unknown as Span
    assert.equal(span.kind, 2)
    assert.equal('parentSpanId' in span, false)
    assert.deepEqual(attribute(span, 'chord.from'), { stringValue: 'client' })
  })

  test('a call that got no answer, or a refusal: an error span naming the code', () => {
    const lost = otlpSpan(message({ status: null, error: 'PEER_TIMEOUT', task: 'stabilize' })) as unknown as Span
    assert.deepEqual(lost.status, { code: 2, message: 'PEER_TIMEOUT' })
    assert.equal(attribute(lost, 'http.response.status_code'), undefined)
    assert.deepEqual(attribute(lost, 'chord.task'), { stringValue: 'stabilize' })
    assert.deepEqual((otlpSpan(message({ status: 409, error: 'NOT_OWNER' })) as unknown as Span).status, { code: 2, message: 'NOT_OWNER' })
  })

  test('an export: one resource (the node) with one scope holding the spans', () => {
    const body = otlpTraces(source, [message(), message({ spanId: '2222222222222222' })]) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string }> }; scopeSpans: Array<{ scope: { name: string }; spans: Span[] }> }> }
    assert.equal(body.resourceSpans.length, 1)
    assert.deepEqual(body.resourceSpans[0]!.resource.attributes.map((x) => x.key), ['service.name', 'service.instance.id', 'service.version', 'chord.node.id'])
    assert.equal(body.resourceSpans[0]!.scopeSpans[0]!.scope.name, 'chord-lab')
    assert.deepEqual(body.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId), ['00f067aa0ba902b7', '2222222222222222'])
    assert.equal(unixNanos(0.001), '1000')
  })

  test("the collector's URL: OTEL_EXPORTER_OTLP_ENDPOINT plus /v1/traces; only http", () => {
    assert.deepEqual(tracesUrl('http://127.0.0.1:4318'), { host: '127.0.0.1', port: 4318, path: '/v1/traces' })
    assert.deepEqual(tracesUrl('http://127.0.0.1:4318/'), { host: '127.0.0.1', port: 4318, path: '/v1/traces' })
    assert.deepEqual(tracesUrl('http://collector/otlp'), { host: 'collector', port: 80, path: '/otlp/v1/traces' })
    assert.deepEqual(tracesUrl('http://[::1]:4318'), { host: '::1', port: 4318, path: '/v1/traces' })
    assert.throws(() => tracesUrl('https://collector:4318'), /http:\/\//)
  })
})

/** A collector of the test's own: records each POST's spans, or holds every request unanswered. */
async function collector(t: TestContext, options: { hold?: boolean } = {}) {
  const posts: Array<{ path: string; type: string | undefined; spans: Span[] }> = []
  const waiting: Array<() => void> = []
  const held: http.ServerResponse[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }
      posts.push({ path: request.url ?? '', type: request.headers['content-type'], spans: body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)) })
      for (const wake of waiting.splice(0)) wake()
      if (options.hold) held.push(response)
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const response of held) response.destroy()
    server.closeAllConnections()
    server.close()
  })
  const spans = () => posts.flatMap((p) => p.spans)
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    spans,
    /** Resolves once at least `n` spans have arrived. */
    async received(n: number): Promise<void> {
      while (spans().length < n) await new Promise<void>((resolve) => waiting.push(resolve))
    },
  }
}

/** Polls a condition the exporter's own timer will make true (its counters change off the caller's path). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the exporter')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const many = (n: number, prefix = 0) => Array.from({ length: n }, (_, i) => message({ spanId: (prefix + i).toString(16).padStart(16, '0') }))

describe('the OTLP exporter', () => {
  test('a full batch goes at once, the rest on the interval, to {endpoint}/v1/traces as JSON', async (t) => {
    const sink = await collector(t)
    const exporter = new SpanExporter({ endpoint: sink.endpoint, source, batchSize: 4, intervalMs: 50 })
    t.after(() => exporter.stop(0))
    for (const m of many(6)) exporter.offer(m)
    await sink.received(6)
    assert.deepEqual(sink.posts.map((p) => p.spans.length), [4, 2])
    assert.deepEqual(sink.posts.map((p) => p.path), ['/v1/traces', '/v1/traces'])
    assert.equal(sink.posts[0]!.type, 'application/json')
    assert.deepEqual(sink.spans().map((s) => s.spanId), many(6).map((m) => m.spanId))
    await until(() => exporter.stats().exported === 6)
    assert.deepEqual(exporter.stats(), { queued: 0, exported: 6, droppedQueueFull: 0, droppedExportFailed: 0 })
  })

  test('the message log hands each message it records to its sink, and none while paused', async (t) => {
    const sink = await collector(t)
    const exporter = new SpanExporter({ endpoint: sink.endpoint, source, batchSize: 2, intervalMs: 50 })
    t.after(() => exporter.stop(0))
    const log = new MessageLog(10)
    log.sink = exporter
    log.record(message({ spanId: 'a'.repeat(16) }))
    log.paused = true
    log.record(message({ spanId: 'b'.repeat(16) }))
    log.paused = false
    log.record(message({ spanId: 'c'.repeat(16) }))
    await sink.received(2)
    assert.deepEqual(sink.spans().map((s) => s.spanId), ['a'.repeat(16), 'c'.repeat(16)])
  })

  test('a collector that never answers: the queue fills and drops what does not fit, counted; offering never waits', async (t) => {
    const sink = await collector(t, { hold: true })
    const exporter = new SpanExporter({ endpoint: sink.endpoint, source, batchSize: 5, maxQueue: 10, intervalMs: 20, timeoutMs: 300 })
    t.after(() => exporter.stop(0))
    for (const m of many(5)) exporter.offer(m)
    await sink.received(5) // the first batch is out, and held
    const started = performance.now()
    for (const m of many(30, 100)) exporter.offer(m)
    assert.ok(performance.now() - started < 50, 'offering 30 spans took no time')
    assert.deepEqual(exporter.stats(), { queued: 10, exported: 0, droppedQueueFull: 20, droppedExportFailed: 0 })
    // The held batch times out: its spans count as failed, and the next batch goes.
    await until(() => exporter.stats().droppedExportFailed >= 5)
    assert.equal(exporter.stats().exported, 0)
  })

  test('a collector that is down: every batch fails and is counted, nothing piles up', async (t) => {
    const port = await freePort()
    const exporter = new SpanExporter({ endpoint: `http://127.0.0.1:${port}`, source, batchSize: 4, maxQueue: 8, intervalMs: 20 })
    t.after(() => exporter.stop(0))
    for (const m of many(8)) exporter.offer(m)
    await until(() => exporter.stats().droppedExportFailed === 8)
    assert.deepEqual(exporter.stats(), { queued: 0, exported: 0, droppedQueueFull: 0, droppedExportFailed: 8 })
  })

  test('stopping sends what is still queued', async (t) => {
    const sink = await collector(t)
    const exporter = new SpanExporter({ endpoint: sink.endpoint, source, intervalMs: 60_000 })
    for (const m of many(3)) exporter.offer(m)
    await exporter.stop(2000)
    assert.equal(sink.spans().length, 3)
    exporter.offer(message())
    assert.equal(exporter.stats().queued, 0, 'a stopped exporter takes nothing more')
  })
})
