// The metrics' pure parts: Prometheus' text exposition format (escaping, counters, cumulative histogram
// buckets with +Inf, _sum and _count), the bounded route labels, the ring-size estimate, and the
// counting wrappers around dispatch and the Transport.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtError } from '../../src/node/errors.js'
import { escapeHelp, escapeLabelValue, formatValue, OTEL_DURATION_BUCKETS_S, Registry } from '../../src/node/metrics/exposition.js'
import { MetricsTransport } from '../../src/node/metrics/metrics-transport.js'
import { estimateRingSize, methodLabel, NodeMetrics, routeLabel } from '../../src/node/metrics/node-metrics.js'
import { metricsWrapper } from '../../src/node/metrics/server-metrics.js'
import { IdSpace } from '../../src/node/ring.js'
import type { IncomingRequest, Reply } from '../../src/node/server/json-server.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

/** Every line of an exposition: a comment (# HELP / # TYPE) or one sample, `name{labels} value`. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\\\|\\"|\\n|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\\\|\\"|\\n|[^"\\\n])*")*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/
const COMMENT = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/

function assertWellFormed(text: string): void {
  assert.ok(text.endsWith('\n'), 'an exposition ends in a line feed')
  for (const line of text.slice(0, -1).split('\n')) assert.ok(SAMPLE.test(line) || COMMENT.test(line), `a well-formed line: ${JSON.stringify(line)}`)
}

/** The samples of an exposition by their name and labels as written: `name{a="b"}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    const value = line.slice(at + 1)
    out.set(line.slice(0, at), value === '+Inf' ? Infinity : Number(value))
  }
  return out
}

describe('the text exposition format', () => {
  test('HELP escapes a backslash and a line feed; a label value also a double quote', () => {
    assert.equal(escapeHelp('a \\ b\nc "d"'), 'a \\\\ b\\nc "d"')
    assert.equal(escapeLabelValue('a \\ b\nc "d"'), 'a \\\\ b\\nc \\"d\\"')
    const registry = new Registry()
    registry.counter('odd_total', 'two\nlines and a \\', ['path']).labels('/x"y\\z\n').inc()
    const text = registry.render()
    assert.equal(text, '# HELP odd_total two\\nlines and a \\\\\n# TYPE odd_total counter\nodd_total{path="/x\\"y\\\\z\\n"} 1\n')
    assertWellFormed(text)
  })

  test('values: integers and decimals as they are, NaN and the infinities as Go writes them', () => {
    assert.equal(formatValue(3), '3')
    assert.equal(formatValue(0.25), '0.25')
    assert.equal(formatValue(NaN), 'NaN')
    assert.equal(formatValue(Infinity), '+Inf')
    assert.equal(formatValue(-Infinity), '-Inf')
  })

  test('a counter: named …_total, counts up per label set, never down', () => {
    const registry = new Registry()
    assert.throws(() => registry.counter('requests', 'no suffix'), /_total/)
    const counter = registry.counter('requests_total', 'requests', ['route', 'status'])
    counter.labels('/lookup', '200').inc()
    counter.labels('/lookup', '200').inc(2)
    counter.labels('/lookup', '404').inc()
    assert.throws(() => counter.labels('/lookup', '200').inc(-1), /only goes up/)
    assert.throws(() => counter.labels('/lookup'), /takes 2 label values/)
    const text = registry.render()
    assertWellFormed(text)
    assert.deepEqual([...samples(text)], [
      ['requests_total{route="/lookup",status="200"}', 3],
      ['requests_total{route="/lookup",status="404"}', 1],
    ])
  })

  test("a histogram's buckets are cumulative, an observation on a bound counts in it, and +Inf, _sum and _count close it", () => {
    const registry = new Registry()
    const histogram = registry.histogram('request_duration_seconds', 'durations', ['route'], [0.1, 1, 10])
    for (const seconds of [0.05, 0.1, 0.5, 3, 20]) histogram.labels('/get').observe(seconds)
    const text = registry.render()
    assertWellFormed(text)
    assert.match(text, /^# HELP request_duration_seconds durations\n# TYPE request_duration_seconds histogram\n/)
    assert.deepEqual([...samples(text)], [
      ['request_duration_seconds_bucket{route="/get",le="0.1"}', 2],
      ['request_duration_seconds_bucket{route="/get",le="1"}', 3],
      ['request_duration_seconds_bucket{route="/get",le="10"}', 4],
      ['request_duration_seconds_bucket{route="/get",le="+Inf"}', 5],
      ['request_duration_seconds_sum{route="/get"}', 23.65],
      ['request_duration_seconds_count{route="/get"}', 5],
    ])
  })

  test("the duration histogram's default buckets are OpenTelemetry's advised ones", () => {
    assert.deepEqual([...OTEL_DURATION_BUCKETS_S], [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10])
    const registry = new Registry()
    registry.histogram('d_seconds', 'd', []).labels().observe(0.2)
    const counts = [...samples(registry.render())].filter(([name]) => name.includes('_bucket')).map(([, value]) => value)
    assert.equal(counts.length, OTEL_DURATION_BUCKETS_S.length + 1)
    assert.deepEqual(counts, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  test('names, labels and bounds are checked when a family is made', () => {
    const registry = new Registry()
    assert.throws(() => registry.gauge('2bad', 'x'), /metric name/)
    assert.throws(() => registry.gauge('ok', 'x', ['bad-label']), /label name/)
    assert.throws(() => registry.gauge('ok2', 'x', ['__reserved']), /label name/)
    assert.throws(() => registry.histogram('h_seconds', 'x', ['le']), /le/)
    assert.throws(() => registry.histogram('h2_seconds', 'x', [], [1, 1]), /increasing/)
    registry.gauge('twice', 'x')
    assert.throws(() => registry.gauge('twice', 'x'), /twice/)
  })

  test('families render in the order they were made; one with no samples yet still says what it is', () => {
    const registry = new Registry()
    registry.gauge('b', 'second').labels().set(-2.5)
    registry.counter('a_total', 'first')
    assert.equal(registry.render(), '# HELP b second\n# TYPE b gauge\nb -2.5\n# HELP a_total first\n# TYPE a_total counter\n')
  })
})

describe('labels and estimates', () => {
  test('routes are the API\'s declared paths, anything else one label; methods likewise', () => {
    assert.equal(routeLabel('/lookup'), '/lookup')
    assert.equal(routeLabel('/metrics'), '/metrics')
    assert.equal(routeLabel('/route'), '/route')
    assert.equal(routeLabel('/wp-admin/../etc/passwd'), 'other')
    assert.equal(methodLabel('POST'), 'POST')
    assert.equal(methodLabel('PROPFIND'), 'other')
  })

  test("the ring's size from the successor list's spacing: exact on an evenly spaced ring, whole when the list is cut short by the ring", () => {
    const space = new IdSpace(16)
    const ids = Array.from({ length: 16 }, (_, i) => BigInt(i * 4096 + 7))
    assert.equal(estimateRingSize(space, ids[0]!, ids[15]!, [ids[1]!, ids[2]!, ids[3]!], 3), 16)
    assert.equal(estimateRingSize(space, ids[0]!, null, [ids[1]!, ids[2]!, ids[3]!], 3), 16)
    // Alone, or a ring smaller than the list: the list ends at this node.
    assert.equal(estimateRingSize(space, ids[0]!, null, [ids[0]!], 3), 1)
    assert.equal(estimateRingSize(space, ids[0]!, ids[1]!, [ids[1]!], 3), 2)
    // Bunched-up neighbours say more nodes, never fewer than it sees.
    assert.equal(estimateRingSize(space, 0n, 65535n, [1n, 2n, 3n], 3), 65536)
    assert.equal(estimateRingSize(space, 0n, 32768n, [16384n, 30000n, 32767n], 3), 4)
  })
})

/** A request as the server's wrappers see it. */
function request(method: string, path: string): IncomingRequest {
  return { method, path, query: new URLSearchParams(), headers: {}, readBody: async () => undefined }
}

describe('counting around dispatch and the Transport', () => {
  test('the server wrapper counts each answer by method, route and status, and times it; paused, it counts nothing', async () => {
    const metrics = new NodeMetrics()
    const dispatch = metricsWrapper(metrics)(async (r): Promise<Reply> => (r.path === '/lookup' ? { body: { ok: true } } : { status: 404, body: { error: 'no', code: 'UNKNOWN_ROUTE' } }))
    await dispatch(request('GET', '/lookup'))
    await dispatch(request('GET', '/lookup'))
    await dispatch(request('GET', '/no/such/thing'))
    metrics.counting = false
    await dispatch(request('GET', '/lookup'))
    const text = await metrics.render()
    assertWellFormed(text)
    const seen = samples(text)
    assert.equal(seen.get('chord_requests_total{method="GET",route="/lookup",status="200"}'), 2)
    assert.equal(seen.get('chord_requests_total{method="GET",route="other",status="404"}'), 1)
    assert.equal(seen.get('chord_request_duration_seconds_count{method="GET",route="/lookup"}'), 2)
    assert.equal(seen.get('chord_request_duration_seconds_bucket{method="GET",route="/lookup",le="+Inf"}'), 2)
  })

  test('the Transport wrapper counts calls by route and status, and peer failures by reason', async () => {
    const metrics = new NodeMetrics()
    const [up, slow, gone] = [peer(1), peer(2), peer(3)]
    const inner = new ScriptedTransport()
      .on('get', (to) => {
        if (to === up) return { records: [], predecessor: null }
        throw new DhtError('NOT_OWNER', 'not mine')
      })
      .down(slow, 'PEER_TIMEOUT')
      .down(gone, 'PEER_UNREACHABLE')
    const transport = new MetricsTransport(inner, metrics)
    await transport.call(up, 'get', { key: 1n })
    await assert.rejects(transport.call(peer(4), 'get', { key: 1n }), /not mine/)
    await assert.rejects(transport.call(slow, 'ping', {}), /PEER_TIMEOUT/)
    await assert.rejects(transport.within({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), headers: {} }).call(gone, 'ping', {}), /PEER_UNREACHABLE/)
    const seen = samples(await metrics.render())
    assert.equal(seen.get('chord_calls_total{method="GET",route="/get",status="200"}'), 1)
    assert.equal(seen.get('chord_calls_total{method="GET",route="/get",status="409"}'), 1)
    assert.equal(seen.get('chord_calls_total{method="GET",route="/ping",status="no_answer"}'), 2)
    assert.equal(seen.get('chord_peer_failures_total{method="GET",route="/ping",reason="timeout"}'), 1)
    assert.equal(seen.get('chord_peer_failures_total{method="GET",route="/ping",reason="unreachable"}'), 1)
    assert.equal(seen.get('chord_call_duration_seconds_count{method="GET",route="/get"}'), 2)
  })

  test('maintenance rounds are counted by task and outcome; the process is described too', async () => {
    const metrics = new NodeMetrics()
    metrics.round('stabilize', 'quiet')
    metrics.round('stabilize', 'quiet')
    metrics.round('fix_fingers', 'failed')
    const text = await metrics.render()
    assertWellFormed(text)
    const seen = samples(text)
    assert.equal(seen.get('chord_maintenance_rounds_total{task="stabilize",outcome="quiet"}'), 2)
    assert.equal(seen.get('chord_maintenance_rounds_total{task="fix_fingers",outcome="failed"}'), 1)
    assert.ok(seen.get('process_resident_memory_bytes')! > 0)
    assert.ok(seen.get('process_cpu_seconds_total')! > 0)
  })
})
