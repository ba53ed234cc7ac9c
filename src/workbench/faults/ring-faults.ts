// The tools' side of the faults (make slow, drop, partition, heal): which nodes make up the ring, and
// each target's change made on the nodes it concerns, by reading each node's plan, changing what the
// target is about and writing the plan back, so the other faults in force stay as they are.
import { errorMessage, ToolError } from '../../node/errors.js'
import type { OpenRing } from '../../tools/open-ring.js'
import type { RingClient } from '../../tools/ring-client.js'
import { takeSnapshot } from '../../tools/ring-snapshot.js'
import { partitionPlan } from '../../node/faults/partition.js'
import { isHealthy, type FaultPlan } from '../../node/faults/plan.js'

export interface FaultNode {
  id: string
  host: string
  port: number
  /** host:port, as the node's peers call it and a partition blocks it. */
  address: string
}

/** What one node's plan was and became, or why it could not be changed. */
export type Change = { node: FaultNode; before: FaultPlan; after: FaultPlan } | { node: FaultNode; error: string }

export interface Changes {
  changed: Array<{ node: FaultNode; before: FaultPlan; after: FaultPlan }>
  failed: Array<{ node: FaultNode; error: string }>
}

const addressOf = (node: { host: string; port: number }): string => `${node.host}:${node.port}`

/**
 * The ring's nodes: every recorded process (asked directly, even when it is too slow to answer the
 * snapshot in time), and the nodes on other machines found by walking successors from them.
 */
export async function ringNodes(ring: OpenRing): Promise<FaultNode[]> {
  const byAddress = new Map<string, FaultNode>()
  const add = (node: { id: string; host: string; port: number }) => {
    const address = addressOf(node)
    if (!byAddress.has(address)) byAddress.set(address, { id: node.id, host: node.host, port: node.port, address })
  }
  for (const p of ring.state.processes) add(p)
  const snapshot = await takeSnapshot(ring.client, ring.state)
  for (const node of snapshot.nodes) if (node.info) add(node)
  return [...byAddress.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Runs `work` on every node at once; a node that fails is reported, not fatal. */
async function onEach(nodes: readonly FaultNode[], work: (node: FaultNode) => Promise<{ before: FaultPlan; after: FaultPlan }>): Promise<Changes> {
  const results = await Promise.all(
    nodes.map(async (node): Promise<Change> => {
      try {
        return { node, ...(await work(node)) }
      } catch (error) {
        return { node, error: errorMessage(error) }
      }
    }),
  )
  return {
    changed: results.flatMap((r) => ('error' in r ? [] : [r])),
    failed: results.flatMap((r) => ('error' in r ? [r] : [])),
  }
}

/** The lab node has no fault injection: every fault tool refuses a lab ring in one line. */
function requireFaults(client: RingClient): void {
  if (client.impl === 'lab') throw new ToolError('UNSUPPORTED', 'the lab node has no fault injection (no GET or PUT /faults); IMPL=full nodes have it')
}

/** Reads, changes and writes back each node's plan. */
export async function changeEach(client: RingClient, nodes: readonly FaultNode[], change: (plan: FaultPlan, node: FaultNode) => FaultPlan): Promise<Changes> {
  requireFaults(client)
  return onEach(nodes, async (node) => {
    const before = await client.faults(node)
    return { before, after: await client.setFaults(node, change(before, node)) }
  })
}

/** make heal: every fault of every node cleared, its delay included; answers what each node had. */
export async function healAll(client: RingClient, nodes: readonly FaultNode[]): Promise<Changes> {
  requireFaults(client)
  return onEach(nodes, async (node) => {
    const before = await client.faults(node)
    return { before, after: isHealthy(before) ? before : await client.clearFaults(node) }
  })
}

/**
 * make partition PORTS=5001,5002: the nodes named (by port, or by host:port when a port is used on several
 * machines) against the rest of the ring. Names that are no node of the ring, an empty side and the whole
 * ring are refused, naming PORTS.
 */
export function partitionSide(nodes: readonly FaultNode[], ports: string): FaultNode[] {
  const side = new Map<string, FaultNode>()
  for (const name of ports.split(',').map((s) => s.trim())) {
    const matches = name.includes(':') ? nodes.filter((n) => n.address === name) : nodes.filter((n) => String(n.port) === name)
    if (matches.length === 0) throw new ToolError('BAD_ARGUMENT', `PORTS: ${name} is not a node of the ring; its nodes: ${nodeNames([...nodes].sort((a, b) => a.port - b.port))}`)
    if (matches.length > 1) throw new ToolError('BAD_ARGUMENT', `PORTS: port ${name} is used on several machines (${matches.map((n) => n.address).join(', ')}); name the node as host:port`)
    side.set(matches[0]!.address, matches[0]!)
  }
  try {
    partitionPlan(nodes.map((n) => n.address), [...side.keys()])
  } catch (error) {
    throw new ToolError('BAD_ARGUMENT', `PORTS: ${errorMessage(error)}`)
  }
  return [...side.values()]
}

/** Cuts `side` and the rest of `nodes` apart (every other fault kept); a partition already in force is replaced. */
export async function partition(client: RingClient, nodes: readonly FaultNode[], side: readonly FaultNode[]): Promise<Changes> {
  const blocked = partitionPlan(nodes.map((n) => n.address), side.map((n) => n.address))
  return changeEach(client, nodes, (plan, node) => ({ ...plan, blocked: blocked.get(node.address) ?? [] }))
}

/** @5001 @5002, or host:port for each when the nodes are on several machines; in port order, as every port list. */
export function nodeNames(nodes: readonly FaultNode[]): string {
  const oneHost = new Set(nodes.map((n) => n.host)).size <= 1
  const sorted = [...nodes].sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1))
  return sorted.map((n) => (oneHost ? `@${n.port}` : n.address)).join(' ')
}

/** The failures of a change as one error (after the tool has said what did succeed), or nothing. */
export function failuresOf(changes: Changes, what: string): ToolError | undefined {
  if (changes.failed.length === 0) return undefined
  const list = [...changes.failed].sort((a, b) => a.node.port - b.node.port).map((f) => `${f.node.address}: ${f.error}`).join('; ')
  return new ToolError('PARTLY_FAILED', `${what} failed on ${changes.failed.length} node${changes.failed.length === 1 ? '' : 's'}: ${list}`)
}

/**
 * What a heal cleared, from the plans the nodes had before it: "partition lifted on 8", "drops stopped
 * on 8", "slowness ended on 1", "delay removed on 8"; empty when there was nothing to clear.
 */
export function clearedFaults(changes: Changes): string[] {
  const before = changes.changed.map((c) => c.before)
  const had = (what: string, test: (plan: FaultPlan) => boolean) => {
    const n = before.filter(test).length
    return n > 0 ? `${what} on ${n}` : ''
  }
  return [
    had('partition lifted', (p) => p.blocked.length > 0),
    had('drops stopped', (p) => p.dropRate > 0),
    had('slowness ended', (p) => p.slowMs > 0),
    had('delay removed', (p) => p.delayMs > 0 || p.jitterMs > 0),
  ].filter(Boolean)
}
