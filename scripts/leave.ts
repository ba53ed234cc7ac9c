// make leave [PORT=p] [TRACE=1]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/tools/output.js'
import type { RingClient } from '../src/tools/ring-client.js'
import { leaveNode } from '../src/tools/ring-ops.js'
import { clientMessage, ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'
import { preciseNow } from '../src/node/trace/tracer.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  // The leaver's log goes with it: it hands back its messages of the trace in its answer, all but the
  // LEAVE itself, which it logs once it has answered; the tool knows that one, and when it was answered
  // (leaveNode then waits for the process to exit).
  let answeredAt = 0
  const client = Object.create(ring.client) as RingClient
  client.leave = (at, options) => ring.client.leave(at, options).finally(() => (answeredAt = preciseNow()))
  await traced(
    ringSource(ring),
    traceRequest(tool.args),
    async (call) => {
      const left = await leaveNode(ring.file, client, node, call)
      ok(`node ${nodeLabel(node)} left the ring${left.handedTo ? `, its keys went to ${nodeLabel(left.handedTo)}` : ''}`)
      return left
    },
    (left, root) => [
      ...left.spans,
      clientMessage(root, { to: { id: node.id, host: node.host, port: node.port }, method: 'POST', path: '/leave', status: 200, durationMs: answeredAt - root.start, summary: `leave: keys to ${left.handedTo ? `@${left.handedTo.port}` : 'none'}` }),
    ],
  )
})
