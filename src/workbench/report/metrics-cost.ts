// Phase "metrics": what counting for /metrics costs, in lookups per second, on a ring of its own.
// Rounds alternate counting on and off on every node (PUT /metrics pauses it), on, off, off, on…, as
// the tracing phase does with the message log, so both figures come from the same ring and moment and
// a drift cancels out; during the rounds with counting on, every node is also scraped once a second
// (five times as often as make prometheus, fifteen times Prometheus' usual), so the figure includes
// rendering the exposition.
import http from 'node:http'
import type { RingSettings } from '../../node/settings.js'
import type { ProcessRecord } from '../../tools/network-state.js'
import { info, ok } from '../../tools/output.js'
import type { BenchContext } from './bench-context.js'
import { BenchRing } from './bench-ring.js'
import { sideBySide } from './compare.js'
import { rate } from './format.js'
import { closedLoop, sequential } from './load.js'
import { lookupOperation, storeOperation } from './operations.js'
import { totalCpuSeconds } from './proc.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface MetricsCostPlan {
  size: number
  settings: RingSettings
  values: number
  /** Lookups before the rounds, counting on: each process's code gets optimised first. */
  warmSeconds: number
  /** Rounds per setting, in the order on, off, off, on… */
  rounds: number
  roundSeconds: number
  inFlight: number
  /** How often each node's /metrics is read during a round with counting on (0: never, counting alone). */
  scrapeMs: number
  maxRequests: number
}

export interface MetricsCostResult {
  n: number
  /** Lookups per second of each round, counting on and off. */
  on: number[]
  off: number[]
  onPerSecond: number
  offPerSecond: number
  /** Median over each pair of neighbouring rounds of on ÷ off. */
  ratio: number
  /**
   * CPU the ring's processes used per lookup, in µs, each round (scrapes included): unlike lookups per
   * second, it hardly moves when other programs share the machine.
   */
  cpuOn: number[]
  cpuOff: number[]
  cpuRatio: number
  /** Scrapes made during the rounds with counting on; one node's exposition, its mean size and its last length in lines. */
  scrapes: number
  exposition: { bytes: number; lines: number }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}

interface Scraped {
  scrapes: number
  bytes: number
  /** Lines of the last exposition read. */
  lines: number
}

/** One GET of a node's /metrics: its text. */
function scrape(agent: http.Agent, node: ProcessRecord): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: node.host, port: node.port, path: '/metrics', agent }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      response.on('error', reject)
    })
    request.on('error', reject)
  })
}

/**
 * Reads every node's /metrics each `everyMs` until stopped, as a Prometheus would, over kept-alive
 * connections: a few dozen requests a second beside the load's thousands, in the load generator's own
 * process, so it costs the generator as little as possible.
 */
function scraper(processes: readonly ProcessRecord[], everyMs: number): { stop(): Promise<Scraped> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const seen: Scraped = { scrapes: 0, bytes: 0, lines: 0 }
  let running = true
  let timer: NodeJS.Timeout | undefined
  let wake: (() => void) | undefined
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      for (const node of processes) {
        const text = await scrape(agent, node)
        seen.scrapes++
        seen.bytes += text.length
        seen.lines = text.split('\n').length - 1
      }
      const wait = everyMs - (performance.now() - started)
      if (running && wait > 0) await new Promise<void>((resolve) => ((wake = resolve), (timer = setTimeout(resolve, wait))))
    }
  })()
  return {
    async stop() {
      running = false
      clearTimeout(timer)
      wake?.()
      await loop
      agent.destroy()
      return seen
    },
  }
}

export async function measureMetricsCost(ctx: BenchContext, plan: MetricsCostPlan): Promise<MetricsCostResult> {
  info(`metrics: a ring of ${plan.size}; lookups/s, after ${plan.warmSeconds} s of warm-up, in ${plan.rounds} rounds each with counting on (every node scraped each ${plan.scrapeMs} ms) and off`)
  const ring = await BenchRing.boot(ctx, 'metrics', { ...plan.settings, metrics: true })
  try {
    await ring.growTo(plan.size, 'metrics: adding nodes')
    const processes = ring.processes()
    const stored: string[] = []
    await sequential(plan.values, storeOperation(ring.client, processes, plan.settings.replicas, 'metrics', stored))
    const setCounting = (counting: boolean) => Promise.all(processes.map((p) => ring.client.http.request(p, 'PUT', '/metrics', { counting })))
    const pids = ring.pids()
    const lookups = (seconds: number) => closedLoop({ concurrency: plan.inFlight, durationMs: seconds * 1000, maxRequests: plan.maxRequests }, lookupOperation(ring.client, processes, stored))
    const on: number[] = []
    const off: number[] = []
    const cpuOn: number[] = []
    const cpuOff: number[] = []
    let scraped = { scrapes: 0, bytes: 0, lines: 0 }
    await lookups(plan.warmSeconds)
    for (let i = 0; i < 2 * plan.rounds; i++) {
      const counting = i % 4 === 0 || i % 4 === 3
      await setCounting(counting)
      const scrapes = counting && plan.scrapeMs > 0 ? scraper(processes, plan.scrapeMs) : undefined
      const cpuBefore = totalCpuSeconds(pids).seconds
      const load = await lookups(plan.roundSeconds)
      const cpuMicros = ((totalCpuSeconds(pids).seconds - cpuBefore) / Math.max(1, load.ok)) * 1e6
      const done = await scrapes?.stop()
      if (done) scraped = { scrapes: scraped.scrapes + done.scrapes, bytes: scraped.bytes + done.bytes, lines: done.lines }
      ;(counting ? on : off).push(load.perSecond)
      ;(counting ? cpuOn : cpuOff).push(cpuMicros)
    }
    await setCounting(true)
    const ratio = median(on.map((x, i) => x / off[i]!))
    const cpuRatio = median(cpuOn.map((x, i) => x / cpuOff[i]!))
    const result: MetricsCostResult = { n: processes.length, on, off, onPerSecond: median(on), offPerSecond: median(off), ratio, cpuOn, cpuOff, cpuRatio, scrapes: scraped.scrapes, exposition: { bytes: scraped.bytes / Math.max(1, scraped.scrapes), lines: scraped.lines } }
    ok(`metrics: lookups/s with counting on ${rate(result.onPerSecond)}, off ${rate(result.offPerSecond)} (${(ratio * 100).toFixed(1)}% of off, round by round); ring CPU per lookup ${(cpuRatio * 100).toFixed(1)}% of off; ${result.scrapes} scrapes of ${Math.round(result.exposition.lines)} lines each`)
    return result
  } finally {
    await ring.stop()
  }
}

export function metricsCostSection(result: MetricsCostResult, plan: MetricsCostPlan): Section {
  const section = sideBySide(
    `/metrics at N=${result.n}: counting off and on (scraped every ${plan.scrapeMs} ms), rounds of ${plan.roundSeconds} s, on off off on… (${plan.inFlight} in flight), medians`,
    { baseline: 'counting off:', variants: ['counting on:'] },
    [{ metric: `lookups/s, N = ${result.n}`, unit: '/s', baseline: result.offPerSecond, variants: [result.onPerSecond], format: rate }],
  )
  section.rows[1]!.note = `rounds on ${result.on.map((x) => Math.round(x)).join(' ')}, off ${result.off.map((x) => Math.round(x)).join(' ')}`
  section.rows.push(
    {
      metric: 'counting on ÷ off, round by round',
      value: `${result.ratio.toFixed(3)}×`,
      note: 'median over neighbouring rounds',
      // The message log's bound (tracing.ts): seeing the ring must not cost a tenth of its lookups.
      target: target({ metric: `lookups/s with /metrics counting on ÷ off, N = ${result.n}`, value: result.ratio, unit: '×' }, '≥', 0.9),
    },
    {
      metric: 'ring CPU per lookup, on ÷ off',
      value: `${result.cpuRatio.toFixed(3)}×`,
      note: `median over neighbouring rounds; on ${Math.round(median(result.cpuOn))} µs, off ${Math.round(median(result.cpuOff))} µs per lookup`,
    },
    { metric: 'one scrape of one node', value: `${Math.round(result.exposition.lines)} lines`, note: `${(result.exposition.bytes / 1024).toFixed(1)} KB, ${result.scrapes} scrapes during the rounds` },
  )
  return section
}
