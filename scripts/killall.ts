// make killall: stop exactly the processes recorded in the network state and remove the state file.
import { openStateFile } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { killRing } from '../src/tools/ring-ops.js'

runTool(async () => {
  const state = openStateFile()
  if (!state.exists()) {
    info('no ring recorded: nothing to stop')
    return
  }
  const stopped = await killRing(state)
  ok(`stopped ${stopped.length} node process${stopped.length === 1 ? '' : 'es'}${stopped.length ? ` (pids ${stopped.map((p) => p.pid).join(' ')})` : ''}; removed ${state.file}`)
})
