// make monitor ONCE=1 [JSON=1]: one frame of the ring, and a node killed behind its back shown as
// not answering rather than crashing the monitor.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAlive } from '../../src/tools/network-state.js'
import { sleep } from '../../src/tools/ring-ops.js'
import { startTestnet } from '../helpers/testnet.js'
import { makeValues, pick, storeAll } from './_support.js'

delete process.env.ONCE
delete process.env.JSON

interface MonitorJson {
  healthy: boolean
  problems: string[]
  broken: string[]
  settling: string[]
  replicas: number
  routeMode: string
  nodes: Array<{ port: number; id: string; error: string | null; info: unknown; entries: unknown[] }>
}

test('make monitor ONCE=1: a line per node and a healthy line; JSON=1 parses; a killed node is reported, not fatal', async (t) => {
  const net = await startTestnet(t, { nodes: 5 })
  await storeAll(net, makeValues('monitor', 20))
  assert.deepEqual(await net.settle(), [])
  const ports = net.processes().map((p) => p.port)

  const frame = await net.runScript('monitor', { ONCE: '1' })
  assert.equal(frame.code, 0, `monitor exits 0\n${frame.stdout}${frame.stderr}`)
  const lines = frame.stdout.split('\n')
  for (const p of net.processes()) {
    // The node's own row starts with its short id and its port (other rows may name it as a neighbour).
    const rows = lines.filter((l) => new RegExp(`^\\s*${p.id.slice(0, 8)}\\s+${p.port}\\b`).test(l))
    assert.equal(rows.length, 1, `one line for @${p.port}:\n${frame.stdout}`)
  }
  assert.ok(lines.some((l) => /healthy/.test(l)), `a healthy line:\n${frame.stdout}`)
  assert.match(frame.stdout, /5 nodes/)
  assert.match(frame.stdout, /routing by fingers/, 'the header names the routing mode')
  assert.equal(frame.stderr.trim(), '', 'nothing on stderr')

  const json = await net.runScript('monitor', { ONCE: '1', JSON: '1' })
  assert.equal(json.code, 0, json.stderr)
  const parsed = JSON.parse(json.stdout) as MonitorJson
  assert.equal(parsed.nodes.length, 5)
  assert.equal(parsed.routeMode, 'fingers')
  assert.equal(parsed.healthy, true, parsed.problems.join('; '))
  assert.deepEqual(parsed.problems, [])
  assert.deepEqual([parsed.broken, parsed.settling], [[], []], 'classified as make check classifies')
  assert.deepEqual(parsed.nodes.map((n) => n.port).sort(), [...ports].sort())
  assert.ok(parsed.nodes.every((n) => n.error === null && n.info !== null))
  assert.equal(parsed.nodes.reduce((sum, n) => sum + n.entries.length, 0), 20 * 3, '20 values, 3 copies each')

  // SIGKILL one node behind the tools' back: the state still lists it.
  const victim = pick(net.processes())
  process.kill(victim.pid, 'SIGKILL')
  for (let i = 0; i < 100 && isAlive(victim.pid); i++) await sleep(10)
  assert.ok(!isAlive(victim.pid))
  assert.ok(net.processes().some((p) => p.pid === victim.pid), 'the state still lists the killed node')

  const after = await net.runScript('monitor', { ONCE: '1' })
  for (const line of `${after.stdout}${after.stderr}`.split('\n').filter((l) => l.includes(String(victim.port)))) {
    t.diagnostic(`monitor after SIGKILL of @${victim.port}: ${line.trim()}`)
  }
  assert.equal(after.code, 0, `monitor still exits 0\n${after.stdout}${after.stderr}`)
  const output = `${after.stdout}\n${after.stderr}`
  const about = output.split('\n').filter((l) => new RegExp(`\\b${victim.port}\\b`).test(l))
  assert.ok(
    about.some((l) => /not running|no longer running|does not answer|not answering|unreachable|ECONNREFUSED/i.test(l)),
    `the output says @${victim.port} is not answering:\n${output}`,
  )
  assert.ok(!/TypeError|ReferenceError|\n\s+at /.test(output), `no stack trace:\n${output}`)
  // The other four are still listed and answering.
  for (const port of ports.filter((p) => p !== victim.port)) assert.match(after.stdout, new RegExp(`\\b${port}\\b`))

  const afterJson = await net.runScript('monitor', { ONCE: '1', JSON: '1' })
  assert.equal(afterJson.code, 0, afterJson.stderr)
  const parsedAfter = JSON.parse(afterJson.stdout) as MonitorJson
  assert.equal(parsedAfter.nodes.filter((n) => n.error === null).length, 4, 'four nodes answer')
})

test('make check waits out a ring that is still settling after parallel joins, and exits 0 once it is healthy', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  await storeAll(net, makeValues('check', 60))
  assert.deepEqual(await net.settle(), [])
  const adds = await Promise.all(Array.from({ length: 4 }, () => net.runScript('add')))
  for (const add of adds) assert.equal(add.code, 0, add.stderr)
  // A generous bound: on a loaded machine the ring may take longer than the default few periods.
  const check = await net.runScript('check', { WAIT: '30' })
  t.diagnostic(check.stdout.trim().split('\n').slice(-2).join(' / '))
  assert.equal(check.code, 0, `make check exits 0\n${check.stdout}${check.stderr}`)
  assert.match(check.stdout, /ring healthy/)
  assert.doesNotMatch(check.stdout + check.stderr, /broken/)
})

test('make check: settling that outlasts WAIT= fails, naming what it waited for; WAIT=0 does not wait', async (t) => {
  // With stabilize once a minute, the successor lists behind a joiner stay stale for the whole test.
  const net = await startTestnet(t, { nodes: 3, stabilizeMs: 60_000, fingerMs: 60_000 })
  const add = await net.runScript('add')
  assert.equal(add.code, 0, add.stderr)

  const now = await net.runScript('check', { WAIT: '0' })
  assert.equal(now.code, 1, `WAIT=0 fails at once on a settling ring\n${now.stdout}${now.stderr}`)
  assert.match(now.stderr, /still settling after 0\.\d s/)
  assert.match(now.stderr, /successor lists? catching up/)
  assert.doesNotMatch(now.stderr, /broken/)

  const started = Date.now()
  const bounded = await net.runScript('check', { WAIT: '1' })
  assert.equal(bounded.code, 1, `${bounded.stdout}${bounded.stderr}`)
  assert.ok(Date.now() - started >= 1000, 'it waited for the bound')
  assert.match(bounded.stdout, /settling, waiting up to 1\.0 s .*successor lists? catching up/)
  assert.match(bounded.stderr, /still settling after 1\.\d s/)

  // The monitor reads the same state the same way: settling, not broken, in lines that fit 80 columns.
  const frame = await net.runScript('monitor', { ONCE: '1' })
  assert.equal(frame.code, 0, frame.stderr)
  const health = frame.stdout.split('\n').filter((l) => /healthy|settling|broken|✘/.test(l))
  assert.match(health.join(' ').replace(/\s+/g, ' '), /… settling, not broken: .*successor lists? catching up/, frame.stdout)
  assert.doesNotMatch(frame.stdout, /✘/)
  for (const line of health) assert.ok(line.length <= 80, `${line.length} columns: ${line}`)
  const json = JSON.parse((await net.runScript('monitor', { ONCE: '1', JSON: '1' })).stdout) as MonitorJson
  assert.deepEqual(json.broken, [])
  assert.ok(json.settling.length > 0 && json.healthy === false)
})
