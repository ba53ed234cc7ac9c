// make leave [PORT=p]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
import { openStateFile, toolEnvironment } from '../src/cli/environment.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { leaveNode } from '../src/cli/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  const { handedTo } = await leaveNode(ring.file, ring.client, node)
  ok(`node ${nodeLabel(node)} left the ring${handedTo ? `, its keys went to ${nodeLabel(handedTo)}` : ''}`)
})
