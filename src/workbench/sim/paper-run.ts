// `make paper`'s experiments in order, each a step of a plan (the full plan, or QUICK's smaller one),
// with the work each step is expected to take so a run can say how long is left. The figures depend on
// the seed alone; what the run cost (seconds, heap, events per second) is kept apart from them.
import { IdSpace } from '../../node/ring.js'
import type { LatencyModel } from './latency.js'
import { keyIds, loadBalance, virtualNodes, type LoadRow } from './paper-load.js'
import { lookupsUnderChurn, type ChurnRow } from './paper-churn.js'
import { simultaneousFailures, type FailureRow } from './paper-failures.js'
import { pathLengthAt, type PathCost, type PathRow } from './paper-paths.js'

export interface PaperPlan {
  latency: LatencyModel
  timeoutMs: number
  load: { nodes: number; totals: number[]; vnodes: number[]; vnodeKeys: number }
  paths: { sizes: number[]; lookups: number; histogramAt: number; replicas: number }
  failures: { n: number; r: number; fractions: number[]; lookups: number }
  churn: { n: number; r: number; rates: number[]; lookups: number; lookupRate: number; warmupSeconds: number; periodMs: number }
}

export interface PaperFigures {
  load: LoadRow[]
  vnodes: LoadRow[]
  paths: PathRow[]
  failures: FailureRow[]
  churn: ChurnRow[]
}

export interface PaperCosts {
  paths: PathCost[]
  /** Wall and CPU seconds of each step (CPU: this process's, all its threads). */
  steps: Array<{ step: string; seconds: number; cpuSeconds: number }>
}

const powersOfTwo = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => 2 ** (from + i))

export function paperPlan(options: { quick: boolean; latency: LatencyModel; timeoutMs: number; largestExponent?: number }): PaperPlan {
  const { quick, latency, timeoutMs } = options
  const largest = options.largestExponent ?? (quick ? 16 : 21)
  return quick
    ? {
        latency,
        timeoutMs,
        load: { nodes: 10_000, totals: [100_000, 500_000, 1_000_000], vnodes: [1, 2, 5, 10, 20], vnodeKeys: 1_000_000 },
        paths: { sizes: powersOfTwo(3, largest), lookups: 2000, histogramAt: 2 ** 12, replicas: 3 },
        failures: { n: 1000, r: 20, fractions: [0, 0.1, 0.2, 0.3, 0.4, 0.5], lookups: 2000 },
        churn: { n: 1000, r: 20, rates: [0.05, 0.2, 0.4], lookups: 1000, lookupRate: 10, warmupSeconds: 60, periodMs: 30_000 },
      }
    : {
        latency,
        timeoutMs,
        load: { nodes: 10_000, totals: Array.from({ length: 10 }, (_, i) => (i + 1) * 100_000), vnodes: [1, 2, 5, 10, 20], vnodeKeys: 1_000_000 },
        paths: { sizes: powersOfTwo(3, largest), lookups: 10_000, histogramAt: 2 ** 12, replicas: 3 },
        failures: { n: 1000, r: 20, fractions: [0, 0.1, 0.2, 0.3, 0.4, 0.5], lookups: 10_000 },
        churn: { n: 1000, r: 20, rates: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4], lookups: 10_000, lookupRate: 20, warmupSeconds: 120, periodMs: 30_000 },
      }
}

export interface PaperStep {
  name: string
  /** Expected work, in about CPU seconds on a quiet core: for the time left. */
  weight: number
  run: () => Promise<void>
}

/** The plan's steps, filling `figures` and `costs` as they run. */
export function paperSteps(plan: PaperPlan, seed: number, figures: PaperFigures, costs: PaperCosts, heapUsed?: () => number): PaperStep[] {
  const space = new IdSpace(160)
  const steps: PaperStep[] = []
  const { load, paths, failures, churn } = plan
  let keys: bigint[] = []
  steps.push({
    name: `load balance: ${load.nodes} nodes, up to ${load.totals.at(-1)} keys`,
    weight: 2e-6 * Math.max(...load.totals, load.vnodeKeys) + 4e-6 * load.nodes,
    run: async () => {
      keys = keyIds(space, Math.max(...load.totals, load.vnodeKeys), seed)
      figures.load = loadBalance(space, load.nodes, keys, load.totals)
    },
  })
  steps.push({
    name: `virtual nodes: v = ${load.vnodes.join(', ')}`,
    weight: load.vnodes.reduce((sum, v) => sum + 3e-6 * v * load.nodes + 6e-7 * load.vnodeKeys, 0),
    run: async () => {
      figures.vnodes = virtualNodes(space, load.nodes, keys.slice(0, load.vnodeKeys), load.vnodes)
      keys = []
    },
  })
  for (const n of paths.sizes) {
    steps.push({
      name: `path length: N = 2^${Math.log2(n)}, ${paths.lookups} lookups`,
      // Measured: building slows per node beyond 2^17 nodes (the heap outgrows the caches).
      weight: 2.5e-5 * n * (1 + 0.25 * Math.max(0, Math.log2(n) - 17)) + 2e-5 * paths.lookups * Math.log2(n),
      run: async () => {
        const { row, cost } = await pathLengthAt(n, { seed, lookups: paths.lookups, latency: plan.latency, timeoutMs: plan.timeoutMs, replicas: paths.replicas, histogram: n === paths.histogramAt, ...(heapUsed ? { heapUsed } : {}) })
        figures.paths.push(row)
        costs.paths.push(cost)
      },
    })
  }
  for (const p of failures.fractions) {
    steps.push({
      name: `simultaneous failures: p = ${p}`,
      weight: 0.05 + 1e-4 * failures.lookups,
      run: async () => {
        figures.failures.push(await simultaneousFailures(p, { seed, n: failures.n, r: failures.r, lookups: failures.lookups, latency: plan.latency, timeoutMs: plan.timeoutMs }))
      },
    })
  }
  for (const rate of churn.rates) {
    const simulatedSeconds = churn.warmupSeconds + churn.lookups / churn.lookupRate
    steps.push({
      name: `churn: ${rate} joins and ${rate} failures per second`,
      // Measured: each join and failure is announced to every node, so the work grows with the rate.
      weight: simulatedSeconds * (0.009 + 0.34 * rate) * (churn.n / 1000),
      run: async () => {
        figures.churn.push(await lookupsUnderChurn(rate, { seed, ...churn, latency: plan.latency, timeoutMs: plan.timeoutMs }))
      },
    })
  }
  return steps
}

/** Runs every step in order; `progress` hears after each one. */
export async function runPaper(
  plan: PaperPlan,
  seed: number,
  progress: (done: PaperStep, index: number, steps: PaperStep[], seconds: number) => void = () => {},
  heapUsed?: () => number,
): Promise<{ figures: PaperFigures; costs: PaperCosts }> {
  const figures: PaperFigures = { load: [], vnodes: [], paths: [], failures: [], churn: [] }
  const costs: PaperCosts = { paths: [], steps: [] }
  const steps = paperSteps(plan, seed, figures, costs, heapUsed)
  for (const [index, step] of steps.entries()) {
    const started = performance.now()
    const cpu = process.cpuUsage()
    await step.run()
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    costs.steps.push({ step: step.name, seconds, cpuSeconds: (used.user + used.system) / 1e6 })
    progress(step, index, steps, seconds)
  }
  return { figures, costs }
}
