// The /api/ring reply: the monitor's snapshot JSON cut down to what the page draws, with each node's
// faults as last read. Its shape is the RingView typedef of src/workbench/web/api.js.
import type { NetworkState } from '../../tools/network-state.js'
import { betweenLeftIncl, IdSpace } from '../../node/ring.js'
import { preview } from '../../node/text.js'
import type { Json } from '../../node/wire.js'
import { faultLines, nodeFaultsJson, partitionSides, sideLists, type PlanBook, type PlannedNode } from './fault-view.js'

/** Key dots drawn at most; the count is always exact. */
const MAX_KEYS_SHOWN = 5000

/**
 * The monitor's snapshot JSON (fingers, pointers, health) where each node's entry list is replaced by
 * its counts (owned: the keys in [its id, its successor's id), as the monitor counts them; held:
 * copies included), plus the ring's distinct keys, each with its owner's port, and the faults: each
 * node's plan (null when it could not be read), the sides of a partition and the summary's lines.
 */
export function pageView(json: Json, bits: number, state: NetworkState, plans: PlanBook): Json {
  type NodeJson = { host: string; port: number; id: string; info: { successor: { id: string } } | null; entries: Array<{ key: string; value: string }> } & Record<string, Json>
  const base = json as { nodes: NodeJson[] } & Record<string, Json>
  const space = new IdSpace(bits)
  const hex = (id: string) => space.parseHex(id) ?? 0n
  const keys = new Map<string, { key: string; value: string; owner: number | null }>()
  const planned: PlannedNode[] = base.nodes.flatMap((n) => {
    const address = `${n.host}:${n.port}`
    const reading = plans.get(address)
    return reading && 'plan' in reading ? [{ id: n.id, host: n.host, port: n.port, address, plan: reading.plan }] : []
  })
  const sides = partitionSides(planned)
  const planOf = new Map(planned.map((n) => [n.address, n.plan]))
  const nodes = base.nodes.map(({ entries, ...n }) => {
    const owned = new Set<string>()
    for (const e of entries) {
      let k = keys.get(e.key)
      if (!k) keys.set(e.key, (k = { key: e.key, value: preview(e.value, 60), owner: null }))
      if (n.info && betweenLeftIncl(hex(e.key), hex(n.id), hex(n.info.successor.id))) {
        k.owner = n.port
        owned.add(e.key)
      }
    }
    const address = `${n.host}:${n.port}`
    const plan = planOf.get(address)
    const faults = plan ? nodeFaultsJson(plan, sides.get(address)) : null
    return { ...n, owned: owned.size, held: entries.length, recorded: state.processes.some((p) => p.port === n.port), faults } as Json
  })
  const all = [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    ...base,
    nodes,
    keyCount: all.length,
    keys: all.slice(0, MAX_KEYS_SHOWN),
    routeMode: state.settings.routeMode,
    faults: {
      sides: sideLists(planned, sides).map(({ side, nodes: list }) => ({ side, ports: list.map((n) => n.port) })),
      lines: faultLines(planned),
    },
  } as Json
}
