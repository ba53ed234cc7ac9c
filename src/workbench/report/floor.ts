// Phase "floor": a bare Node HTTP server in a child process, driven by the same keep-alive client as
// every DHT request. What a node costs above this is ours; every `vs floor` ratio divides by it.
import { randomBytes } from 'node:crypto'
import { info, ok } from '../../tools/output.js'
import { RingClient } from '../../tools/ring-client.js'
import type { BenchContext } from './bench-context.js'
import { startEchoServer, type EchoServer } from './echo-floor.js'
import { mb, ms, msPair, rate, times } from './format.js'
import { closedLoop, sequential, type LoadResult } from './load.js'
import { measureWindow, memoryOf, type Window } from './measure.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'

export interface FloorPlan {
  /** Cold starts timed; the last server stays up for the measurements. */
  startups: number
  /** Requests one at a time. */
  sequential: number
  /** Requests in flight for the throughput figure. */
  concurrency: number
  seconds: number
  maxRequests: number
}

export interface FloorResult {
  startupMs: Summary
  single: LoadResult
  singleCpu: Window
  /** Server + client CPU per request, one at a time (no batching: every request wakes the server up). */
  singleCpuUsPerRequest: number
  load: LoadResult
  cpu: Window
  /** Server + client CPU per request with `concurrency` in flight. */
  cpuUsPerRequest: number
  rssMb: number
  pssMb: number
  anonMb: number
  fileMb: number
}

export async function measureFloor(ctx: BenchContext, plan: FloorPlan): Promise<FloorResult> {
  info(`floor: a bare Node HTTP server in a child process (${plan.startups} cold starts)`)
  const startups: number[] = []
  let server: EchoServer | undefined
  for (let i = 0; i < plan.startups; i++) {
    ctx.checkStopping()
    server = ctx.own(await startEchoServer(ctx.host))
    ctx.remember([server.pid])
    startups.push(server.startupMs)
    if (i < plan.startups - 1) await ctx.stopNow(server)
  }
  if (!server) throw new Error('the floor needs at least one echo server')
  const at = { host: server.host, port: server.port }
  // An authorization header of the same size as a ring's, so requests weigh the same.
  const client = new RingClient(160, { secret: randomBytes(32).toString('hex') })
  const closeClient = ctx.own({ stop: async () => client.close() })
  const get = (i: number) => client.http.request(at, 'GET', `/echo?i=${i}`)
  await sequential(200, get) // warm up: connection open, JIT warm
  const ports = new Set([server.port])
  const single = await measureWindow([server.pid], ports, () => sequential(plan.sequential, get))
  const load = await measureWindow([server.pid], ports, () =>
    closedLoop({ concurrency: plan.concurrency, durationMs: plan.seconds * 1000, maxRequests: plan.maxRequests }, get),
  )
  const memory = memoryOf([server.pid])
  await ctx.stopNow(server)
  await ctx.stopNow(closeClient)
  const result: FloorResult = {
    startupMs: summarize(startups),
    single: single.result,
    singleCpu: single.cpu,
    singleCpuUsPerRequest: ((single.cpu.nodesCpu + single.cpu.clientCpu) / single.result.ok) * 1e6,
    load: load.result,
    cpu: load.cpu,
    cpuUsPerRequest: ((load.cpu.nodesCpu + load.cpu.clientCpu) / load.result.ok) * 1e6,
    rssMb: memory.rssMb.mean,
    pssMb: memory.pssMb.mean,
    anonMb: memory.anonMb.mean,
    fileMb: memory.fileMb.mean,
  }
  ok(
    `floor: round trip p50 ${ms(result.single.latencyMs.p50)} p99 ${ms(result.single.latencyMs.p99)}; ` +
      `${rate(result.load.perSecond)} with ${plan.concurrency} in flight; cold start ${ms(result.startupMs.mean)}; RSS ${mb(result.rssMb)}`,
  )
  return result
}

/** "14× / 3.8×": p50 and p99 of `measured` against those of the floor's. */
export function vsFloorLatency(measured: Summary, floor: Summary): string {
  return `${times(measured.p50 / floor.p50)} / ${times(measured.p99 / floor.p99)}`
}

export function floorSection(floor: FloorResult, plan: FloorPlan, cpus: number): Section {
  const perCore = (cpu: number) => (cpu / floor.cpu.seconds).toFixed(2)
  return {
    title: 'floor: bare Node HTTP server in a child process, same keep-alive HttpClient',
    rows: [
      { metric: 'round trip p50 / p99', value: msPair(floor.single.latencyMs.p50, floor.single.latencyMs.p99), vs: '1×' },
      { metric: `throughput, ${plan.concurrency} in flight`, value: rate(floor.load.perSecond), vs: '1×', note: `${floor.load.errors} errors` },
      { metric: '  latency p50 / p99 under load', value: msPair(floor.load.latencyMs.p50, floor.load.latencyMs.p99), vs: '1×' },
      {
        metric: '  cores: server + client + others',
        value: `${perCore(floor.cpu.nodesCpu)} + ${perCore(floor.cpu.clientCpu)} + ${floor.cpu.otherCores.toFixed(2)}`,
        note: `of ${cpus} cores`,
      },
      {
        metric: `CPU/request, 1 / ${plan.concurrency} in flight`,
        value: `${floor.singleCpuUsPerRequest.toFixed(0)} / ${floor.cpuUsPerRequest.toFixed(0)} µs`,
        vs: '1×',
        note: 'server + client',
      },
      { metric: 'cold start to listening', value: ms(floor.startupMs.mean), vs: '1×' },
      { metric: 'RSS / PSS', value: `${mb(floor.rssMb)} / ${mb(floor.pssMb)}`, vs: '1×' },
    ],
  }
}
