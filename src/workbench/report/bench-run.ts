// make bench as a sequence of phases: what each measures (the plan), the order they run in and what
// each hands the next, the table's sections, and the files written. A phase is a module with a plan, a
// result type, a measure function and a section; adding one is its plan in benchPlan, a line in runBench
// (its result lands in results.json) and a line in benchSections (its rows and targets in the table).
import os from 'node:os'
import { defaultSettings, type RingSettings } from '../../tools/network-state.js'
import { info } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { bigRingSection, measureBigRing, type BigRingPlan, type BigRingResult } from './big-ring.js'
import { delayPlan, delaySection, measureDelay, type DelayPlan, type DelayResult } from './delay.js'
import { directSection, measureDirect, type DirectPlan, type DirectResult } from './direct.js'
import { dropSection, measureDrop, type DropPlan, type DropResult } from './drop.js'
import { floorSection, measureFloor, type FloorPlan, type FloorResult } from './floor.js'
import { hopsSection, measureHops, type HopsPlan, type HopsResult } from './hops.js'
import { idleSection, measureIdle, type IdlePlan, type IdleResult } from './idle.js'
import { joinsSection, measureJoins, type JoinsResult, type RingPlan } from './joins.js'
import { latencySection, measureLatency, type LatencyPlan, type LatencyResult } from './latency.js'
import { describeMachine, machineLine, machineSection, type Machine } from './machine.js'
import { measureMemory, memorySection, type MemoryResult } from './memory.js'
import { hopsChart, writeReport } from './report-files.js'
import { targetsOf, type Section } from './table.js'
import type { Target } from './targets.js'
import { measureThroughput, throughputSection, type ThroughputPlan, type ThroughputResult } from './throughput.js'
import { flagsSection, measureFlags, type FlagsPlan, type FlagsResult } from './flags.js'
import { hundredSection, measureHundred, type HundredPlan, type HundredResult } from './hundred.js'
import { measureModes, modesSection, type ModesPlan, type ModesResult } from './modes.js'
import { measureMetricsCost, metricsCostSection, type MetricsCostPlan, type MetricsCostResult } from './metrics-cost.js'
import { measureTracing, tracingSection, type TracingPlan, type TracingResult } from './tracing.js'
import { measureVnodes, vnodesSection, type VnodesPlan, type VnodesResult } from './vnodes.js'

export interface BenchPlan {
  quick: boolean
  floor: FloorPlan
  hops: HopsPlan
  ring: RingPlan
  idle: IdlePlan
  latency: LatencyPlan
  throughput: ThroughputPlan
  tracing: TracingPlan
  hundred: HundredPlan
  big: BigRingPlan
  modes: ModesPlan
  direct: DirectPlan
  flags: FlagsPlan
  metrics: MetricsCostPlan
  drop: DropPlan
  vnodes: VnodesPlan
  /** Only with make bench DELAY_MS=…: lookups per mode on a ring whose calls are delayed. */
  delay?: DelayPlan
}

export function benchPlan(quick: boolean, delay: { delayMs?: number | undefined; jitterMs?: number | undefined } = {}): BenchPlan {
  const maxRequests = 200_000
  const hopSettings = { ...defaultSettings(), bits: 160, replicas: 3, routeMode: 'fingers', stabilizeMs: 200, fingerMs: 500 } satisfies RingSettings
  const delayed = delayPlan(quick, delay, hopSettings)
  return {
    quick,
    floor: { startups: 3, sequential: 2000, concurrency: 32, seconds: quick ? 2 : 3, maxRequests },
    hops: {
      sizes: quick ? [8, 16, 32] : [8, 16, 32, 64],
      ids: 300,
      settings: hopSettings,
    },
    ring: { size: 32, settings: defaultSettings() },
    idle: { settleSeconds: quick ? 2 : 10, seconds: quick ? 5 : 10 },
    latency: { pings: 500, stores: 500, lookups: quick ? 500 : 1000, misses: quick ? 200 : 500 },
    throughput: { inFlight: 64, seconds: quick ? 2 : 3, maxRequests },
    tracing: { traced: quick ? 50 : 200, joins: quick ? 3 : 8, warmSeconds: quick ? 3 : 30, rounds: quick ? 3 : 6, roundSeconds: quick ? 1 : 2, inFlight: 32, maxRequests },
    hundred: { n: quick ? 48 : 100, settleSeconds: quick ? 5 : 20, idleSeconds: quick ? 5 : 10, healthTimeoutSeconds: 30 },
    // One join at a time: with 4 at a time on 2 cores, /join at ~180 nodes outlasted the nodes' 2 s
    // request timeout (the ring's own maintenance keeps the CPU busy by then) and joins failed.
    big: { n: quick ? 0 : 200, parallel: 1, budgetSeconds: 240, checks: 200, idleSeconds: 5 },
    modes: {
      size: quick ? 16 : 32,
      modes: ['fingers', 'onehop', 'linear'],
      settings: defaultSettings(),
      values: 100,
      settleSeconds: quick ? 3 : 10,
      idleSeconds: quick ? 3 : 5,
      lookups: quick ? 300 : 1000,
      traced: quick ? 50 : 200,
      inFlight: 32,
      seconds: quick ? 2 : 3,
      maxRequests,
    },
    // N = 32 even when QUICK: the targets are set at that size.
    direct: { size: 32, settings: defaultSettings(), values: 200, warmup: 300, lookups: quick ? 500 : 1000, inFlight: 32, rounds: quick ? 2 : 3, roundSeconds: quick ? 2 : 3, maxRequests },
    flags: { size: 8, settings: defaultSettings(), values: 100, inFlight: 32, seconds: quick ? 3 : 10, maxRequests },
    metrics: { size: 16, settings: defaultSettings(), values: 200, warmSeconds: quick ? 3 : 20, rounds: quick ? 3 : 6, roundSeconds: quick ? 1 : 3, inFlight: 32, scrapeMs: 1000, maxRequests },
    drop: { size: 10, dropRate: 0.1, values: 100, lookups: quick ? 100 : 200, inFlight: 8, settings: defaultSettings() },
    vnodes: {
      processes: quick ? 8 : 16,
      vnodes: quick ? [1, 4] : [1, 2, 4, 8],
      values: quick ? 500 : 2000,
      inFlight: 16,
      crash: true,
      healthSeconds: 30,
      idRings: 200,
      settings: defaultSettings(),
    },
    ...(delayed ? { delay: delayed } : {}),
  }
}

/** What results.json holds (the ring of N nodes keeps the shape earlier runs recorded). */
export interface BenchResults extends BenchRun {
  /** Every target of the table, met or not. */
  targets: Target[]
}

/** What the phases measured, before the table is made. */
export interface BenchRun {
  kind: 'processes'
  quick: boolean
  plan: BenchPlan
  machine: Machine
  seconds: number
  /** Wall time of each phase, in s. */
  phaseSeconds: Record<string, number>
  joinFailures: string[]
  floor: FloorResult
  hops: HopsResult
  ring: {
    n: number
    settings: RingSettings
    joins: JoinsResult
    memoryIdle: MemoryResult['idle']
    memoryLoaded: MemoryResult['loaded']
    idle: IdleResult
    latency: LatencyResult
    throughput: ThroughputResult
    tracing: TracingResult
    hundred: HundredResult
    big?: BigRingResult
  }
  modes: ModesResult
  /** Lookups straight to the owner against through a random node, one ring of 32. */
  direct: DirectResult
  flags: FlagsResult
  metrics: MetricsCostResult
  /** A ring losing 10 % of its node-to-node calls: lookups of stored values. */
  drop: DropResult
  /** Fig. 9 on real processes: keys per process with v virtual nodes each, and a crash of one process. */
  vnodes: VnodesResult
  /** make bench DELAY_MS=…: its own ring, lookups per mode with every call delayed. */
  delay?: DelayResult
}

export async function runBench(ctx: BenchContext, plan: BenchPlan): Promise<BenchRun> {
  const started = performance.now()
  const machine = describeMachine()
  info(`bench${plan.quick ? ' (QUICK)' : ''}: ${machineLine(machine)}; state in ${ctx.tempRoot}`)
  const phaseSeconds: Record<string, number> = {}
  const phase = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    ctx.checkStopping()
    const t0 = performance.now()
    const result = await work()
    phaseSeconds[name] = (performance.now() - t0) / 1000
    return result
  }
  const floor = await phase('floor', () => measureFloor(ctx, plan.floor))
  const hops = await phase('hops', () => measureHops(ctx, plan.hops))
  const { ring, joins } = await phase('joins', () => measureJoins(ctx, plan.ring))
  const memoryIdle = measureMemory(ring, true)
  const idle = await phase('idle', () => measureIdle(ring, plan.idle))
  const { latency, stored } = await phase('latency', () => measureLatency(ring, idle, plan.latency))
  const throughput = await phase('throughput', () => measureThroughput(ring, stored, idle, floor, plan.throughput))
  const memoryLoaded = measureMemory(ring)
  const tracing = await phase('tracing', () => measureTracing(ring, stored, plan.tracing))
  const hundred = await phase('hundred', () => measureHundred(ring, stored, plan.hundred))
  const big = plan.big.n > 0 ? await phase('big', () => measureBigRing(ring, stored, plan.big)) : undefined
  await ring.stop()
  const modes = await phase('modes', () => measureModes(ctx, plan.modes))
  const direct = await phase('direct', () => measureDirect(ctx, plan.direct))
  const flags = await phase('flags', () => measureFlags(ctx, plan.flags))
  const metrics = await phase('metrics', () => measureMetricsCost(ctx, plan.metrics))
  const drop = await phase('drop', () => measureDrop(ctx, plan.drop))
  const vnodes = await phase('vnodes', () => measureVnodes(ctx, plan.vnodes))
  const delay = plan.delay ? await phase('delay', () => measureDelay(ctx, plan.delay!)) : undefined
  machine.loadAverageEnd = os.loadavg()
  return {
    kind: 'processes',
    quick: plan.quick,
    plan,
    machine,
    seconds: (performance.now() - started) / 1000,
    phaseSeconds,
    joinFailures: [...hops.joinFailures, ...joins.failures, ...(big?.joinFailures ?? [])],
    floor,
    hops,
    ring: { n: plan.ring.size, settings: plan.ring.settings, joins, memoryIdle, memoryLoaded, idle, latency, throughput, tracing, hundred, ...(big ? { big } : {}) },
    modes,
    direct,
    flags,
    metrics,
    drop,
    vnodes,
    ...(delay ? { delay } : {}),
  }
}

/** The table, one section per phase, in the order people read them. */
export function benchSections(results: BenchRun): Section[] {
  const { plan, floor, hops, ring } = results
  return [
    machineSection(results.machine, plan.quick),
    floorSection(floor, plan.floor, results.machine.cpus),
    hopsSection(hops, plan.hops),
    latencySection(ring.latency, floor, ring.n),
    throughputSection(ring.throughput, floor, plan.throughput, ring.n),
    modesSection(results.modes),
    directSection(results.direct),
    tracingSection(ring.tracing, plan.tracing),
    metricsCostSection(results.metrics, plan.metrics),
    memorySection({ idle: ring.memoryIdle, loaded: ring.memoryLoaded }, floor),
    flagsSection(results.flags),
    dropSection(results.drop),
    vnodesSection(results.vnodes),
    idleSection(ring.idle),
    hundredSection(ring.hundred),
    joinsSection(ring.joins, hops, floor, { ring: plan.ring, hopSizes: plan.hops.sizes }, results.joinFailures),
    ...(ring.big ? [bigRingSection(ring.big, floor, plan.big)] : []),
    ...(results.delay ? [delaySection(results.delay)] : []),
  ]
}

/** Writes bench/results.json (with every target of the table) and bench/bench.svg; returns the paths. */
export function writeBenchReport(dir: string, results: BenchRun, sections: Section[]): string[] {
  const document: BenchResults = { ...results, targets: targetsOf(sections) }
  const rows = results.hops.rows
  return writeReport(dir, 'results.json', document, [
    hopsChart('bench.svg', 'Lookup hops, real node processes on loopback', [
      { name: 'fingers, mean (p1–p99)', color: '#2563eb', rows: rows.map((r) => ({ n: r.n, hops: r.fingers })) },
      { name: 'linear, mean (p1–p99)', color: '#059669', rows: rows.map((r) => ({ n: r.n, hops: r.linear })) },
    ]),
  ])
}
