// Real node processes for integration tests: a private state directory, OS-chosen loopback ports,
// short maintenance periods, and everything killed when the test ends (t.after).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestContext } from 'node:test'
import { defaultSettings, NetworkStateFile, type ProcessRecord, type RingSettings } from '../../src/tools/network-state.js'
import { RingClient } from '../../src/tools/ring-client.js'
import { ringProblems } from '../../src/tools/ring-health.js'
import { addNode, bootRing, killRing, sleep } from '../../src/tools/ring-ops.js'
import { takeSnapshot, type RingSnapshot } from '../../src/tools/ring-snapshot.js'
import { runCaptured, type Captured } from './run-captured.js'

// Never the user's ports: every node of every test gets a port the OS picks.
process.env.DHT_BASE_PORT = '0'

export interface TestnetOptions {
  nodes?: number
  bits?: number
  replicas?: number
  stabilizeMs?: number
  fingerMs?: number
  /** Messages each node keeps for traces (the default's 20,000 unless given). */
  messageLog?: number
  /** Every node-to-node call held this long (DELAY_MS), none unless given. */
  delayMs?: number
  /** MODE=: fingers unless given. */
  routeMode?: RingSettings['routeMode']
  /** IMPL=: the full node unless given; lab rings keep one copy (bootRing sets R=1). */
  impl?: RingSettings['impl']
  /** AUTH=: signed writes unless given (lab rings: bearer tokens, bootRing sets it). */
  auth?: RingSettings['auth']
  /** VNODES=: virtual nodes per process, one unless given. */
  vnodes?: number
}

export interface Testnet {
  dir: string
  state: NetworkStateFile
  client: RingClient
  settings: RingSettings
  processes(): ProcessRecord[]
  add(): Promise<ProcessRecord>
  snapshot(): Promise<RingSnapshot>
  /** Polls until the ring's invariants hold; returns the problems still seen if they never do. */
  settle(timeoutMs?: number): Promise<string[]>
  /** Runs a script from dist/scripts as a user would (make <target>), against this ring. */
  runScript(name: string, env?: Record<string, string>): Promise<Captured>
}

const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts')

export async function startTestnet(t: TestContext, options: TestnetOptions = {}): Promise<Testnet> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-test-'))
  const state = new NetworkStateFile(dir)
  const settings: RingSettings = {
    ...defaultSettings(),
    bits: options.bits ?? 160,
    replicas: options.replicas ?? 3,
    routeMode: options.routeMode ?? 'fingers',
    stabilizeMs: options.stabilizeMs ?? 100,
    checkPredecessorMs: options.stabilizeMs ?? 100,
    fingerMs: options.fingerMs ?? 300,
    ...(options.messageLog !== undefined ? { messageLog: options.messageLog } : {}),
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
    ...(options.impl !== undefined ? { impl: options.impl } : {}),
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    ...(options.vnodes !== undefined ? { vnodes: options.vnodes } : {}),
  }
  // The client is made after boot, which writes the ring's secret.
  let client: RingClient | undefined
  t.after(async () => {
    client?.close()
    await killRing(state)
    fs.rmSync(dir, { recursive: true, force: true })
  })
  await bootRing(state, settings)
  client = new RingClient(settings.bits, { secret: state.readSecret(), impl: settings.impl, auth: state.requireRing().settings.auth })
  const ringClient = client
  for (let i = 2; i < (options.nodes ?? 2); i++) await addNode(state)

  const snapshot = async () => takeSnapshot(ringClient, state.read() ?? state.requireRing(), { content: true })
  return {
    dir,
    state,
    client: ringClient,
    settings,
    processes: () => state.readProcessList(),
    add: () => addNode(state),
    snapshot,
    async settle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      let problems: string[] = []
      while (Date.now() < deadline) {
        problems = ringProblems(await snapshot())
        if (problems.length === 0) return []
        await sleep(settings.stabilizeMs)
      }
      return problems
    },
    runScript(name, env = {}) {
      return runCaptured(process.execPath, [path.join(SCRIPTS, `${name}.js`)], { ...process.env, DHT_STATE_DIR: dir, NO_COLOR: '1', ...env })
    },
  }
}
