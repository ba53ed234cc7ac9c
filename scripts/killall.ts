// make killall (and make reboot, which runs it before make boot): stop exactly the processes recorded in
// the network state, saying first what they held, and remove the state file.
import { openStateFile } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { stopRing, surveyLine } from '../src/tools/ring-survey.js'

runTool(async () => {
  const state = openStateFile()
  if (!state.exists()) {
    info('no ring recorded: nothing to stop')
    return
  }
  const stopped = await stopRing(state)
  if (!stopped) ok(`no recorded node was running; removed ${state.file}`)
  else ok(`stopped the ring: ${surveyLine(stopped)} (pids ${stopped.nodes.map((p) => p.pid).join(' ')}); removed ${state.file}`)
})
