// make killall: stop exactly the processes recorded in the state directory (the ring's nodes, and the
// Prometheus make prometheus started) and remove the state file.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { PrometheusFiles, stopPrometheus } from '../src/tools/prometheus.js'
import { killRing } from '../src/tools/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const state = openStateFile(tool)
  const prometheus = await stopPrometheus(new PrometheusFiles(tool.stateDir))
  if (prometheus) ok(`stopped Prometheus (pid ${prometheus.pid})`)
  if (!state.exists()) {
    info('no ring recorded: nothing to stop')
    return
  }
  const stopped = await killRing(state)
  ok(`stopped ${stopped.length} node process${stopped.length === 1 ? '' : 'es'}${stopped.length ? ` (pids ${stopped.map((p) => p.pid).join(' ')})` : ''}; removed ${state.file}`)
})
