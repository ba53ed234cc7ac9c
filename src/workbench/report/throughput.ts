// Phase "throughput": a fixed number of lookups, then stores, kept in flight for a while through one
// keep-alive client; what they cost in CPU and traffic per operation and per HTTP exchange.
import { info, ok } from '../../tools/output.js'
import type { BenchRing } from './bench-ring.js'
import { vsFloorLatency, type FloorResult } from './floor.js'
import { errorList, msPair, rate, times } from './format.js'
import { idleCpuRate, type IdleResult } from './idle.js'
import { closedLoop, type LoadResult } from './load.js'
import { measureWindow, type Window } from './measure.js'
import { lookupOperation, newOpStats, storeOperation, type OpStats } from './operations.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface ThroughputPlan {
  inFlight: number
  seconds: number
  maxRequests: number
}

export interface LoadFigures extends LoadResult {
  cpu: Window
  /** Cores busy during the window: nodes, and this process (the client). */
  coresBusy: number
  nodeCores: number
  clientCores: number
  otherCores: number
  nodeBytesPerOp: number
  /** CPU per operation, in µs, with the ring's own maintenance (idle rate) taken out. */
  cpuUsPerOp: number
  exchangesPerOp: number
  hops: Summary
}

export interface ThroughputResult {
  lookup: LoadFigures
  store: LoadFigures
  cpuUsPerExchange: number
  floorCpuUsPerExchange: number
}

export async function measureThroughput(ring: BenchRing, stored: string[], idle: IdleResult, floor: FloorResult, plan: ThroughputPlan): Promise<ThroughputResult> {
  info(`throughput: ${plan.inFlight} requests in flight for ${plan.seconds} s, lookups then stores, one keep-alive HttpClient`)
  const processes = ring.processes()
  const options = { concurrency: plan.inFlight, durationMs: plan.seconds * 1000, maxRequests: plan.maxRequests }
  const underLoad = async (operation: (stats: OpStats) => (i: number) => Promise<unknown>): Promise<LoadFigures> => {
    const stats = newOpStats()
    const load = await measureWindow(ring.pids(), ring.ports(), () => closedLoop(options, operation(stats)))
    const { cpu, result } = load
    return {
      ...result,
      cpu,
      coresBusy: (cpu.nodesCpu + cpu.clientCpu) / cpu.seconds,
      nodeCores: cpu.nodesCpu / cpu.seconds,
      clientCores: cpu.clientCpu / cpu.seconds,
      otherCores: cpu.otherCores,
      nodeBytesPerOp: cpu.bytesSent / result.ok,
      cpuUsPerOp: ((cpu.nodesCpu - idleCpuRate(idle) * cpu.seconds + cpu.clientCpu) / result.ok) * 1e6,
      exchangesPerOp: summarize(stats.exchanges).mean,
      hops: summarize(stats.hops),
    }
  }
  const lookup = await underLoad((stats) => lookupOperation(ring.client, processes, stored, stats))
  const store = await underLoad((stats) => storeOperation(ring.client, processes, ring.settings.replicas, 'load', [], stats))
  ok(`throughput: ${rate(lookup.perSecond)} lookups (${lookup.errors} errors), ${rate(store.perSecond)} stores (${store.errors} errors)`)
  return { lookup, store, cpuUsPerExchange: lookup.cpuUsPerOp / lookup.exchangesPerOp, floorCpuUsPerExchange: floor.cpuUsPerRequest }
}

export function throughputSection(throughput: ThroughputResult, floor: FloorResult, plan: ThroughputPlan, ringSize: number): Section {
  const { lookup: l, store: s } = throughput
  const vsFloorRate = (perSecond: number) => times(perSecond / floor.load.perSecond)
  const outcome = (r: LoadResult) => `${r.ok} ok, ${r.errors} errors${errorList(r.errorCodes)}`
  return {
    title: `throughput at N=${ringSize}: ${plan.inFlight} requests in flight for ${plan.seconds} s, random entry node`,
    rows: [
      {
        metric: 'lookups/s',
        value: rate(l.perSecond),
        vs: vsFloorRate(l.perSecond),
        target: target({ metric: `lookups/s, N = ${ringSize}, ${plan.inFlight} in flight`, value: l.perSecond, unit: '/s' }, '≥', 2500),
      },
      { metric: '  latency p50 / p99 under load', value: msPair(l.latencyMs.p50, l.latencyMs.p99), vs: vsFloorLatency(l.latencyMs, floor.load.latencyMs), note: outcome(l) },
      {
        metric: '  cores: nodes + client + others',
        value: `${l.nodeCores.toFixed(2)} + ${l.clientCores.toFixed(2)} + ${l.otherCores.toFixed(2)}`,
        note: `${l.cpuUsPerOp.toFixed(0)} µs CPU per lookup`,
      },
      {
        metric: '  CPU per HTTP exchange',
        value: `${throughput.cpuUsPerExchange.toFixed(0)} µs`,
        vs: times(throughput.cpuUsPerExchange / floor.cpuUsPerRequest),
        note: `${l.exchangesPerOp.toFixed(2)} exchanges per lookup`,
      },
      { metric: '  sent by the nodes per lookup', value: `${(l.nodeBytesPerOp / 1024).toFixed(1)} KB` },
      { metric: '  connections closed / open', value: `${l.cpu.closedConnections} / ${l.cpu.openConnections}`, note: 'closed: not kept alive' },
      { metric: 'stores/s', value: rate(s.perSecond), vs: vsFloorRate(s.perSecond), note: outcome(s) },
      { metric: '  latency p50 / p99 under load', value: msPair(s.latencyMs.p50, s.latencyMs.p99), vs: vsFloorLatency(s.latencyMs, floor.load.latencyMs) },
    ],
  }
}
