// make crash [PORT=p]: SIGKILL one node process (and so all its virtual nodes), with no goodbye, to watch
// the ring repair itself.
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
  // A process takes all its virtual nodes (VNODES=v) down with it.
  const vnodes = ring.state.settings.vnodes
  const what = vnodes > 1 ? `process @${node.port} (pid ${node.pid}, SIGKILL), taking its ${vnodes} virtual nodes down` : `${nodeLabel(node)} (pid ${node.pid}, SIGKILL)`
  ok(`crashed ${what}; the ring repairs itself within a few stabilize periods`)
})
