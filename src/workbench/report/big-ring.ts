// Phase "big ring": the ring of the earlier phases grown to a couple of hundred nodes on this machine.
// Old values must still be found, new ones must land on their true owner; memory and idle CPU in all.
import { info, ok, plural } from '../../tools/output.js'
import type { BenchRing } from './bench-ring.js'
import { vsFloorLatency, type FloorResult } from './floor.js'
import { mb, ms, msPair, times } from './format.js'
import { measureIdle, type IdleResult } from './idle.js'
import { sequential, type LoadResult } from './load.js'
import { memoryOf, type MemorySummary } from './measure.js'
import { checkedLookup, storeOperation } from './operations.js'
import { RingTruth, waitConverged } from './ring-truth.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface BigRingPlan {
  /** Nodes to grow to; 0 skips the phase. */
  n: number
  /** Joins at a time. With 4 at a time on 2 cores, /join at ~180 nodes outlasted the nodes' 2 s request timeout. */
  parallel: number
  budgetSeconds: number
  /** Lookups checked: half of values stored now, half stored by the latency phase. */
  checks: number
  idleSeconds: number
}

export interface BigRingResult {
  n: number
  growSeconds: number
  perNodeMs: Summary
  joinFailures: string[]
  converged: boolean
  convergedMs: number
  correctNodes: number
  memory: MemorySummary
  stores: Pick<LoadResult, 'ok' | 'errors' | 'errorCodes'>
  lookups: Pick<LoadResult, 'ok' | 'errors' | 'errorCodes' | 'latencyMs'> & { count: number; wrongOwners: number }
  idle: IdleResult
}

export async function measureBigRing(ring: BenchRing, stored: string[], plan: BigRingPlan): Promise<BigRingResult> {
  info(
    `big ring: growing from ${ring.processes().length} to ${plan.n} nodes, ${plural(plan.parallel, 'join')} at a time ` +
      `(default periods, budget ${plan.budgetSeconds} s)`,
  )
  const growth = await ring.growTo(plan.n, 'big ring: adding nodes', { budgetSeconds: plan.budgetSeconds, tolerateFailures: true, parallel: plan.parallel })
  const processes = ring.processes()
  const convergence = await waitConverged(ring.client, processes, { pollMs: 1000, timeoutMs: 8 * ring.settings.fingerMs })
  info(
    `big ring: ${processes.length} nodes; ` +
      (convergence.converged
        ? `fingers converged ${ms(convergence.ms)} after the last join`
        : `${convergence.last.correct}/${processes.length} nodes converged after ${ms(convergence.ms)}`),
  )
  const memory = memoryOf(ring.pids())
  // Old values must still be found, and new ones must land on their true owner.
  const truth = RingTruth.of(ring.space, processes)
  const fresh: string[] = []
  const stores = await sequential(plan.checks / 2, storeOperation(ring.client, processes, ring.settings.replicas, 'big', fresh))
  const values = [...fresh, ...stored.slice(0, plan.checks - fresh.length)]
  const wrong = { owners: 0 }
  const ownerOf = (value: string) => ring.space.toHex(truth.ownerOf(ring.space.hash(value)))
  const lookups = await sequential(values.length, checkedLookup(ring.client, processes, values, ownerOf, wrong))
  const idle = await measureIdle(ring, { settleSeconds: 0, seconds: plan.idleSeconds }, undefined)
  const result: BigRingResult = {
    n: processes.length,
    growSeconds: growth.seconds,
    perNodeMs: summarize(growth.joinMs),
    joinFailures: growth.failures,
    converged: convergence.converged,
    convergedMs: convergence.ms,
    correctNodes: convergence.last.correct,
    memory,
    stores: { ok: stores.ok, errors: stores.errors, errorCodes: stores.errorCodes },
    lookups: { count: values.length, ok: lookups.ok, errors: lookups.errors, errorCodes: lookups.errorCodes, wrongOwners: wrong.owners, latencyMs: lookups.latencyMs },
    idle,
  }
  ok(
    `big ring: ${result.n} nodes, RSS total ${mb(memory.totalRssMb)} (PSS ${mb(memory.totalPssMb)}); ` +
      `${lookups.ok}/${values.length} lookups found their value, ${wrong.owners} at a wrong owner; idle ${idle.percentOfOneCore.toFixed(0)}% of one core`,
  )
  return result
}

export function bigRingSection(big: BigRingResult, floor: FloorResult, plan: BigRingPlan): Section {
  const { lookups } = big
  return {
    title: `big ring (default periods, ${plural(plan.parallel, 'join')} at a time)`,
    rows: [
      {
        metric: 'nodes running',
        value: String(big.n),
        target: target({ metric: 'big ring, nodes running', value: big.n, unit: 'nodes' }, '≥', plan.n),
        targetLabel: `${plan.n} nodes possible`,
      },
      {
        metric: 'per node join, mean / p99',
        value: msPair(big.perNodeMs.mean, big.perNodeMs.p99),
        vs: times(big.perNodeMs.mean / floor.startupMs.mean),
        note: `${big.growSeconds.toFixed(0)} s for ${big.perNodeMs.count} joins`,
      },
      { metric: 'RSS total (PSS total)', value: `${mb(big.memory.totalRssMb)} (${mb(big.memory.totalPssMb)})`, note: `mean ${mb(big.memory.rssMb.mean)} per node` },
      {
        metric: 'lookups that found their value',
        value: `${lookups.ok}/${lookups.count}`,
        target: target({ metric: 'big ring, lookups not found at the true owner', value: lookups.count - lookups.ok + lookups.wrongOwners, unit: 'lookups' }, '=', 0),
        targetLabel: 'all, at the true owner',
        ...(lookups.wrongOwners > 0 ? { alert: `${lookups.wrongOwners} at a wrong owner` } : {}),
      },
      { metric: '  lookup p50 / p99, one client', value: msPair(lookups.latencyMs.p50, lookups.latencyMs.p99), vs: vsFloorLatency(lookups.latencyMs, floor.single.latencyMs) },
      {
        metric: `idle CPU, ${big.n} nodes`,
        value: `${big.idle.percentOfOneCore.toFixed(0)}% of a core`,
        note: big.converged ? 'fingers converged' : `${big.correctNodes}/${big.n} nodes converged`,
      },
    ],
  }
}
