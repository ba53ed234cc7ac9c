// make delete V=hello [TRACE=1]: delete a value (at its owner and its copies), sent straight to the owner
// as the client's copy of the ring names it; PORT=: through that node, which routes it. A delete whose
// answer never came exits with its own code: it may have been applied (src/tools/exit-codes.ts).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { reachedBy } from '../src/tools/direct-client.js'
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
  await traced(ringSource(ring), traceRequest(tool.args), async (call) => {
    const what = `${pc.bold(JSON.stringify(preview(value, 60)))} key`
    const outcome = (error: unknown) => {
      throw writeOutcome(error, 'delete', value)
    }
    if (port === undefined) {
      const removed = await ring.direct.deleteValue(value, call).catch(outcome)
      ok(`deleted ${what} ${shortId(removed.key)} from ${nodeLabel(removed.node)} (${reachedBy(removed)})`)
      return
    }
    const removed = await ring.client.deleteValue(ring.entry(port), value, call).catch(outcome)
    ok(`deleted ${what} ${shortId(removed.key)} from ${nodeLabel(removed.node)} (${plural(removed.hops, 'hop')})`)
  })
})
