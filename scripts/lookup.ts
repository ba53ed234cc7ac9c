// make lookup V=hello [TRACE=1]: LOOKUP straight at the key's owner, as the client's copy of the ring names
// it (PORT=: through that node, which routes it); exit 1 when the value is not stored.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { reachedBy } from '../src/tools/direct-client.js'
import { openRing } from '../src/tools/open-ring.js'
import { preview } from '../src/node/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/tools/output.js'
import { ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const value = tool.args.required('value', 'make lookup V=hello')
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  await traced(ringSource(ring), traceRequest(tool.args), async (call) => {
    if (port === undefined) {
      const found = await ring.direct.lookup(value, call)
      ok(`found ${pc.bold(JSON.stringify(preview(found.value, 60)))} key ${shortId(found.key)} on ${nodeLabel(found.node)} (${reachedBy(found)})`)
      return
    }
    const entry = ring.entry(port)
    const found = await ring.client.lookup(entry, value, call)
    ok(`found ${pc.bold(JSON.stringify(preview(found.value, 60)))} key ${shortId(found.key)} on ${nodeLabel(found.node)} (asked @${entry.port}, ${plural(found.hops, 'hop')})`)
  })
})
