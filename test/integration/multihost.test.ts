// One ring across three hosts: network namespaces on this machine, each with its own address, its own
// state directory and a shared cluster secret. Nodes on hosts 2 and 3 join host 1's ring with
// JOIN=host:port; values stored on one host are found from another; a store a tool on host 2 signed,
// captured on its way and replayed from host 3, is refused (as is one sent on with another body), and
// changes nothing; then host 1 goes down (SIGKILL) and, with three copies of every key, nothing is lost.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { NetworkStateFile } from '../../src/tools/network-state.js'
import { killRing, sleep } from '../../src/tools/ring-ops.js'
import type { CapturedRequest } from '../helpers/capture-proxy.js'
import { createHostNetwork, namespacesUnavailable, runInHost, type HostNetwork, type TestHost } from '../helpers/netns.js'

const PROBE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/netns-probe.js')
const FAST = { STABILIZE_MS: '100', FINGER_MS: '300' }

async function probe(host: TestHost, secretFile: string, action: 'store' | 'lookup', values: string[]): Promise<{ ok: number; failed: Array<{ value: string; error: string }> }> {
  return probeRun(host, secretFile, action, { PROBE_VALUES: JSON.stringify(values) })
}

async function probeRun<T>(host: TestHost, secretFile: string, action: string, env: Record<string, string>): Promise<T> {
  const run = await runInHost(host, PROBE, { SECRET_FILE: secretFile, PROBE_ACTION: action, ...env })
  if (run.code !== 0) throw new Error(`probe ${action} on ${host.name} exited ${run.code}: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as T
}

interface Capture {
  target: { host: string; port: number }
  captured: CapturedRequest
  stored: boolean
}

/** What a node answered a request replayed from `host`: its status and { error, code }. */
async function replayFrom(host: TestHost, secretFile: string, capture: Capture, body?: string): Promise<{ status: number; code: string; error: string }> {
  const reply = await probeRun<{ status: number; text: string }>(host, secretFile, 'replay', {
    PROBE_TARGET: `${capture.target.host}:${capture.target.port}`,
    PROBE_REQUEST: JSON.stringify(capture.captured),
    ...(body === undefined ? {} : { PROBE_BODY: body }),
  })
  const parsed = JSON.parse(reply.text) as { code: string; error: string }
  return { status: reply.status, code: parsed.code, error: parsed.error }
}

/** Runs make check on a host until it passes (bounded); returns its last output. */
async function settle(network: HostNetwork, host: TestHost, timeoutMs = 30_000): Promise<{ code: number; output: string }> {
  const deadline = Date.now() + timeoutMs
  let last = { code: -1, output: '' }
  while (Date.now() < deadline) {
    const run = await network.run(host, 'check')
    last = { code: run.code, output: run.stdout + run.stderr }
    if (run.code === 0) return last
    await sleep(250)
  }
  return last
}

const unavailable = namespacesUnavailable()

test('one ring across three hosts survives losing a host (r = 3)', { skip: unavailable ? `network namespaces cannot be made here: ${unavailable}` : false }, async (t) => {
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-secret-'))
  const secretFile = path.join(secretDir, 'secret')
  fs.writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 })
  const network = createHostNetwork(3, secretFile)
  t.after(async () => {
    for (const host of network.hosts) await killRing(new NetworkStateFile(host.stateDir))
    network.destroy()
    fs.rmSync(secretDir, { recursive: true, force: true })
  })
  const [host1, host2, host3] = network.hosts as [TestHost, TestHost, TestHost]

  const boot = await network.run(host1, 'boot', { ...FAST, R: '3' })
  assert.equal(boot.code, 0, boot.stderr)
  const first = new NetworkStateFile(host1.stateDir).readProcessList()[0]!
  assert.equal(first.host, host1.address, 'nodes advertise the host address they bind')
  for (const host of [host2, host3]) {
    const add = await network.run(host, 'add', { ...FAST, N: '2', JOIN: `${first.host}:${first.port}` })
    assert.equal(add.code, 0, `${host.name}: ${add.stdout}${add.stderr}`)
    const local = new NetworkStateFile(host.stateDir).readProcessList()
    assert.equal(local.length, 2, `${host.name}'s state lists only its own two processes`)
    assert.ok(local.every((p) => p.host === host.address))
  }

  const healthy = await settle(network, host2)
  assert.equal(healthy.code, 0, `the six nodes form one healthy ring, checked from host 2:\n${healthy.output}`)
  assert.match(healthy.output, /6 nodes/)

  const values = Array.from({ length: 60 }, (_, i) => `across hosts ${i} ${randomBytes(3).toString('hex')}`)
  const stored = await probe(host2, secretFile, 'store', values)
  assert.deepEqual(stored.failed, [], 'every store from host 2 succeeded')
  const found = await probe(host3, secretFile, 'lookup', values)
  assert.deepEqual(found.failed, [], 'every value stored on host 2 is found from host 3')
  const monitor = await network.run(host3, 'monitor', { ONCE: '1', JSON: '1' })
  assert.equal(monitor.code, 0, monitor.stderr)
  assert.equal((JSON.parse(monitor.stdout) as { nodes: unknown[] }).nodes.length, 6, 'the monitor on host 3 discovers the whole ring')

  // A store a tool on host 2 signed, overheard on its way to the node and replayed from host 3: refused.
  const overheard = `overheard on host 2 ${randomBytes(3).toString('hex')}`
  const capture = await probeRun<Capture>(host2, secretFile, 'capture', { PROBE_VALUES: JSON.stringify([overheard]) })
  assert.ok(capture.stored && capture.captured.method === 'POST', 'the tool\'s store went through, and a copy was kept')
  assert.ok(capture.captured.headers['x-chord-signature'] && !capture.captured.headers.authorization, 'signed, no bearer token')
  const replayed = await replayFrom(host3, secretFile, capture)
  assert.deepEqual([replayed.status, replayed.code], [401, 'UNAUTHORIZED'], `replayed from host 3: ${JSON.stringify(replayed)}`)
  assert.match(replayed.error, /replayed nonce/)
  // One held back on host 2 and sent on from host 3 with a body of the sender's choosing: refused.
  const held = await probeRun<Capture>(host2, secretFile, 'capture', { PROBE_VALUES: JSON.stringify([`held back ${randomBytes(3).toString('hex')}`]), PROBE_HOLD: '1' })
  assert.equal(held.stored, false, 'the held store never reached the ring')
  const forged = `forged from host 3 ${randomBytes(3).toString('hex')}`
  const changed = await replayFrom(host3, secretFile, held, JSON.stringify({ value: forged }))
  assert.deepEqual([changed.status, changed.code], [401, 'UNAUTHORIZED'])
  assert.match(changed.error, /body changed/)
  const forgedLookup = await probe(host3, secretFile, 'lookup', [forged])
  assert.deepEqual([forgedLookup.ok, forgedLookup.failed.length], [0, 1], 'the forged value is stored nowhere')
  assert.match(forgedLookup.failed[0]!.error, /not stored/)
  assert.deepEqual((await probe(host3, secretFile, 'lookup', [overheard])).failed, [], 'the overheard store itself went through once')

  // Host 1 goes down hard.
  for (const p of new NetworkStateFile(host1.stateDir).readProcessList()) process.kill(p.pid, 'SIGKILL')
  const repaired = await settle(network, host3)
  assert.equal(repaired.code, 0, `the four surviving nodes repair the ring:\n${repaired.output}`)
  assert.match(repaired.output, /4 nodes/)
  const after = await probe(host2, secretFile, 'lookup', values)
  assert.deepEqual(after.failed, [], 'no value is lost with host 1 gone')
})
