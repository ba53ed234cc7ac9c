// make lookup V=hello [TRACE=1]: LOOKUP through a random node; exit 1 when the value is not stored.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { preview } from '../src/node/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/tools/output.js'
import { ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const value = tool.args.required('value', 'make lookup V=hello')
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const entry = ring.entry(port)
  await traced(ringSource(ring), traceRequest(tool.args), async (call) => {
    const found = await ring.client.lookup(entry, value, call)
    ok(`found ${pc.bold(JSON.stringify(preview(found.value, 60)))} key ${shortId(found.key)} on ${nodeLabel(found.node)} (asked @${entry.port}, ${plural(found.hops, 'hop')})`)
  })
})
