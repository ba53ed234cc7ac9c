// Faults injected into real node processes: a ring booted with DELAY_MS takes at least hops × delay per
// lookup (and its traced messages show the delay); make partition cuts two sides apart so that a write
// on each side reaches only its side and every call across fails, make heal clears it; make slow holds
// every request to that node; make drop reaches every node; bad arguments are refused by name, and the
// fault routes are writes like any other (401 without the secret, 400 for a bad plan).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { isDhtError } from '../../src/node/errors.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { sleep } from '../../src/tools/ring-ops.js'
import { isHealthy, NO_FAULTS } from '../../src/node/faults/plan.js'
import { parseMessages } from '../../src/node/trace/messages.js'
import { HttpClient } from '../../src/node/transport/http-client.js'
import type { Json } from '../../src/node/wire.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { makeValues, pick, replayHint, testRandom } from './_support.js'

const address = (p: { host: string; port: number }) => `${p.host}:${p.port}`

async function messagesOf(net: Testnet, node: ProcessRecord, since: number) {
  const reply = (await net.client.http.request(node, 'GET', `/messages?since=${since}`)) as { messages: unknown }
  return parseMessages(reply.messages, 'messages')
}

/** Retries `work` until it succeeds or `ms` have passed (a side repairing itself refuses a few writes first). */
async function eventually<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      return await work()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await sleep(100)
    }
  }
}

test('DELAY_MS: a lookup over k hops takes at least k × DELAY_MS, and the traced messages show the delay', async (t) => {
  const DELAY_MS = 40
  const net = await startTestnet(t, { nodes: 8, delayMs: DELAY_MS, stabilizeMs: 200, fingerMs: 600 })
  for (const p of net.processes()) assert.deepEqual(await net.client.faults(p), { ...NO_FAULTS, delayMs: DELAY_MS }, 'every node starts with the ring\'s delay')
  assert.deepEqual(await net.settle(30_000), [], 'the ring settles with the delay')
  const values = makeValues('delay', 6)
  for (const value of values) await net.client.store(pick(net.processes()), value)
  const since = Date.now()
  const samples: Array<{ what: string; hops: number; ms: number }> = []
  const timed = async (what: string, run: () => Promise<{ hops: number }>) => {
    const start = performance.now()
    const { hops } = await run()
    samples.push({ what, hops, ms: performance.now() - start })
  }
  for (let i = 0; i < 12; i++) {
    const value = pick(values)
    await timed(`lookup "${value}"`, () => net.client.lookup(pick(net.processes()), value))
  }
  // Linear routing walks successor by successor: routes of several hops.
  for (let i = 0; i < 6; i++) {
    const id = Array.from({ length: 40 }, () => '0123456789abcdef'[testRandom().int(16)]).join('')
    await timed(`findnode ${id.slice(0, 8)} linear`, () => net.client.findNode(pick(net.processes()), id, 'linear'))
  }
  for (const s of samples) assert.ok(s.ms >= s.hops * DELAY_MS, `${s.what}: ${s.hops} hops in ${s.ms.toFixed(1)} ms, under ${s.hops} × ${DELAY_MS} ms (${replayHint})`)
  assert.ok(samples.some((s) => s.hops >= 2), `some routes of 2 hops or more: ${samples.map((s) => s.hops).join(' ')}`)
  t.diagnostic(samples.map((s) => `${s.hops} hops ${s.ms.toFixed(0)} ms`).join(', '))
  // Each node-to-node message the entry nodes sent lasted at least the delay.
  let sent = 0
  for (const node of net.processes()) {
    for (const m of await messagesOf(net, node, since)) {
      if (m.side !== 'sent' || m.to === null || m.to.port === node.port) continue
      sent++
      assert.ok(m.durationMs >= DELAY_MS - 0.01, `${m.summary}: ${m.durationMs} ms`)
    }
  }
  assert.ok(sent > 0)
})

test('make partition: a write on each side reaches only its side, every call across fails; make heal clears every fault', async (t) => {
  const net = await startTestnet(t, { nodes: 6 })
  assert.deepEqual(await net.settle(), [], 'one ring first')
  const nodes = net.processes()
  const side = [...nodes].sort(() => testRandom().next() - 0.5).slice(0, 3)
  const rest = nodes.filter((n) => !side.includes(n))
  const cut = await net.runScript('partition', { PORTS: side.map((n) => n.port).join(',') })
  assert.equal(cut.code, 0, cut.stderr)
  // From here on every node has its plan: what a node sends from now is sent under the partition.
  const since = Date.now()
  assert.match(cut.stdout, /✔ partitioned: (@\d+ ?){3} \(3 nodes\) and (@\d+ ?){3} \(3 nodes\) cannot reach each other; tools still reach every node/)
  for (const node of nodes) {
    const other = side.includes(node) ? rest : side
    assert.deepEqual((await net.client.faults(node)).blocked.sort(), other.map(address).sort(), `@${node.port} blocks the other side`)
  }

  for (const [mine, theirs] of [
    [side, rest],
    [rest, side],
  ] as const) {
    const value = makeValues(`side of @${mine[0]!.port}`, 1)[0]!
    // Until the side has repaired itself into its own ring, a write may find its owner cut off.
    const stored = await eventually(15_000, () => net.client.store(pick(mine), value))
    const ports = new Set(mine.map((n) => n.port))
    assert.ok(ports.has(stored.node.port), `stored on its own side, at @${stored.node.port}`)
    assert.ok(stored.path.every((p) => ports.has(p.port)), `routed within its side: ${stored.path.map((p) => p.port).join(' ')}`)
    // Its copies spread over its side (3 nodes, r = 3) and never past it.
    const holders = async () => {
      const holding: number[] = []
      for (const node of nodes) if ((await net.client.content(node)).entries.some((e) => e.value === value)) holding.push(node.port)
      return holding
    }
    let held = await holders()
    for (const deadline = Date.now() + 15_000; held.length < mine.length && Date.now() < deadline; held = await holders()) await sleep(net.settings.stabilizeMs)
    assert.deepEqual(held.sort(), [...ports].sort(), `"${value}" is on every node of its side and nowhere else`)
    assert.ok(theirs.every((n) => !held.includes(n.port)))
  }

  // What the nodes sent across the partition all failed as a partition fails: unreachable, at once.
  let across = 0
  for (const node of nodes) {
    const other = new Set((side.includes(node) ? rest : side).map((n) => n.port))
    for (const m of await messagesOf(net, node, since)) {
      if (m.side !== 'sent' || m.to === null || !other.has(m.to.port)) continue
      across++
      assert.equal(m.error, 'PEER_UNREACHABLE', `@${node.port} → @${m.to.port}: ${m.summary}`)
    }
  }
  assert.ok(across > 0, 'the nodes kept trying the other side')

  const healed = await net.runScript('heal')
  assert.equal(healed.code, 0, healed.stderr)
  assert.match(healed.stdout, /✔ healed 6 nodes: partition lifted on 6/)
  for (const node of nodes) assert.ok(isHealthy(await net.client.faults(node)), `@${node.port} has no fault left`)
})

test('make slow holds every request to that node; make drop reaches every node; bad arguments are refused by name; PUT /faults is a write', async (t) => {
  const net = await startTestnet(t, { nodes: 4 })
  const nodes = net.processes()
  const slow = pick(nodes)
  const SLOW_MS = 300

  const slowed = await net.runScript('slow', { PORT: String(slow.port), MS: String(SLOW_MS) })
  assert.equal(slowed.code, 0, slowed.stderr)
  assert.match(slowed.stdout, new RegExp(`✔ [0-9a-f]{8}@${slow.port} is slow: it holds every request it handles ${SLOW_MS} ms`))
  for (const request of [() => net.client.nodeInfo(slow), () => net.client.content(slow), () => net.client.http.request(slow, 'GET', '/ping')]) {
    const start = performance.now()
    await request()
    const ms = performance.now() - start
    assert.ok(ms >= SLOW_MS, `a request to the slow node took ${ms.toFixed(1)} ms`)
  }

  const dropped = await net.runScript('drop', { RATE: '0.25' })
  assert.equal(dropped.code, 0, dropped.stderr)
  assert.match(dropped.stdout, /✔ 4 nodes now lose 25 % of their calls to other nodes: a lost call costs its caller 2000 ms, then it is sent again; store, lookup and delete wait up to 10000 ms/)
  for (const node of nodes) {
    const plan = await net.client.faults(node)
    assert.equal(plan.dropRate, 0.25)
    assert.equal(plan.slowMs, node === slow ? SLOW_MS : 0, 'the other faults stay as they were')
  }
  const healed = await net.runScript('heal')
  assert.match(healed.stdout, /✔ healed 4 nodes: drops stopped on 4, slowness ended on 1/)
  const again = await net.runScript('heal')
  assert.match(again.stdout, /✔ nothing to heal: no faults on any of the 4 nodes/)

  const ports = nodes.map((n) => n.port)
  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['slow', { MS: 'abc' }, /MS must be a whole number from 0 to 60000, got "abc"/],
    ['slow', { PORT: '99999' }, /PORT must be from 1 to 65535, got 99999/],
    ['slow', { PORT: '1' }, /no node of this ring runs on port 1/],
    ['drop', {}, /RATE is required, e\.g\. make drop RATE=0\.1/],
    ['drop', { RATE: '1.5' }, /RATE must be from 0 to 1, got 1\.5/],
    ['partition', {}, /PORTS is required/],
    ['partition', { PORTS: 'abc' }, /PORTS must be ports of the ring separated by commas/],
    ['partition', { PORTS: `${ports[0]},1` }, /PORTS: 1 is not a node of the ring/],
    ['partition', { PORTS: ports.join(',') }, /PORTS: a partition needs at least one node on each side; these are all 4 nodes/],
  ]
  for (const [script, env, message] of refusals) {
    const run = await net.runScript(script, env)
    assert.notEqual(run.code, 0, `make ${script} ${JSON.stringify(env)} is refused`)
    assert.match(run.stderr, message)
  }
  for (const node of nodes) assert.ok(isHealthy(await net.client.faults(node)), 'nothing refused changed a node')

  // The routes themselves: reads open, writes need the secret, a bad plan is a 400 naming the field.
  const stranger = new HttpClient()
  t.after(() => stranger.close())
  const node = pick(nodes)
  const code = async (call: Promise<unknown>) => call.then(() => 'OK', (error: unknown) => (isDhtError(error) ? error.code : String(error)))
  assert.equal(await code(stranger.request(node, 'GET', '/faults')), 'OK')
  assert.equal(await code(stranger.request(node, 'PUT', '/faults', { slowMs: 10 })), 'UNAUTHORIZED')
  assert.equal(await code(stranger.request(node, 'PUT', '/faults', {})), 'UNAUTHORIZED')
  assert.equal(await code(stranger.request(node, 'DELETE', '/faults')), 'UNAUTHORIZED')
  const badPlans: Json[] = [{ dropRate: 7 }, { delayMs: 'soon' }, { blocked: 'everyone' }, { typo: 1 }, []]
  for (const body of badPlans) {
    assert.equal(await code(net.client.http.request(node, 'PUT', '/faults', body)), 'BAD_REQUEST', JSON.stringify(body))
  }
  assert.deepEqual(await net.client.http.request(node, 'PUT', '/faults', { jitterMs: 3 }), { ...NO_FAULTS, jitterMs: 3 })
  assert.deepEqual(await net.client.http.request(node, 'PUT', '/faults', {}), NO_FAULTS, '{} clears every fault')
})
