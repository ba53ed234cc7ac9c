// make add / make addmany N=10 [PARALLEL=1]: spawn N processes that JOIN through random running nodes.
import { flagArg, hostPortArg, intArg } from '../src/cli/args.js'
import { NetworkStateFile } from '../src/cli/network-state.js'
import { addNodes } from '../src/cli/grow.js'
import { failLine, nodeLabel, ok, runTool } from '../src/cli/output.js'
import { RingClient } from '../src/cli/ring-client.js'
import { addNode, joinRemoteRing } from '../src/cli/ring-ops.js'

/** JOIN=host:port: a node of a ring running elsewhere, and the settings it reports. */
async function remoteEntry(address: { host: string; port: number }, state: NetworkStateFile) {
  const text = `${address.host}:${address.port}`
  // Any id width parses a node's reply; the reply says which one the ring uses.
  const probe = new RingClient(160, { secret: state.readSecret() })
  try {
    const reply = (await probe.http.request(address, 'GET', '/nodeinfo')) as { bits?: unknown; replicas?: unknown; routeMode?: unknown; maxValueBytes?: unknown }
    const bits = Number(reply.bits)
    const replicas = Number(reply.replicas)
    if (!Number.isInteger(bits) || !Number.isInteger(replicas)) throw new Error(`${text} did not answer like a chord-lab node`)
    const routeMode = reply.routeMode === 'linear' ? ('linear' as const) : ('fingers' as const)
    const maxValueBytes = Number.isInteger(reply.maxValueBytes) ? (reply.maxValueBytes as number) : undefined
    return { address, info: { bits, replicas, routeMode, ...(maxValueBytes ? { maxValueBytes } : {}) } }
  } finally {
    probe.close()
  }
}

runTool(async () => {
  const count = intArg('N', 1, 1, 500)
  const parallel = flagArg('PARALLEL')
  const state = new NetworkStateFile()
  const joinAddress = hostPortArg('JOIN')
  const remote = joinAddress ? await remoteEntry(joinAddress, state) : undefined
  if (!remote) state.requireRing()
  const add = () => (remote ? joinRemoteRing(state, remote.address, remote.info) : addNode(state))
  if (count === 1) {
    const node = await add()
    ok(`node ${nodeLabel(node)} joined (pid ${node.pid})`)
    return
  }
  const { failures, seconds } = await addNodes(count, add, { parallel: parallel ? count : 1, progress: parallel ? 'joining in parallel' : 'adding nodes' })
  const errors = failures.map((failure) => failure.message)
  if (errors.length > 0) {
    for (const e of new Set(errors)) failLine(e)
    throw new Error(`${errors.length} of ${count} nodes failed to join`)
  }
  ok(`${count} nodes joined in ${seconds.toFixed(2)} s (${((seconds * 1000) / count).toFixed(0)} ms per node); ring has ${state.readProcessList().length} nodes`)
})
