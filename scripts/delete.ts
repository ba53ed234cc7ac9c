// make delete V=hello [TRACE=1]: delete a value through the ring (its owner and its copies). A delete
// whose answer never came exits with its own code: it may have been applied (src/tools/exit-codes.ts).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { writeOutcome } from '../src/tools/ring-client.js'
import { preview } from '../src/node/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/tools/output.js'
import { ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const value = tool.args.required('value', 'make delete V=hello')
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const entry = ring.entry(port)
  await traced(ringSource(ring), traceRequest(tool.args), async (call) => {
    const removed = await ring.client.deleteValue(entry, value, call).catch((error: unknown) => {
      throw writeOutcome(error, 'delete', value)
    })
    ok(`deleted ${pc.bold(JSON.stringify(preview(value, 60)))} key ${shortId(removed.key)} from ${nodeLabel(removed.node)} (${plural(removed.hops, 'hop')})`)
  })
})
