// make simulate [QUICK=1] [SEED=n]: the Chord paper's experiments on the real protocol code over the
// in-memory transport. Path length against N, and lookups after a fraction of nodes fail at once.
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, pc, runTool } from '../src/tools/output.js'
import { isDhtError } from '../src/node/errors.js'
import { hopsChart, writeReport } from '../src/workbench/report/report-files.js'
import { summarize, type Summary } from '../src/workbench/report/stats.js'
import { ownerIndex as ownerAt } from '../src/node/ring.js'
import { buildConvergedRing } from '../src/workbench/sim/converged.js'
import { SimRing } from '../src/workbench/sim/sim-ring.js'

interface PathRow { n: number; lookups: number; hops: Summary; halfLog2N: number; messagesPerLookup: number; buildSeconds: number; heapMbPerNode: number }
interface FailureRow { n: number; r: number; p: number; failedBefore: number; failedAfter: number; rounds: number; lookups: number }

async function pathLengths(sizes: number[], lookups: number, seed: number): Promise<PathRow[]> {
  const rows: PathRow[] = []
  for (const n of sizes) {
    const heapBefore = process.memoryUsage().heapUsed
    const started = performance.now()
    const sim = new SimRing({ seed: seed + n })
    await buildConvergedRing(sim, n)
    const buildSeconds = (performance.now() - started) / 1000
    const heapMbPerNode = (process.memoryUsage().heapUsed - heapBefore) / n / 1e6
    const messagesBefore = sim.network.messages
    const ownerOf = ownerIndex(sim)
    const hops: number[] = []
    for (let i = 0; i < lookups; i++) {
      const from = sim.random.pick(sim.nodes)
      const key = sim.space.hash(`key-${seed}-${i}`)
      const route = await from.findOwner(key)
      if (route.owner.id !== ownerOf(key)) throw new Error(`wrong owner for key ${i} at N=${n} (seed ${seed})`)
      hops.push(route.hops)
    }
    const row = { n, lookups, hops: summarize(hops), halfLog2N: Math.log2(n) / 2, messagesPerLookup: (sim.network.messages - messagesBefore) / lookups, buildSeconds, heapMbPerNode }
    rows.push(row)
    console.log(
      `  N=${String(n).padStart(6)}  mean ${row.hops.mean.toFixed(2).padStart(5)}  ½·log2N ${row.halfLog2N.toFixed(2).padStart(5)}  ` +
        `Δ ${(row.hops.mean - row.halfLog2N >= 0 ? '+' : '') + (row.hops.mean - row.halfLog2N).toFixed(2)}  p1 ${row.hops.p1}  p99 ${row.hops.p99}  ` +
        pc.dim(`(${lookups} lookups, ring built in ${buildSeconds.toFixed(1)} s)`),
    )
  }
  return rows
}

async function failures(n: number, replicas: number, fractions: number[], lookups: number, seed: number): Promise<FailureRow[]> {
  const rows: FailureRow[] = []
  for (const p of fractions) {
    const sim = new SimRing({ seed: seed + Math.round(p * 100), config: { replicas } })
    await buildConvergedRing(sim, n)
    // A fraction p of the nodes fails at once.
    const victims = [...sim.nodes].sort(() => sim.random.next() - 0.5).slice(0, Math.round(p * n))
    for (const node of victims) sim.crash(node)
    const failedBefore = await failedLookups(sim, lookups, seed)
    let rounds = 0
    let failedAfter = failedBefore
    // Stabilization: maintenance rounds until lookups stop failing (bounded).
    while (failedAfter > 0 && rounds < 10) {
      await sim.maintain({ fingers: true })
      rounds++
      failedAfter = await failedLookups(sim, lookups, seed)
    }
    rows.push({ n, r: replicas, p, failedBefore: failedBefore / lookups, failedAfter: failedAfter / lookups, rounds, lookups })
    console.log(`  r=${String(replicas).padStart(2)}  p=${p.toFixed(1)}  failed before stabilization ${pct(failedBefore / lookups)}  after ${rounds} round${rounds === 1 ? '' : 's'} ${pct(failedAfter / lookups)}`)
  }
  return rows
}

/** The true owner of a key, by binary search over the ring's sorted ids. */
function ownerIndex(sim: SimRing): (key: bigint) => bigint {
  const ids = sim.sorted().map((node) => node.self.id)
  return (key) => ids[ownerAt(ids, key)]!
}

/** A lookup fails when it throws or ends anywhere but at the key's live owner. */
async function failedLookups(sim: SimRing, lookups: number, seed: number): Promise<number> {
  let failed = 0
  const ownerOf = ownerIndex(sim)
  for (let i = 0; i < lookups; i++) {
    const from = sim.random.pick(sim.nodes)
    const key = sim.space.hash(`fail-${seed}-${i}`)
    try {
      const route = await from.findOwner(key)
      if (route.owner.id !== ownerOf(key)) failed++
    } catch (error) {
      if (!isDhtError(error)) throw error
      if (process.env.DBG && failed < 3) console.log((error as Error).message)
      failed++
    }
  }
  return failed
}

const pct = (x: number) => `${(x * 100).toFixed(2).padStart(6)}%`

runTool(async () => {
  const { args } = toolEnvironment()
  const quick = args.switch('quick')
  const seed = args.integer('seed')
  const maxExponent = quick ? 12 : 16
  const sizes = Array.from({ length: maxExponent - 2 }, (_, i) => 2 ** (i + 3))
  const lookups = quick ? 2000 : 10_000
  const failureN = quick ? 512 : 2048
  const fractions = [0.1, 0.2, 0.3, 0.4, 0.5]
  const replicaCounts = [3, 2 * Math.log2(failureN)]
  const started = performance.now()

  info(`path length: ${lookups} lookups per ring, 160-bit ids, seed ${seed}`)
  const paths = await pathLengths(sizes, lookups, seed)
  info(`simultaneous failures: N=${failureN}, ${quick ? 1000 : 4000} lookups per case`)
  const failureRows: FailureRow[] = []
  for (const r of replicaCounts) failureRows.push(...(await failures(failureN, r, fractions, quick ? 1000 : 4000, seed)))

  const worst = Math.max(...paths.map((row) => Math.abs(row.hops.mean - row.halfLog2N)))
  const result = { kind: 'simulation', seed, quick, node: process.version, ranAt: new Date().toISOString(), seconds: (performance.now() - started) / 1000, pathLengths: paths, failures: failureRows, worstDeviationFromHalfLog2N: worst }
  const files = writeReport('bench', 'simulation.json', result, [
    hopsChart('simulation.svg', 'Chord lookup path length (simulated, converged fingers)', [{ name: 'mean hops (p1–p99)', color: '#2563eb', rows: paths }]),
    {
      file: 'failures.svg',
      series: replicaCounts.flatMap((r, i) => {
        const rows = failureRows.filter((row) => row.r === r)
        const color = ['#2563eb', '#059669'][i]!
        return [
          { name: `r=${r} before stabilization`, color, points: rows.map((row) => ({ x: row.p, y: row.failedBefore * 100 })) },
          { name: `r=${r} after`, color, dashed: true, points: rows.map((row) => ({ x: row.p, y: row.failedAfter * 100 })) },
        ]
      }),
      options: { title: `Lookups failing after a fraction p of ${failureN} nodes fail`, xLabel: 'fraction of nodes failed (p)', yLabel: 'failed lookups (%)' },
    },
  ])
  ok(`mean hops within ${worst.toFixed(2)} of ½·log2 N for every N; wrote ${files.join(', ')} in ${result.seconds.toFixed(1)} s`)
})
