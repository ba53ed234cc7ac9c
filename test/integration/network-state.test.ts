// The network state never lies: concurrent adds all recorded, a lock left by a killed tool is broken,
// a corrupt file is reported and rebuilt from the ring, bad arguments are refused by name.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { NetworkStateFile } from '../../src/tools/network-state.js'
import { startTestnet } from '../helpers/testnet.js'
import { EXIT_CODES } from '../../src/tools/exit-codes.js'

/** The pid of a child that ran, exited and was reaped (spawnSync waits for it): no process has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  if (child.pid === undefined || child.status !== 0) throw new Error(`could not run a short-lived child: ${child.error?.message ?? child.status}`)
  assert.equal(isAlive(child.pid), false, `pid ${child.pid} of a reaped child is alive`)
  return child.pid
}

test('ten `make add` run at once all end up in the network state, each on its own port', async (t) => {
  const testnet = await startTestnet(t, { nodes: 2 })
  const runs = await Promise.all(Array.from({ length: 10 }, () => testnet.runScript('add')))
  for (const run of runs) assert.equal(run.code, 0, run.stderr)
  const processes = testnet.processes()
  assert.equal(processes.length, 12)
  assert.equal(new Set(processes.map((p) => p.port)).size, 12, 'no port handed out twice')
  assert.equal(new Set(processes.map((p) => p.id)).size, 12)
  assert.deepEqual(await testnet.settle(), [])
})

test('a lock left behind by a killed tool is broken, and a half-written temp file is ignored', async (t) => {
  const testnet = await startTestnet(t, { nodes: 2 })
  // A tool killed in the middle of a write leaves its lock (with its dead pid) and its temp file. The
  // pid is one that surely is dead: a child of ours that has exited and been reaped.
  const dead = deadPid()
  fs.writeFileSync(path.join(testnet.dir, 'network.lock'), String(dead))
  fs.writeFileSync(path.join(testnet.dir, `network.json.${dead}.tmp`), '{"processes": [')
  const run = await testnet.runScript('add')
  assert.equal(run.code, 0, run.stderr)
  assert.equal(testnet.processes().length, 3)
  assert.equal(fs.existsSync(path.join(testnet.dir, 'network.lock')), false)
})

test('a corrupt network state is reported by the tools and rebuilt from the ring by make recover', async (t) => {
  const testnet = await startTestnet(t, { nodes: 4 })
  const before = testnet.processes().map((p) => `${p.port}:${p.pid}`).sort()
  const stateFile = new NetworkStateFile(testnet.dir).file
  fs.writeFileSync(stateFile, '{"processes": [ {"port": 50')
  const lookup = await testnet.runScript('lookup', { V: 'anything' })
  assert.equal(lookup.code, 1)
  assert.match(lookup.stderr, /corrupt.*make recover/)
  const port = Number(before[0]!.split(':')[0])
  const recover = await testnet.runScript('recover', { JOIN: `127.0.0.1:${port}` })
  assert.equal(recover.code, 0, recover.stderr)
  const after = testnet.processes().map((p) => `${p.port}:${p.pid}`).sort()
  assert.deepEqual(after, before, 'every process found again, with its pid')
  assert.deepEqual(await testnet.settle(), [])
})

test('dead entries are reported and pruned', async (t) => {
  const testnet = await startTestnet(t, { nodes: 4 })
  const victim = testnet.processes()[3]!
  process.kill(victim.pid, 'SIGKILL')
  for (let i = 0; i < 100 && isAlive(victim.pid); i++) await new Promise((r) => setTimeout(r, 10))
  const run = await testnet.runScript('store', { V: 'after the crash' })
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stderr, new RegExp(`@${victim.port}.*no longer running`))
  assert.ok(!testnet.processes().some((p) => p.pid === victim.pid))
})

test('bad arguments are refused with a message naming them', async (t) => {
  const testnet = await startTestnet(t, { nodes: 2 })
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['add', { N: 'abc' }, /N must be a whole number/],
    ['add', { N: '0' }, /N must be from 1/],
    ['leave', { PORT: '99999' }, /PORT must be from 1 to 65535/],
    ['leave', { PORT: '1' }, /no node of this ring runs on port 1/],
    ['store', { V: '' }, /V is required/],
    ['lookup', {}, /V is required/],
    ['storemany', { N: '-4' }, /N must be a whole number/],
    ['add', { JOIN: 'nowhere' }, /JOIN must be host:port/],
  ]
  for (const [script, env, message] of cases) {
    const run = await testnet.runScript(script, env)
    assert.equal(run.code, EXIT_CODES.badArgument, `${script} ${JSON.stringify(env)} is a bad argument`)
    assert.match(run.stderr, message, `${script} ${JSON.stringify(env)}`)
    assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`)
  }
  assert.equal(testnet.processes().length, 2, 'nothing was started or stopped')
})

test('requests that change the ring need the cluster secret; reads stay open', async (t) => {
  const testnet = await startTestnet(t, { nodes: 3 })
  const [a, b] = testnet.processes()
  const secretFile = path.join(testnet.dir, 'secret')
  assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600, 'the secret is readable by its owner only')
  const anonymous = async (method: string, route: string, body?: unknown) => {
    const reply = await fetch(`http://127.0.0.1:${a!.port}${route}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) })
    return { status: reply.status, body: (await reply.json()) as { error?: string; code?: string } }
  }
  const hijack = await anonymous('PUT', '/successor', { host: '127.0.0.1', port: b!.port })
  assert.equal(hijack.status, 401)
  assert.equal(hijack.body.code, 'UNAUTHORIZED')
  assert.equal((await anonymous('POST', '/store', { value: 'x' })).status, 401)
  assert.equal((await anonymous('GET', '/nodeinfo')).status, 200)
  assert.equal((await anonymous('GET', '/lookup?value=x')).status, 404)
  assert.equal((await anonymous('GET', '/content')).status, 200)
  // The tools carry the secret: every normal target still works.
  assert.equal((await testnet.runScript('store', { V: 'with the secret' })).code, 0)
  assert.equal((await testnet.runScript('lookup', { V: 'with the secret' })).code, 0)
  assert.deepEqual(await testnet.settle(), [])
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('make boot records every ring setting and hands each to the nodes it and make add start, the peer timeout and check_predecessor included', async (t) => {
  const testnet = await startTestnet(t, { nodes: 2 })
  const given = { M: '16', R: '2', MODE: 'linear', STABILIZE_MS: '150', CHECK_PREDECESSOR_MS: '400', FINGER_MS: '600', TIMEOUT_MS: '750', MAX_VALUE_BYTES: '4096' }
  const boot = await testnet.runScript('boot', given)
  assert.equal(boot.code, 0, boot.stderr)
  assert.equal((await testnet.runScript('add')).code, 0)
  const state = testnet.state.requireRing()
  assert.deepEqual(
    { ...state.settings },
    { ...state.settings, bits: 16, replicas: 2, routeMode: 'linear', stabilizeMs: 150, checkPredecessorMs: 400, fingerMs: 600, timeoutMs: 750, maxValueBytes: 4096 },
  )
  assert.equal(state.processes.length, 3)
  for (const p of state.processes) {
    const cmdline = `/proc/${p.pid}/cmdline`
    // Linux shows each node's command line; elsewhere the recorded settings above must do.
    if (!fs.existsSync(cmdline)) continue
    const flags = fs.readFileSync(cmdline, 'utf8').split('\0')
    for (const flag of ['--bits=16', '--replicas=2', '--mode=linear', '--stabilize-ms=150', '--check-predecessor-ms=400', '--finger-ms=600', '--timeout-ms=750', '--max-value-bytes=4096']) {
      assert.ok(flags.includes(flag), `@${p.port} runs with ${flag}: ${flags.join(' ')}`)
    }
  }
})

test('the ring settings and the other new arguments are refused by name before anything runs', async (t) => {
  const testnet = await startTestnet(t, { nodes: 2 })
  const before = testnet.processes().map((p) => p.pid).sort()
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['boot', { MODE: 'fingerz' }, /MODE must be fingers, linear or onehop, got "fingerz"/],
    ['boot', { TIMEOUT_MS: '1' }, /TIMEOUT_MS must be from 10 to 600000, got 1/],
    ['boot', { CHECK_PREDECESSOR_MS: 'soon' }, /CHECK_PREDECESSOR_MS must be a whole number/],
    ['boot', { HOST: 'not a host' }, /HOST must be a host name or address/],
    ['add', { N: '501' }, /N must be from 1 to 500, got 501/],
    ['add', { PARALLEL: 'maybe' }, /PARALLEL must be 1 or 0/],
    ['check', { WAIT: 'forever' }, /WAIT must be a whole number from 0 to 3600/],
    ['monitor', { ONCE: '1', INTERVAL_MS: '5' }, /INTERVAL_MS must be from 100 to 60000, got 5/],
    ['fingers', { DHT_BASE_PORT: '-1' }, /DHT_BASE_PORT must be a whole number/],
  ]
  for (const [script, env, message] of cases) {
    const run = await testnet.runScript(script, env)
    assert.equal(run.code, EXIT_CODES.badArgument, `${script} ${JSON.stringify(env)} is a bad argument`)
    assert.match(run.stderr, message, `${script} ${JSON.stringify(env)}`)
    assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`)
  }
  assert.deepEqual(testnet.processes().map((p) => p.pid).sort(), before, 'the ring was not touched')
})
