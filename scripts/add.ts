// make add / make addmany N=10 [PARALLEL=1]: spawn N processes that JOIN through random running nodes.
// make addmany runs this script with --many, which gives N= the default and bounds of addmany.
// make add TRACE=1: the new node joins inside a trace of the tool's, whose diagram follows.
import type { MakeArguments } from '../src/tools/args.js'
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings, type NetworkStateFile } from '../src/tools/network-state.js'
import { addNodes } from '../src/tools/grow.js'
import { failLine, nodeLabel, ok, portList, runTool, warn } from '../src/tools/output.js'
import { RingClient, type CallOptions } from '../src/tools/ring-client.js'
import { addNode, joinRemoteRing } from '../src/tools/ring-ops.js'
import { processCount } from '../src/tools/ring-processes.js'
import { traced, traceRequest } from '../src/workbench/terminal/trace-print.js'
import { SETTINGS, type HostPort } from '../src/node/settings.js'

/** JOIN=host:port: a node of a ring running elsewhere, and the settings this machine records for that ring. */
async function remoteRing(address: HostPort, state: NetworkStateFile, args: MakeArguments) {
  // Any id width reads a node's settings; they say which width the ring uses.
  const probe = new RingClient(SETTINGS.bits.max, { secret: state.readSecret() })
  try {
    const shared = await probe.ringParameters(address)
    // The ring fixes bits, copies, routing and the value limit; this machine's periods may still be given.
    return { address, settings: { ...args.ringSettings(defaultSettings()), ...shared } }
  } finally {
    probe.close()
  }
}

runTool(async () => {
  const tool = toolEnvironment()
  const count = tool.args.integer('count', process.argv.includes('--many') ? 'addmany' : 'add')
  const parallel = tool.args.switch('parallel')
  const joinAddress = tool.args.given('join')
  const state = openStateFile(tool)
  const remote = joinAddress ? await remoteRing(joinAddress, state, tool.args) : undefined
  if (!remote) state.requireRing()
  const add = (call: CallOptions = {}) => (remote ? joinRemoteRing(state, remote.address, remote.settings, call) : addNode(state, call))
  const trace = traceRequest(tool.args)
  if (count === 1) {
    // The ring is read once the node has joined, with the secret it shares then (JOIN= adopts one).
    const source = () => {
      const ring = state.requireRing()
      return { client: new RingClient(ring.settings.bits, { secret: state.readSecret(), auth: ring.settings.auth, timeoutMs: ring.settings.timeoutMs, impl: ring.settings.impl }), state: ring }
    }
    await traced(source, trace, async (call) => {
      const node = await add(call)
      const vnodes = state.requireRing().settings.vnodes
      const who = vnodes > 1 ? `process @${node.port} joined with ${vnodes} virtual nodes` : `node ${nodeLabel(node)} joined`
      ok(`${who} (pid ${node.pid}); the ring's ports: ${portList(state.readProcessList().map((p) => p.port))}`)
    })
    return
  }
  if (trace.enabled) warn('TRACE=1 traces one join: make add TRACE=1')
  const { failures, seconds } = await addNodes(count, add, { parallel: parallel ? count : 1, progress: parallel ? 'joining in parallel' : 'adding nodes' })
  const errors = failures.map((failure) => failure.message)
  if (errors.length > 0) {
    for (const e of new Set(errors)) failLine(e)
    throw new Error(`${errors.length} of ${count} nodes failed to join`)
  }
  const ring = state.readProcessList()
  const vnodes = state.requireRing().settings.vnodes
  const [joined, per, has] = vnodes > 1 ? [processCount(count), 'process', `${processCount(ring.length)} of ${vnodes} virtual nodes each`] : [`${count} nodes`, 'node', `${ring.length} nodes`]
  ok(`${joined} joined in ${seconds.toFixed(2)} s (${((seconds * 1000) / count).toFixed(0)} ms per ${per}); ring has ${has} on ports ${portList(ring.map((p) => p.port))}`)
})
