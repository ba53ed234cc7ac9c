// make bench [QUICK=1] [DELAY_MS=20]: real node processes on loopback, measured against a bare Node HTTP server in
// a child process (the floor). Lookup hops against N, latency and throughput at N=32, time per join,
// memory and idle CPU per node process, what counting for /metrics costs, (full run) a ring of 200, and
// (DELAY_MS=) lookup latency per mode on a ring whose calls are delayed. Everything runs in a private
// temp state directory on OS-chosen ports, and every process started here is stopped at the end,
// on error and on Ctrl-C. Writes bench/results.json and bench/bench.svg. The phases are in src/workbench/report/.
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, pc, runTool, warn } from '../src/tools/output.js'
import { BenchContext } from '../src/workbench/report/bench-context.js'
import { benchPlan, benchSections, runBench, writeBenchReport } from '../src/workbench/report/bench-run.js'
import { fileList } from '../src/workbench/report/report-files.js'
import { printTable } from '../src/workbench/report/table.js'

// Never the user's ports, address or secret: every process here listens on loopback on a port the
// OS picks, and each ring gets its own secret in the private state directory.
process.env.DHT_BASE_PORT = '0'
for (const name of ['HOST', 'ADVERTISE', 'SECRET_FILE']) delete process.env[name]

const args = toolEnvironment().args
const plan = benchPlan(args.switch('quick'), { delayMs: args.given('delayMs'), jitterMs: args.given('jitterMs') })
// Nodes listen on the default loopback address: HOST= was dropped above.
const ctx = new BenchContext(toolEnvironment().machine.host)
ctx.stopOnSignals()

runTool(async () => {
  let failed = true
  try {
    const results = await runBench(ctx, plan)
    const sections = benchSections(results)
    printTable(sections, { baseline: 'floor' })
    const files = writeBenchReport('bench', results, sections)
    ok(`wrote ${fileList(files)} in ${results.seconds.toFixed(1)} s`)
    failed = false
  } finally {
    const { started, survivors } = await ctx.cleanup(failed)
    if (survivors.length > 0) warn(`${survivors.length} of ${started} processes still alive: ${survivors.join(', ')}`)
    else info(pc.dim(`stopped all ${started} processes this bench started`))
  }
})
