// make crash [PORT=p]: SIGKILL one node, with no goodbye, to watch the ring repair itself.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/tools/output.js'
import { crashNode } from '../src/tools/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  crashNode(ring.file, node)
  ok(`crashed ${nodeLabel(node)} (pid ${node.pid}, SIGKILL); the ring repairs itself within a few stabilize periods`)
})
