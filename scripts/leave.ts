// make leave [PORT=p] [TRACE=1]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
import { openStateFile, toolEnvironment } from '../src/cli/environment.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { leaveNode } from '../src/cli/ring-ops.js'
import { ringSource, traced } from '../src/cli/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  // The leaver's log goes with it: it hands back its messages of the trace in its answer.
  await traced(
    ringSource(ring),
    tool.args.switch('trace'),
    async (call) => {
      const left = await leaveNode(ring.file, ring.client, node, call)
      ok(`node ${nodeLabel(node)} left the ring${left.handedTo ? `, its keys went to ${nodeLabel(left.handedTo)}` : ''}`)
      return left
    },
    (left) => left.spans,
  )
})
