// make paper [QUICK=1] [SEED=n] [LATENCY=exponential]: the Chord paper's §V (ToN 2003) on the timed
// simulator, each figure beside the paper's number with a line on where they differ and why; its plot
// beside bench/paper.json. The full run goes to 2^21 nodes and prints its progress and the time left.
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, pc, runTool } from '../src/tools/output.js'
import { figureLines, networkLine, paperReport } from '../src/workbench/report/paper-figures.js'
import { PAPER_SOURCE } from '../src/workbench/report/paper-reference.js'
import { fileList, writeReport } from '../src/workbench/report/report-files.js'
import { PAPER_LATENCY } from '../src/workbench/sim/latency.js'
import { paperPlan, runPaper } from '../src/workbench/sim/paper-run.js'

/** Seconds as people read them. */
const duration = (s: number) => (s < 90 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`)

/** The heap in use, after a collection when node runs with --expose-gc (make paper does). */
function heapUsed(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed
}

runTool(async () => {
  const { args } = toolEnvironment()
  const quick = args.switch('quick')
  const seed = args.integer('seed')
  const latency = { ...PAPER_LATENCY, kind: args.given('latency') ?? PAPER_LATENCY.kind }
  const plan = paperPlan({ quick, latency, timeoutMs: 500 })
  const started = performance.now()
  info(`the Chord paper's §V on the timed simulator${quick ? ' (QUICK)' : ''}, seed ${seed}: ${networkLine(plan)}`)
  let doneWeight = 0
  const { figures, costs } = await runPaper(
    plan,
    seed,
    (step, index, steps, seconds) => {
      doneWeight += step.weight
      const total = steps.reduce((sum, s) => sum + s.weight, 0)
      const elapsed = (performance.now() - started) / 1000
      const left = index + 1 < steps.length ? `, about ${duration((elapsed / doneWeight) * (total - doneWeight))} left` : ''
      console.log(pc.dim(`  [${String(index + 1).padStart(2)}/${steps.length}] ${step.name} in ${duration(seconds)} (${duration(elapsed)} so far${left})`))
    },
    heapUsed,
  )
  const seconds = (performance.now() - started) / 1000
  const report = paperReport(figures, plan, seed)
  for (const figure of report) {
    console.log()
    console.log(pc.bold(figure.title))
    for (const line of figureLines(figure)) console.log(`  ${line}`)
    console.log(`  ${pc.cyan('→')} ${figure.verdict}`)
  }
  const largest = costs.paths.at(-1)
  const result = {
    kind: 'paper',
    source: PAPER_SOURCE,
    seed,
    quick,
    plan,
    node: process.version,
    ranAt: new Date().toISOString(),
    seconds,
    figures,
    verdicts: Object.fromEntries(report.map((figure) => [figure.key, figure.verdict])),
    costs,
  }
  const files = writeReport('bench', 'paper.json', result, report.flatMap((figure) => figure.charts))
  console.log()
  if (largest) {
    info(
      `largest ring: ${largest.n.toLocaleString('en-US')} nodes built in ${largest.buildSeconds.toFixed(1)} s (${largest.buildCpuSeconds.toFixed(1)} s of CPU), ${Math.round(largest.heapBytesPerNode)} bytes of heap per node; ` +
        `lookups ran ${Math.round(largest.eventsPerSecond).toLocaleString('en-US')} events/s (${Math.round(largest.eventsPerCpuSecond).toLocaleString('en-US')} per CPU second); peak RSS ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`,
    )
  }
  ok(`wrote ${fileList(files)} in ${duration(seconds)} (seed ${seed})`)
})
