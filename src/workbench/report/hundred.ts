// Phase "hundred": the ring of the earlier phases grown to 100 nodes and left to settle; then what its
// idle maintenance costs, how long after one SIGKILL make check finds it healthy again, and whether
// anything stored is lost after two adjacent nodes are SIGKILLed at once (r = 3 keeps two copies more).
import { errorMessage } from '../../node/errors.js'
import { info, ok, warn } from '../../tools/output.js'
import { ringFindings } from '../../tools/ring-health.js'
import { crashNode, sleep } from '../../tools/ring-ops.js'
import { takeSnapshot } from '../../tools/ring-snapshot.js'
import type { BenchRing } from './bench-ring.js'
import { ms } from './format.js'
import { measureIdle, type IdleResult } from './idle.js'
import { randomItem } from './operations.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface HundredPlan {
  n: number
  settleSeconds: number
  idleSeconds: number
  /** Longest wait for make check's verdict after a crash. */
  healthTimeoutSeconds: number
}

export interface HealthWait {
  healthy: boolean
  ms: number
  /** What was still wrong at the end, or, when it got healthy, the last findings it waited out. */
  findings: string[]
}

export interface HundredResult {
  n: number
  idle: IdleResult
  oneCrash: HealthWait
  twoCrashes: HealthWait
  values: number
  lost: number
  lostExamples: string[]
}

/** Polls make check's findings (fingers and content included) until there are none. */
async function waitHealthy(ring: BenchRing, timeoutMs: number): Promise<HealthWait> {
  const started = performance.now()
  let findings: string[] = []
  for (;;) {
    const state = ring.state.read()
    if (state) {
      const snapshot = await takeSnapshot(ring.client, state, { content: true })
      const now = ringFindings(snapshot, { fingers: true }).map((f) => f.message)
      if (now.length === 0) return { healthy: true, ms: performance.now() - started, findings: findings.slice(0, 3) }
      findings = now
    }
    if (performance.now() - started > timeoutMs) return { healthy: false, ms: performance.now() - started, findings: findings.slice(0, 3) }
    await sleep(100)
  }
}

export async function measureHundred(ring: BenchRing, stored: string[], plan: HundredPlan): Promise<HundredResult> {
  await ring.growTo(plan.n, `hundred: growing to ${plan.n} nodes`)
  const idle = await measureIdle(ring, { settleSeconds: plan.settleSeconds, seconds: plan.idleSeconds }, `hundred: idle at N=${plan.n}`)
  const timeoutMs = plan.healthTimeoutSeconds * 1000
  const victim = randomItem(ring.processes())
  info(`hundred: SIGKILL of @${victim.port}, then make check's findings polled until there are none`)
  crashNode(ring.state, victim)
  const oneCrash = await waitHealthy(ring, timeoutMs)
  if (!oneCrash.healthy) warn(`hundred: not healthy ${ms(oneCrash.ms)} after one crash: ${oneCrash.findings.join('; ')}`)
  // Two neighbours at once: a node and its successor, so one key range loses two of its three copies.
  const byId = [...ring.processes()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const first = Math.floor(Math.random() * byId.length)
  const pair = [byId[first]!, byId[(first + 1) % byId.length]!]
  info(`hundred: SIGKILL of the neighbours @${pair[0]!.port} and @${pair[1]!.port} at once`)
  for (const node of pair) crashNode(ring.state, node)
  const twoCrashes = await waitHealthy(ring, timeoutMs)
  const processes = ring.processes()
  const lostExamples: string[] = []
  let lost = 0
  for (const value of stored) {
    try {
      const reply = await ring.client.lookup(randomItem(processes), value)
      if (reply.value !== value) throw new Error('a different value came back')
    } catch (error) {
      lost++
      if (lostExamples.length < 3) lostExamples.push(`"${value}": ${errorMessage(error)}`)
    }
  }
  const result: HundredResult = { n: plan.n, idle, oneCrash, twoCrashes, values: stored.length, lost, lostExamples }
  ok(
    `hundred: idle ${(idle.percentOfOneCore / 100).toFixed(3)} cores; healthy ${ms(oneCrash.ms)} after one SIGKILL, ${ms(twoCrashes.ms)} after two adjacent; ` +
      `${stored.length - lost}/${stored.length} values found`,
  )
  return result
}

export function hundredSection(result: HundredResult): Section {
  const healthValue = (wait: HealthWait) => (wait.healthy ? ms(wait.ms) : `not after ${ms(wait.ms)}`)
  return {
    title: `a settled ring of ${result.n} nodes: idle, one SIGKILL, then two adjacent SIGKILLs`,
    rows: [
      {
        metric: `idle CPU, all ${result.idle.nodes} nodes`,
        value: `${(result.idle.percentOfOneCore / 100).toFixed(3)} cores`,
        note: `${result.idle.kbSentPerNodePerSecond.toFixed(2)} KB sent per node per s; after ${result.idle.settleSeconds} s of rest`,
        target: target({ metric: `idle CPU, N = ${result.n}, settled`, value: result.idle.percentOfOneCore / 100, unit: 'cores' }, '≤', 0.1),
      },
      {
        metric: 'make check healthy after one SIGKILL',
        value: healthValue(result.oneCrash),
        target: target({ metric: `make check healthy after one SIGKILL, N = ${result.n}`, value: result.oneCrash.healthy ? result.oneCrash.ms / 1000 : Infinity, unit: 's' }, '≤', 6),
        ...(result.oneCrash.healthy ? {} : { alert: result.oneCrash.findings.join('; ') }),
      },
      {
        metric: '  after two adjacent SIGKILLs',
        value: healthValue(result.twoCrashes),
        ...(result.twoCrashes.healthy ? (result.twoCrashes.ms > 6000 ? { note: `last waited for: ${result.twoCrashes.findings.join('; ')}` } : {}) : { alert: result.twoCrashes.findings.join('; ') }),
      },
      {
        metric: 'values lost after the two',
        value: `${result.lost} of ${result.values}`,
        target: target({ metric: `values lost after two adjacent SIGKILLs, N = ${result.n}`, value: result.lost, unit: 'values' }, '=', 0),
        ...(result.lost > 0 ? { alert: result.lostExamples.join('; ') } : {}),
      },
    ],
  }
}
