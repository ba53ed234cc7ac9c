// Metrics on real node processes, read by the real tools: promtool accepts every node's /metrics, and a
// real Prometheus (Debian's) scrapes a 3-node ring and answers a query with what the ring did; make
// prometheus starts one and make killall stops it. No Prometheus installed is a failure that says why.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseNodeFlags } from '../../src/node/flags.js'
import { startNode } from '../../src/node/start.js'
import { isAlive } from '../../src/tools/network-state.js'
import { endPrometheus, PrometheusFiles, prometheusUrl, queryPrometheus, runningPrometheus, startPrometheus, type PrometheusRecord, writeScrapeFiles } from '../../src/tools/prometheus.js'
import { runCaptured } from '../helpers/run-captured.js'
import { startTestnet } from '../helpers/testnet.js'
import { makeValues } from './_support.js'

const INSTALLER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/install-prometheus.sh')

/** prometheus and promtool, as make test installed them; missing, the test fails with the installer's reason. */
async function prometheusPrograms(): Promise<{ prometheus: string; promtool: string }> {
  const found = await runCaptured('bash', [INSTALLER, '--print'], process.env)
  if (found.code !== 0) assert.fail(`this test needs Prometheus (make test installs it): ${found.stderr.trim()}`)
  const [prometheus, promtool] = found.stdout.trim().split('\n')
  return { prometheus: prometheus!, promtool: promtool! }
}

/** `promtool check metrics` on one exposition: its exit code and whatever it complained of. */
function promtoolCheck(promtool: string, exposition: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => resolve({ code: code ?? -1, output }))
    child.stdin.end(exposition)
  })
}

/** Asks Prometheus until the query's one value satisfies `wanted` (it scrapes every second), or fails saying what it last saw. */
async function eventually(url: string, query: string, wanted: (value: number) => boolean, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  while (Date.now() < deadline) {
    const samples = await queryPrometheus(url, query)
    if (samples.length === 1 && wanted(samples[0]!.value)) return samples[0]!.value
    last = JSON.stringify(samples)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  assert.fail(`Prometheus never answered ${query} as wanted; last: ${last}`)
}

test('promtool accepts every node\'s /metrics, and a real Prometheus scraping the ring answers with what it did', async (t) => {
  const { prometheus, promtool } = await prometheusPrograms()
  const net = await startTestnet(t, { nodes: 3 })
  const [first] = net.processes()
  const values = makeValues('metrics', 10)
  for (const value of values) await net.client.store(first!, value)
  for (const value of [...values, ...values]) await net.client.lookup(first!, value)
  await net.client.lookup(first!, 'never stored').catch(() => undefined)

  for (const node of net.processes()) {
    const response = await fetch(`http://${node.host}:${node.port}/metrics`)
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
    const exposition = await response.text()
    assert.match(exposition, /^# HELP chord_requests_total /)
    const checked = await promtoolCheck(promtool, exposition)
    assert.deepEqual(checked, { code: 0, output: '' }, `promtool check metrics on node ${node.port}`)
  }

  const files = new PrometheusFiles(net.dir)
  writeScrapeFiles(files, net.processes(), 1)
  const started = await startPrometheus(files, { program: prometheus })
  // By its pid: the ring's own cleanup, which runs first, removes the state directory with the record.
  t.after(() => endPrometheus(started))
  const url = prometheusUrl(started)
  assert.equal(await eventually(url, 'count(up{job="chord"} == 1)', (n) => n === 3), 3)
  // What the ring did, read back through Prometheus: first's lookups by status, every copy of every value.
  assert.equal(await eventually(url, `sum(chord_requests_total{route="/lookup",status="200",instance="${first!.host}:${first!.port}"})`, (n) => n === 20), 20)
  assert.equal(await eventually(url, `sum(chord_requests_total{route="/lookup",status="404"})`, (n) => n === 1), 1)
  assert.equal(await eventually(url, 'sum(chord_values)', (n) => n === 3 * values.length), 3 * values.length)
  assert.equal(await eventually(url, `chord_node_info{node_id="${first!.id}"}`, (n) => n === 1), 1)
  assert.equal(await eventually(url, 'max(chord_ring_size_estimate)', (n) => n === 3), 3)
  assert.ok((await eventually(url, 'sum(chord_request_duration_seconds_count)', (n) => n > 0)) > 0)
})

test('make prometheus writes the targets and starts Prometheus; run again it only refreshes them; make killall stops it', async (t) => {
  await prometheusPrograms()
  const net = await startTestnet(t, { nodes: 2 })
  const files = new PrometheusFiles(net.dir)
  let started: PrometheusRecord | undefined
  t.after(() => started && endPrometheus(started))
  const run = await net.runScript('prometheus')
  const record = (started = runningPrometheus(files))
  assert.equal(run.code, 0, run.stderr)
  assert.ok(record, 'the Prometheus make prometheus started is recorded in the state directory')
  assert.match(run.stdout, new RegExp(`Prometheus at ${prometheusUrl(record).replace(/\./g, '\\.')} \\(pid ${record.pid}\\) scrapes 2 nodes`))
  assert.ok(record.port > 0 && record.host === '127.0.0.1')
  assert.deepEqual((await queryPrometheus(prometheusUrl(record), 'vector(1)')).map((s) => s.value), [1])

  await net.add()
  const again = await net.runScript('prometheus')
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /already runs at .* it now scrapes 3 nodes/)
  assert.equal(runningPrometheus(files)?.pid, record.pid)
  assert.equal(await eventually(prometheusUrl(record), 'count(up{job="chord"})', (n) => n === 3), 3)

  const killed = await net.runScript('killall')
  assert.equal(killed.code, 0, killed.stderr)
  assert.match(killed.stdout, new RegExp(`stopped Prometheus \\(pid ${record.pid}\\)`))
  assert.equal(isAlive(record.pid), false)
  assert.equal(runningPrometheus(files), undefined)
})

test('PUT /metrics pauses and resumes counting; METRICS=0: no counting and no /metrics at all', async (t) => {
  const counted = await startNode(parseNodeFlags(['--port=0']))
  t.after(() => counted.stop())
  const at = `http://127.0.0.1:${counted.boundPort}`
  const put = (body: unknown) => fetch(`${at}/metrics`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const pings = async () => Number(/^chord_requests_total\{method="GET",route="\/ping",status="200"\} (\d+)$/m.exec(await (await fetch(`${at}/metrics`)).text())?.[1] ?? 0)
  const refused = await put({ counting: 'yes' })
  assert.equal(refused.status, 400)
  assert.deepEqual(await refused.json(), { error: 'counting must be true or false', code: 'BAD_REQUEST' })
  await fetch(`${at}/ping`)
  assert.equal(await pings(), 1)
  assert.deepEqual(await (await put({ counting: false })).json(), { counting: false })
  await fetch(`${at}/ping`)
  assert.equal(await pings(), 1, 'paused: the ping is not counted')
  assert.deepEqual(await (await put({ counting: true })).json(), { counting: true })
  await fetch(`${at}/ping`)
  assert.equal(await pings(), 2)

  const uncounted = await startNode(parseNodeFlags(['--port=0', '--metrics=0']))
  t.after(() => uncounted.stop())
  for (const method of ['GET', 'PUT']) {
    const response = await fetch(`http://127.0.0.1:${uncounted.boundPort}/metrics`, { method, ...(method === 'PUT' ? { body: '{"counting":true}' } : {}) })
    assert.equal(response.status, 404)
    assert.deepEqual(await response.json(), { error: 'this ring counts nothing: it was booted with METRICS=0', code: 'NOT_FOUND' })
  }
})
