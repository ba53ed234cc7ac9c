// make recover [JOIN=host:port]: rebuild a missing or corrupt state/network.json by asking the ring
// itself. It finds a live node (JOIN=, or a scan of the base ports), walks the ring along successor
// pointers, and records this machine's node processes with the pids they report (one record per
// process, however many virtual nodes it hosts).
import { DEFAULTS } from '../src/node/config.js'
import { isToolError, ToolError } from '../src/node/errors.js'
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings, type Machine, type ProcessRecord } from '../src/tools/network-state.js'
import { info, ok, runTool, warn } from '../src/tools/output.js'
import { RingClient } from '../src/tools/ring-client.js'
import { processAddress } from '../src/tools/ring-processes.js'
import type { Address } from '../src/node/transport/http-client.js'
import { SETTINGS, type HostPort } from '../src/node/settings.js'

const SCAN_PORTS = 200

runTool(async () => {
  const tool = toolEnvironment()
  const join = tool.args.given('join')
  const file = openStateFile(tool)
  try {
    const state = file.read()
    if (state && state.processes.length > 0) {
      info(`${file.file} is readable and lists ${state.processes.length} processes; rebuilding it from the ring anyway`)
    }
  } catch (error) {
    if (!isToolError(error, 'STATE_CORRUPT')) throw error
    warn(error.message.replace(/; make recover.*$/, ''))
  }
  const probe = new RingClient(SETTINGS.bits.max, { secret: file.readSecret(), timeoutMs: 300 })
  const scanFrom = file.machine.basePort || DEFAULTS.basePort
  const start = join ?? (await findLiveNode(probe, file.machine.host, scanFrom))
  if (!start) throw new ToolError('NO_RING', `no chord-lab node answers on ${file.machine.host} ports ${scanFrom}–${scanFrom + SCAN_PORTS - 1}; give one with JOIN=host:port`)
  const shared = await probe.ringParameters(start)
  probe.close()
  const client = new RingClient(shared.bits, { secret: file.readSecret() })
  // Walk the ring once round, following successor pointers from node to node (with VNODES=v, virtual
  // node to virtual node, each asked by its id), and record each process once, under its first node.
  const found = new Map<string, Omit<ProcessRecord, 'pid'> & { pid?: number; vnodes: number }>()
  const visited = new Set<bigint>()
  let at: Address & { id?: bigint } = start
  for (let step = 0; step < 10_000; step++) {
    const { info: node, pid, vnodes } = await client.nodeProcess(at)
    if (visited.has(node.self.id)) break
    visited.add(node.self.id)
    const { host, port } = node.self
    if (!found.has(processAddress(node.self))) {
      found.set(processAddress(node.self), { id: client.wire.id(vnodes[0]!.id), host, port, ...(pid === undefined ? {} : { pid }), startedAt: new Date().toISOString(), vnodes: vnodes.length })
    }
    at = node.successor
  }
  client.close()
  const processes = [...found.values()]
  const local = processes.filter((p): p is ProcessRecord & { vnodes: number } => p.pid !== undefined && isHere(p.host, file.machine))
  // The ring's virtual nodes per process are what its processes host (a ring setting like the others).
  const vnodes = local[0]?.vnodes ?? processes[0]?.vnodes ?? 1
  const settings = { ...tool.args.ringSettings(defaultSettings()), ...shared, vnodes }
  file.replace({ settings, processes: local.map(({ vnodes: _hosted, ...record }) => record) })
  const hosted = vnodes > 1 ? ` processes (${vnodes} virtual nodes each)` : ' nodes'
  ok(`rebuilt ${file.file}: ${local.length} of the ring's ${processes.length}${hosted} run here (${settings.bits}-bit ids, r=${settings.replicas})`)
})

/** This machine's nodes: those at the address they advertise (ADVERTISE=, else the bound HOST=). */
function isHere(host: string, machine: Machine): boolean {
  const here = machine.advertise?.replace(/:\d+$/, '') || machine.host
  return host === here || host === 'localhost'
}

async function findLiveNode(probe: RingClient, host: string, base: number): Promise<HostPort | undefined> {
  for (let port = base; port < base + SCAN_PORTS; port++) {
    try {
      await probe.http.request({ host, port }, 'GET', '/ping')
      return { host, port }
    } catch {
      // Nothing there: try the next port.
    }
  }
  return undefined
}
