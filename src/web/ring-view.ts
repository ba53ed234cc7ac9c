// The /api/ring reply: the monitor's snapshot JSON cut down to what the page draws. Its shape is the
// RingView typedef of src/web/api.js.
import type { NetworkState } from '../cli/network-state.js'
import { betweenLeftIncl, IdSpace } from '../ring.js'
import { preview } from '../text.js'
import type { Json } from '../wire.js'

/** Key dots drawn at most; the count is always exact. */
const MAX_KEYS_SHOWN = 5000

/**
 * The monitor's snapshot JSON (fingers, pointers, health) where each node's entry list is replaced by
 * its counts (owned: the keys in [its id, its successor's id), as the monitor counts them; held:
 * copies included), plus the ring's distinct keys, each with its owner's port.
 */
export function pageView(json: Json, bits: number, state: NetworkState): Json {
  type NodeJson = { port: number; id: string; info: { successor: { id: string } } | null; entries: Array<{ key: string; value: string }> } & Record<string, Json>
  const base = json as { nodes: NodeJson[] } & Record<string, Json>
  const space = new IdSpace(bits)
  const hex = (id: string) => space.parseHex(id) ?? 0n
  const keys = new Map<string, { key: string; value: string; owner: number | null }>()
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
    return { ...n, owned: owned.size, held: entries.length, recorded: state.processes.some((p) => p.port === n.port) } as Json
  })
  const all = [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    ...base,
    nodes,
    keyCount: all.length,
    keys: all.slice(0, MAX_KEYS_SHOWN),
    routeMode: state.settings.routeMode,
  } as Json
}
