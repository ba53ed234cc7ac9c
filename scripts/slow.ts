// make slow [PORT=p] [MS=200]: one slow node; it holds every request it handles MS milliseconds first.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { nodeLabel, ok, pc, runTool } from '../src/tools/output.js'
import { changeEach, failuresOf } from '../src/workbench/faults/ring-faults.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const slowMs = tool.args.integer('slowMs')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  const changes = await changeEach(ring.client, [{ ...node, address: `${node.host}:${node.port}` }], (plan) => ({ ...plan, slowMs }))
  const failure = failuresOf(changes, 'make slow')
  if (failure) throw failure
  if (slowMs === 0) ok(`${nodeLabel(node)} is not slow any more`)
  else ok(`${nodeLabel(node)} is ${pc.yellow('slow')}: it holds every request it handles ${slowMs} ms before handling it ${pc.dim('(make heal ends it)')}`)
})
