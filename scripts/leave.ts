// make leave [PORT=p] [TRACE=1]: ask a node to LEAVE; it hands its keys to its predecessor and shuts down.
// A process hosting virtual nodes (VNODES=v) takes them all out, each handing its keys over in turn.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { nodeLabel, ok, runTool } from '../src/tools/output.js'
import type { RingClient } from '../src/tools/ring-client.js'
import type { ProcessRecord } from '../src/tools/network-state.js'
import { keyHeirs } from '../src/tools/ring-processes.js'
import { leaveNode } from '../src/tools/ring-ops.js'
import { clientMessage, ringSource, traced, traceRequest } from '../src/workbench/terminal/trace-print.js'
import { preciseNow } from '../src/node/trace/tracer.js'

runTool(async () => {
  const tool = toolEnvironment()
  const port = tool.args.given('targetPort')
  const ring = openRing(openStateFile(tool))
  const node = ring.entry(port)
  // Read before they go: where a process's virtual nodes will hand their keys.
  const hosted = ring.state.settings.vnodes > 1 ? await leavingVnodes(ring.client, node) : undefined
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
      if (hosted) ok(`process @${node.port} (pid ${node.pid}) left the ring with its ${hosted.count} virtual nodes${hosted.heirs.length > 0 ? `; their keys went to ${hosted.heirs.map(nodeLabel).join(', ')}` : ''}`)
      else ok(`node ${nodeLabel(node)} left the ring${left.handedTo ? `, its keys went to ${nodeLabel(left.handedTo)}` : ''}`)
      return left
    },
    (left, root) => [
      ...left.spans,
      clientMessage(root, { to: { id: node.id, host: node.host, port: node.port }, method: 'POST', path: '/leave', status: 200, durationMs: answeredAt - root.start, summary: `leave: keys to ${left.handedTo ? `@${left.handedTo.port}` : 'none'}` }),
    ],
  )
})

/**
 * A process's virtual nodes (undefined when it hosts one) and where their keys will go: the first
 * predecessor of another process behind each (src/tools/ring-processes.ts's keyHeirs).
 */
async function leavingVnodes(client: RingClient, node: ProcessRecord): Promise<{ count: number; heirs: Array<{ id: string; port: number }> } | undefined> {
  const { vnodes } = await client.nodeProcess(node)
  if (vnodes.length === 1) return undefined
  const infos = await Promise.all(vnodes.map((vnode) => client.nodeInfo(vnode)))
  return { count: vnodes.length, heirs: keyHeirs(infos).map((heir) => ({ id: client.wire.id(heir.id), port: heir.port })) }
}
