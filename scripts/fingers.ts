// make fingers [PORT=p]: one node's finger table, one row per distinct finger; with virtual nodes
// (VNODES=v) the table of each virtual node of the process on PORT=, one after the other.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { fingerTableLines } from '../src/workbench/terminal/finger-view.js'
import { openRing } from '../src/tools/open-ring.js'
import { runTool } from '../src/tools/output.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const entry = ring.entry(port)
  const { info, vnodes } = await ring.client.nodeProcess(entry)
  if (vnodes.length === 1) {
    for (const line of fingerTableLines(info, ring.client.wire)) console.log(line)
    return
  }
  for (const [index, vnode] of vnodes.entries()) {
    // Each asked by its id (the client sends the x-chord-node header).
    const table = await ring.client.nodeInfo(vnode)
    if (index > 0) console.log()
    for (const line of fingerTableLines(table, ring.client.wire, { index, of: vnodes.length })) console.log(line)
  }
})
