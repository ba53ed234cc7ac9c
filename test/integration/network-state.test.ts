// The network state never lies: concurrent adds all recorded, a lock left by a killed tool is broken,
// a corrupt file is reported and rebuilt from the ring, bad arguments are refused by name.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { NetworkStateFile } from '../../src/cli/network-state.js'
import { startTestnet } from '../helpers/testnet.js'

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
    assert.equal(run.code, 1, `${script} ${JSON.stringify(env)} should fail`)
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
