// make scale [LOG2N=21] [SEED=n] [LATENCY=exponential]: one converged ring of 2^LOG2N nodes on the timed
// simulator (2,097,152 by default), 10,000 lookups through the real routing code; how long building
// took, the heap per node, the peak memory and the events run per second. Written to bench/scale.json.
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { writeReport } from '../src/workbench/report/report-files.js'
import { PAPER_LATENCY } from '../src/workbench/sim/latency.js'
import { pathLengthAt } from '../src/workbench/sim/paper-paths.js'

function heapUsed(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed
}

runTool(async () => {
  const { args } = toolEnvironment()
  const seed = args.integer('seed')
  const n = 2 ** args.integer('log2Nodes')
  const latency = { ...PAPER_LATENCY, kind: args.given('latency') ?? PAPER_LATENCY.kind }
  const lookups = 10_000
  info(`building a converged ring of ${n.toLocaleString('en-US')} nodes, then ${lookups.toLocaleString('en-US')} lookups (seed ${seed}, ${latency.kind} delays of mean ${latency.meanMs} ms)`)
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const { row, cost } = await pathLengthAt(n, { seed, lookups, latency, heapUsed })
  const cpu = process.cpuUsage(cpuBefore)
  const seconds = (performance.now() - started) / 1000
  const peakRssGb = process.resourceUsage().maxRSS / 1024 / 1024
  const result = { kind: 'scale', seed, node: process.version, ranAt: new Date().toISOString(), n, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssGb, row, cost }
  writeReport('bench', 'scale.json', result, [])
  info(`built in ${cost.buildSeconds.toFixed(1)} s (${cost.buildCpuSeconds.toFixed(1)} s of CPU), ${Math.round(cost.heapBytesPerNode)} bytes of heap per node, peak RSS ${peakRssGb.toFixed(2)} GB`)
  info(`${lookups} lookups: mean ${row.hops.mean.toFixed(3)} hops (p1 ${row.hops.p1}, p99 ${row.hops.p99}; ½·log2 N = ${row.halfLog2N}), ${row.failed} failed, ${row.latencyMs.mean.toFixed(0)} simulated ms each; ${cost.events.toLocaleString('en-US')} events at ${Math.round(cost.eventsPerSecond).toLocaleString('en-US')}/s (${Math.round(cost.eventsPerCpuSecond).toLocaleString('en-US')} per CPU second)`)
  ok(`2^${Math.log2(n)} nodes in ${seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} s of CPU); wrote bench/scale.json (seed ${seed})`)
})
