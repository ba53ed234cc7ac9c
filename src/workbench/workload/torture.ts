// make torture: a ring of its own (private state, OS-chosen ports), four clients storing, deleting and
// looking up unique values for the whole run, each sent straight to the key's owner as the client's copy
// of the ring names it (MOVED answers followed, routed through a random node when the copy cannot say),
// while the seeded nemesis joins, leaves, crashes, slows, drops and partitions; then every fault healed,
// the ring left to settle, a drop phase (10 % of node-to-node calls lost, lookups through random nodes of
// values that must be there), healed and settled again, and every value read, straight at its owner.
// The set check says what was acknowledged, found, lost or left indeterminate.
import fs from 'node:fs'
import { DirectClient } from '../../tools/direct-client.js'
import type { NetworkStateFile } from '../../tools/network-state.js'
import type { RingClient } from '../../tools/ring-client.js'
import { ringProblems } from '../../tools/ring-health.js'
import { isDhtError } from '../../node/errors.js'
import { changeEach, healAll } from '../faults/ring-faults.js'
import { addNode, bootRing, killRing, sleep } from '../../tools/ring-ops.js'
import { takeSnapshot } from '../../tools/ring-snapshot.js'
import { SeededRandom } from '../sim/random.js'
import type { RingSettings } from '../../node/settings.js'
import { History } from './history.js'
import { Nemesis } from './nemesis.js'
import { checkSet, type SetReport } from './set-checker.js'
import { finalReads, runSetWorkload, type SetTarget } from './set-workload.js'

export interface TortureOptions {
  seconds: number
  seed: number
  nodes: number
  settings: RingSettings
  /** A private state directory; removed afterwards unless the run failed (its logs are kept then). */
  state: NetworkStateFile
  makeClient: (state: NetworkStateFile) => RingClient
  /** Lookups of the drop phase (0: none). */
  dropLookups: number
  /** One line of progress, now and then. */
  progress: (line: string) => void
}

/** The drop phase: lookups of values that must be there while every node loses this share of its calls. */
export interface DropPhase {
  dropRate: number
  lookups: number
  succeeded: number
  /** Lookups of values that must be there answered NOT_FOUND: never right. */
  notFound: number
  /** The failures, by code. */
  codes: Record<string, number>
  p50Ms: number
}

export interface TortureResult {
  seed: number
  report: SetReport
  timeline: string[]
  /** Problems still seen when the ring was given up on settling; none when it settled. */
  problems: string[]
  settleMs: number
  nodesAtEnd: number
  drop?: DropPhase
}

/** Longest wait for the ring to settle after the last heal. */
const SETTLE_TIMEOUT_MS = 60_000
/** The drop phase: make drop RATE=0.1 on every node, this many lookups in flight. */
const DROP_RATE = 0.1
const DROP_IN_FLIGHT = 8

export async function runTorture(options: TortureOptions): Promise<TortureResult> {
  const { state, settings } = options
  const random = new SeededRandom(options.seed)
  await bootRing(state, settings)
  try {
    for (let i = 2; i < options.nodes; i++) await addNode(state)
    const client = options.makeClient(state)
    try {
      return await torture(options, client, random)
    } finally {
      client.close()
    }
  } finally {
    await killRing(state)
  }
}

async function torture(options: TortureOptions, client: RingClient, random: SeededRandom): Promise<TortureResult> {
  const { state, settings } = options
  const startedAt = Date.now()
  const deadline = startedAt + options.seconds * 1000
  const history = new History(() => performance.now())
  // The copy of the ring starts from the recorded nodes, which the nemesis keeps up to date as it changes them.
  const direct = new DirectClient(client, { seeds: () => state.readProcessList(), routeMode: settings.routeMode })
  const target: SetTarget = {
    store: (value) => direct.store(value),
    delete: (value) => direct.deleteValue(value),
    lookup: (value) => direct.lookup(value),
  }
  const clients = runSetWorkload(history, {
    clients: 4,
    operations: Number.MAX_SAFE_INTEGER,
    random: () => random.next(),
    prefix: `torture-${options.seed}`,
    beforeEach: () => Date.now() < deadline,
    targetFor: () => target,
  })
  // A repair, at the slowest a quiet ring maintains (stabilize backs off to 3 periods), plus the rounds after.
  const repairMs = 6 * settings.stabilizeMs + 2000
  const nemesis = new Nemesis({ state, client, random, replicas: settings.replicas, vnodes: settings.vnodes, repairMs, minNodes: settings.replicas + 3, startedAt })
  const acknowledged = () => history.operations.filter((op) => op.kind === 'store' && op.outcome === 'ok').length
  const interval = Math.max(1500, (options.seconds * 1000) / 14)
  while (Date.now() < deadline) {
    await nemesis.step()
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
    options.progress(`${Math.round((Date.now() - startedAt) / 1000)} s, ${left} s left · ${acknowledged()} stores acknowledged · ${nemesis.timeline.at(-1) ?? 'calm'}`)
    await sleep(Math.min(interval * (0.5 + random.next()), Math.max(0, deadline - Date.now())))
  }
  await clients
  await nemesis.heal()
  options.progress(`healed; waiting for the ring to settle (at most ${SETTLE_TIMEOUT_MS / 1000} s)`)
  const settle = async (): Promise<{ problems: string[]; ms: number }> => {
    const started = Date.now()
    for (;;) {
      // A node whose leave the nemesis gave up waiting for may have finished it and gone since.
      state.pruneDead()
      const current = state.read() ?? state.requireRing()
      const problems = ringProblems(await takeSnapshot(client, current, { content: true }))
      if (problems.length === 0 || Date.now() - started > SETTLE_TIMEOUT_MS) return { problems, ms: Date.now() - started }
      await sleep(settings.stabilizeMs)
    }
  }
  const settled = await settle()
  let problems = settled.problems
  let drop: DropPhase | undefined
  if (options.dropLookups > 0) {
    drop = await dropPhase(options, client, history, random)
    options.progress(`drop phase over; waiting for the ring to settle again`)
    ;({ problems } = await settle())
  }
  const values = [...new Set(history.operations.filter((op) => op.kind === 'store').map((op) => op.value))]
  options.progress(`reading all ${values.length} values`)
  const reads = await finalReads(values, (value) => direct.lookup(value), 5)
  return { seed: options.seed, report: checkSet(history.operations, reads), timeline: nemesis.timeline, problems, settleMs: settled.ms, nodesAtEnd: state.readProcessList().length, ...(drop ? { drop } : {}) }
}

/**
 * Every node loses DROP_RATE of its calls to other nodes (make drop RATE=0.1) while clients look up values
 * that must be there (acknowledged, never deleted); then the losses end. A lost call costs a lookup one
 * request timeout, not the lookup: the target is ≥ 99 % succeeding, and none may answer NOT_FOUND.
 */
async function dropPhase(options: TortureOptions, client: RingClient, history: History, random: SeededRandom): Promise<DropPhase> {
  const { state } = options
  const deleted = new Set(history.operations.filter((op) => op.kind === 'delete').map((op) => op.value))
  const present = history.operations.filter((op) => op.kind === 'store' && op.outcome === 'ok' && !deleted.has(op.value)).map((op) => op.value)
  const nodes = () => state.readProcessList().map((p) => ({ id: p.id, host: p.host, port: p.port, address: `${p.host}:${p.port}` }))
  const phase: DropPhase = { dropRate: DROP_RATE, lookups: 0, succeeded: 0, notFound: 0, codes: {}, p50Ms: 0 }
  if (present.length === 0) return phase
  options.progress(`drop phase: ${Math.round(DROP_RATE * 100)} % of node-to-node calls lost, ${options.dropLookups} lookups of values that must be there`)
  await changeEach(client, nodes(), (plan) => ({ ...plan, dropRate: DROP_RATE }))
  const latencies: number[] = []
  try {
    let next = 0
    const worker = async () => {
      while (next < options.dropLookups) {
        next++
        const value = random.pick(present)
        const started = performance.now()
        try {
          await client.lookup(random.pick(state.readProcessList()), value)
          phase.succeeded++
          latencies.push(performance.now() - started)
        } catch (error) {
          const code = isDhtError(error) ? error.code : 'ERROR'
          if (code === 'NOT_FOUND') phase.notFound++
          phase.codes[code] = (phase.codes[code] ?? 0) + 1
        }
        phase.lookups++
      }
    }
    await Promise.all(Array.from({ length: DROP_IN_FLIGHT }, worker))
  } finally {
    await healAll(client, nodes())
  }
  latencies.sort((a, b) => a - b)
  phase.p50Ms = latencies[Math.floor(latencies.length / 2)] ?? 0
  return phase
}

/** Removes a finished run's private state directory. */
export function removeState(state: NetworkStateFile): void {
  fs.rmSync(state.dir, { recursive: true, force: true })
}
