// Phase "flags": what the V8 flags every node process starts with buy, on two small rings that differ
// only in them: Node's defaults, and NODE_PROCESS_FLAGS (spawn.ts). The same load on each, then the
// memory each node holds, RSS and PSS (RSS counts the Node binary's pages that all processes share).
import { info, ok } from '../../tools/output.js'
import { NODE_PROCESS_FLAGS } from '../../tools/spawn.js'
import type { RingSettings } from '../../node/settings.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { mb, rate } from './format.js'
import { closedLoop, sequential } from './load.js'
import { memoryOf, type MemorySummary } from './measure.js'
import { lookupOperation, storeOperation } from './operations.js'
import type { Section } from './table.js'

export interface FlagsPlan {
  size: number
  settings: RingSettings
  values: number
  inFlight: number
  seconds: number
  maxRequests: number
}

export interface FlagsFigures {
  flags: readonly string[]
  lookupsPerSecond: number
  idle: MemorySummary
  loaded: MemorySummary
}

export interface FlagsResult {
  n: number
  defaults: FlagsFigures
  chosen: FlagsFigures
}

async function measureWith(ctx: BenchContext, plan: FlagsPlan, name: string, flags: readonly string[]): Promise<FlagsFigures> {
  const ring = await BenchRing.boot(ctx, name, plan.settings, { nodeFlags: flags })
  try {
    await ring.growTo(plan.size, `flags: ${flags.join(' ') || "Node's defaults"}, adding nodes`)
    const processes = ring.processes()
    const stored: string[] = []
    await sequential(plan.values, storeOperation(ring.client, processes, plan.settings.replicas, name, stored))
    const idle = memoryOf(ring.pids())
    const load = await closedLoop({ concurrency: plan.inFlight, durationMs: plan.seconds * 1000, maxRequests: plan.maxRequests }, lookupOperation(ring.client, processes, stored))
    return { flags, lookupsPerSecond: load.perSecond, idle, loaded: memoryOf(ring.pids()) }
  } finally {
    await ring.stop()
  }
}

export async function measureFlags(ctx: BenchContext, plan: FlagsPlan): Promise<FlagsResult> {
  info(`flags: two rings of ${plan.size}, Node's defaults and ${NODE_PROCESS_FLAGS.join(' ')}; ${plan.seconds} s of lookups, ${plan.inFlight} in flight, on each`)
  const defaults = await measureWith(ctx, plan, 'flags-defaults', [])
  const chosen = await measureWith(ctx, plan, 'flags-chosen', NODE_PROCESS_FLAGS)
  ok(`flags: RSS after the load ${mb(defaults.loaded.rssMb.mean)} → ${mb(chosen.loaded.rssMb.mean)} per node, lookups/s ${rate(defaults.lookupsPerSecond)} → ${rate(chosen.lookupsPerSecond)}`)
  return { n: plan.size, defaults, chosen }
}

export function flagsSection(result: FlagsResult): Section {
  const { defaults, chosen } = result
  const pick = (figure: (f: FlagsFigures) => number) => ({ baseline: figure(defaults), variants: [figure(chosen)] })
  const section = sideBySide(
    `V8 flags of the node processes, two rings of ${result.n}: Node's defaults and ${chosen.flags.join(' ')}`,
    { baseline: 'defaults:', variants: ['chosen:'] },
    [
      { metric: 'RSS per node, after the load', unit: 'MB', ...pick((f) => f.loaded.rssMb.mean), format: mb },
      { metric: 'PSS per node, after the load', unit: 'MB', ...pick((f) => f.loaded.pssMb.mean), format: mb },
      { metric: 'RSS per node, idle', unit: 'MB', ...pick((f) => f.idle.rssMb.mean), format: mb },
      { metric: 'lookups/s', unit: '/s', ...pick((f) => f.lookupsPerSecond), format: rate },
    ],
  )
  section.rows[section.rows.length - 1]!.note = 'two rings, so their ids differ too: ±10% between identical rings'
  return section
}
