// make killall (and make reboot, which runs it before make boot): stop exactly the processes recorded in
// the state directory (the ring's nodes, saying first what they held, and the Prometheus make prometheus
// started) and remove the state file.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { PrometheusFiles, stopPrometheus } from '../src/tools/prometheus.js'
import { stopRing, surveyLine } from '../src/tools/ring-survey.js'

runTool(async () => {
  const tool = toolEnvironment()
  const state = openStateFile(tool)
  const prometheus = await stopPrometheus(new PrometheusFiles(tool.stateDir))
  if (prometheus) ok(`stopped Prometheus (pid ${prometheus.pid})`)
  if (!state.exists()) {
    info('no ring recorded: nothing to stop')
    return
  }
  const stopped = await stopRing(state)
  if (!stopped) ok(`no recorded node was running; removed ${state.file}`)
  else ok(`stopped the ring: ${surveyLine(stopped)} (pids ${stopped.nodes.map((p) => p.pid).join(' ')}); removed ${state.file}`)
})
