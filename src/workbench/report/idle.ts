// Phase "idle": a ring left alone, measured: the CPU and the traffic its maintenance costs. The idle
// rate is also what the latency and throughput phases subtract to get the CPU of one operation.
import { info, ok, pc } from '../../tools/output.js'
import { sleep } from '../../tools/ring-ops.js'
import type { BenchRing } from './bench-ring.js'
import { measureWindow } from './measure.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface IdlePlan {
  /** Rest before measuring: V8's memory reducer runs a few GCs some seconds after a busy spell (the joins). */
  settleSeconds: number
  seconds: number
}

export interface IdleResult {
  nodes: number
  settleSeconds: number
  seconds: number
  cpuSeconds: number
  percentOfOneCore: number
  percentPerNode: number
  otherCores: number
  /** Bytes each node sends per second for its maintenance (write syscalls too, see proc.ts). */
  kbSentPerNodePerSecond: number
  writesPerNodePerSecond: number
  closedConnections: number
  openConnections: number
}

/** CPU-seconds per second the ring spends on its own maintenance. */
export const idleCpuRate = (idle: IdleResult): number => idle.cpuSeconds / idle.seconds

/** Rests, then measures; says what it does under `label` unless that is undefined. */
export async function measureIdle(ring: BenchRing, plan: IdlePlan, label: string | undefined = 'idle'): Promise<IdleResult> {
  const pids = ring.pids()
  if (label) info(`${label}: ${pids.length} nodes left alone for ${plan.settleSeconds} s, then measured for ${plan.seconds} s`)
  await sleep(plan.settleSeconds * 1000)
  const { cpu } = await measureWindow(pids, ring.ports(), () => sleep(plan.seconds * 1000))
  const idle: IdleResult = {
    nodes: pids.length,
    settleSeconds: plan.settleSeconds,
    seconds: cpu.seconds,
    cpuSeconds: cpu.nodesCpu,
    percentOfOneCore: (cpu.nodesCpu / cpu.seconds) * 100,
    percentPerNode: (cpu.nodesCpu / cpu.seconds / pids.length) * 100,
    otherCores: cpu.otherCores,
    kbSentPerNodePerSecond: cpu.bytesSent / 1024 / pids.length / cpu.seconds,
    writesPerNodePerSecond: cpu.writes / pids.length / cpu.seconds,
    closedConnections: cpu.closedConnections,
    openConnections: cpu.openConnections,
  }
  if (!label) return idle
  ok(
    `${label}: ${idle.cpuSeconds.toFixed(2)} CPU-s in ${idle.seconds.toFixed(1)} s = ${idle.percentOfOneCore.toFixed(1)}% of one core ` +
      `(${idle.percentPerNode.toFixed(2)}% per node)` +
      pc.dim(`; other processes kept ${idle.otherCores.toFixed(2)} cores busy`),
  )
  return idle
}

export function idleSection(idle: IdleResult): Section {
  return {
    title: `idle: ${idle.nodes} nodes measured for ${idle.seconds.toFixed(0)} s after ${idle.settleSeconds} s of rest`,
    rows: [
      {
        metric: 'CPU, all nodes',
        value: `${idle.percentOfOneCore.toFixed(1)}% of a core`,
        target: target({ metric: `idle CPU, N = ${idle.nodes}`, value: idle.percentOfOneCore, unit: '% of a core' }, '<', 10),
        targetLabel: '< 10% (nearly free)',
      },
      { metric: '  per node', value: `${idle.percentPerNode.toFixed(2)}% of a core`, note: `others: ${idle.otherCores.toFixed(2)} cores busy` },
      { metric: '  sent per node per second', value: `${idle.kbSentPerNodePerSecond.toFixed(1)} KB` },
      { metric: '  connections closed / open', value: `${idle.closedConnections} / ${idle.openConnections}` },
    ],
  }
}
