// make fingers [PORT=p]: one node's finger table, one row per distinct finger.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { fingerTableLines } from '../src/workbench/terminal/finger-view.js'
import { openRing } from '../src/tools/open-ring.js'
import { runTool } from '../src/tools/output.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const info = await ring.client.nodeInfo(ring.entry(port))
  for (const line of fingerTableLines(info, ring.client.wire)) console.log(line)
})
