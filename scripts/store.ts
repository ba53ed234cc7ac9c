// make store V=hello [TRACE=1]: STORE straight at the key's owner, as the client's copy of the ring names
// it (a node that does not own the key says MOVED); PORT=: through that node, which routes it to the owner.
// A store whose answer never came exits with its own code: it may have been stored (src/tools/exit-codes.ts).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { reachedBy } from '../src/tools/direct-client.js'
import { openRing } from '../src/tools/open-ring.js'
import { writeOutcome } from '../src/tools/ring-client.js'
import { preview } from '../src/node/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/tools/output.js'
import { ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const value = tool.args.required('value', 'make store V=hello')
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  await traced(ringSource(ring), traceRequest(tool.args), async (call) => {
    const what = `${pc.bold(JSON.stringify(preview(value, 60)))} key`
    const outcome = (error: unknown) => {
      throw writeOutcome(error, 'store', value)
    }
    if (port === undefined) {
      const stored = await ring.direct.store(value, call).catch(outcome)
      ok(`stored ${what} ${shortId(stored.key)} on ${nodeLabel(stored.node)} (${reachedBy(stored)})`)
      return
    }
    const entry = ring.entry(port)
    const stored = await ring.client.store(entry, value, call).catch(outcome)
    ok(`stored ${what} ${shortId(stored.key)} on ${nodeLabel(stored.node)} (asked @${entry.port}, ${plural(stored.hops, 'hop')})`)
  })
})
