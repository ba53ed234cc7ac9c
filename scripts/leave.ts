// make leave [PORT=p]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
import { portArg } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { leaveNode } from '../src/cli/ring-ops.js'

runTool(async () => {
  const ring = openRing()
  const node = ring.entry(portArg())
  const { handedTo } = await leaveNode(ring.file, ring.client, node)
  ok(`node ${nodeLabel(node)} left the ring${handedTo ? `, its keys went to ${nodeLabel(handedTo)}` : ''}`)
})
