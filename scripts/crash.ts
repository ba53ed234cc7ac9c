// make crash [PORT=p]: SIGKILL one node, with no goodbye, to watch the ring repair itself.
import { portArg } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { crashNode } from '../src/cli/ring-ops.js'

runTool(async () => {
  const ring = openRing()
  const node = ring.entry(portArg())
  crashNode(ring.file, node)
  ok(`crashed ${nodeLabel(node)} (pid ${node.pid}, SIGKILL); the ring repairs itself within a few stabilize periods`)
})
