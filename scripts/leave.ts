// make leave [PORT=p]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
import { portArg } from '../src/cli/args.js'
import { isAlive } from '../src/cli/network-state.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { sleep } from '../src/cli/ring-ops.js'

runTool(async () => {
  const ring = openRing()
  const node = ring.entry(portArg())
  const { handedTo } = await ring.client.leave(node)
  // The node exits once its reply is out; wait so the state never lists a process that is going away.
  for (let i = 0; i < 100 && isAlive(node.pid); i++) await sleep(20)
  ring.file.removeProcess(node.pid)
  ok(`node ${nodeLabel(node)} left the ring${handedTo ? `, its keys went to ${nodeLabel(handedTo)}` : ''}`)
})
