// make crash [PORT=p]: SIGKILL one node, with no goodbye, to watch the ring repair itself.
import { portArg } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'

runTool(async () => {
  const ring = openRing()
  if (ring.state.processes.length <= 1) throw new Error('only one node is running; crashing it would end the ring (use make killall)')
  const node = ring.entry(portArg())
  process.kill(node.pid, 'SIGKILL')
  ring.file.removeProcess(node.pid)
  ok(`crashed ${nodeLabel(node)} (pid ${node.pid}, SIGKILL); the ring repairs itself within a few stabilize periods`)
})
