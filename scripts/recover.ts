// make recover [JOIN=host:port]: rebuild a missing or corrupt state/network.json by asking the ring
// itself. It finds a live node (JOIN=, the old file's ports, or a scan of the base ports), walks the
// ring along successor pointers, and records this machine's nodes with the pids they report.
import { hostPortArg } from '../src/cli/args.js'
import { DEFAULTS } from '../src/config.js'
import { defaultSettings, NetworkStateFile, StateError, type ProcessRecord } from '../src/cli/network-state.js'
import { info, ok, runTool, warn } from '../src/cli/output.js'
import { RingClient } from '../src/cli/ring-client.js'
import { configuredBasePort } from '../src/cli/spawn.js'
import { ringHost } from '../src/cli/ring-ops.js'
import { asObject } from '../src/wire.js'

const SCAN_PORTS = 200

runTool(async () => {
  const file = new NetworkStateFile()
  try {
    const state = file.read()
    if (state && state.processes.length > 0) {
      info(`${file.file} is readable and lists ${state.processes.length} processes; rebuilding it from the ring anyway`)
    }
  } catch (error) {
    if (!(error instanceof StateError)) throw error
    warn(error.message.replace(/; make recover.*$/, ''))
  }
  const probe = new RingClient(160, { secret: file.readSecret(), timeoutMs: 300 })
  const start = await findLiveNode(probe)
  if (!start) throw new Error(`no chord-lab node answers on ${ringHost()} ports ${configuredBasePort()}–${configuredBasePort() + SCAN_PORTS - 1}; give one with JOIN=host:port`)
  const first = asObject(await probe.http.request(start, 'GET', '/nodeinfo'), 'nodeinfo')
  const bits = Number(first.bits)
  const client = new RingClient(bits, { secret: file.readSecret() })
  // Walk the ring once round, following successor pointers.
  const found: ProcessRecord[] = []
  let at = start
  for (let step = 0; step < 10_000; step++) {
    const reply = asObject(await client.http.request(at, 'GET', '/nodeinfo'), 'nodeinfo')
    const node = client.wire.parseNodeInfo(reply)
    if (found.some((p) => p.port === node.self.port && p.host === node.self.host)) break
    found.push({ id: client.wire.id(node.self.id), host: node.self.host, port: node.self.port, pid: Number(reply.pid), startedAt: new Date().toISOString() })
    at = node.successor
  }
  client.close()
  probe.close()
  const settings = { ...defaultSettings(), bits, replicas: Number(first.replicas), routeMode: first.routeMode === 'linear' ? ('linear' as const) : ('fingers' as const) }
  // This machine's nodes: those at the address they advertise (ADVERTISE=, else the bound HOST=).
  const here = process.env.ADVERTISE?.replace(/:\d+$/, '') || ringHost()
  const local = found.filter((p) => Number.isInteger(p.pid) && p.pid > 0 && (p.host === here || p.host === 'localhost'))
  file.replace({ settings, processes: local })
  ok(`rebuilt ${file.file}: ${local.length} of the ring's ${found.length} nodes run here (${bits}-bit ids, r=${settings.replicas})`)
})

async function findLiveNode(probe: RingClient): Promise<{ host: string; port: number } | undefined> {
  const given = hostPortArg('JOIN')
  if (given) return given
  const host = ringHost()
  const base = configuredBasePort() || DEFAULTS.basePort
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
