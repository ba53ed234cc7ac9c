// A partition as each node's plan: one side and the rest of the ring cannot reach each other, in both
// directions, because every node blocks the nodes of the other side. Pure: the tools (make partition)
// and the simulator (SimRing.partition) plan it the same way.
import { ToolError } from '../errors.js'

/**
 * For each address of `ring` (host:port), the addresses it must block so that `side` and the rest are cut
 * apart. A side that is empty, holds the whole ring or names an address that is not in it is refused.
 */
export function partitionPlan(ring: readonly string[], side: readonly string[]): Map<string, string[]> {
  const all = new Set(ring)
  const one = new Set(side)
  const strangers = [...one].filter((address) => !all.has(address))
  if (strangers.length > 0) throw new ToolError('BAD_ARGUMENT', `${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not in the ring`)
  if (one.size === 0) throw new ToolError('BAD_ARGUMENT', 'a partition needs at least one node on each side; this side is empty')
  if (one.size === all.size) throw new ToolError('BAD_ARGUMENT', `a partition needs at least one node on each side; these are all ${all.size} nodes of the ring`)
  const rest = [...all].filter((address) => !one.has(address))
  const inside = [...all].filter((address) => one.has(address))
  return new Map([...all].map((address) => [address, one.has(address) ? rest : inside]))
}
