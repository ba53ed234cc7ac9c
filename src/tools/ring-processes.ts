// The ring's nodes grouped by the process that hosts them (VNODES=v: v virtual nodes behind one
// address), and the words the tools use for them: "4 nodes" while each process hosts one node,
// "16 virtual nodes in 4 processes" once a process hosts several. Pure: the tools pass what they read.
import { plural } from './output.js'

/** A node as the tools know it: where its process listens, its id, and which of the process's virtual nodes it is. */
export interface HostedNode {
  host: string
  port: number
  id: string
  pid?: number
  /** Its index among its process's virtual nodes; absent for the first (and for a process's only node). */
  vnode?: number
}

export interface ProcessGroup<N extends HostedNode> {
  host: string
  port: number
  pid?: number
  /** Its virtual nodes by index (the first's id is the hash of host:port). */
  nodes: N[]
}

/** A process's name among the ring's: its address. */
export function processAddress(node: { host: string; port: number }): string {
  return `${node.host}:${node.port}`
}

/** The processes, by host then port, each with its nodes by index (by id where the index is not known). */
export function groupByProcess<N extends HostedNode>(nodes: readonly N[]): Array<ProcessGroup<N>> {
  const groups = new Map<string, ProcessGroup<N>>()
  for (const node of nodes) {
    const address = processAddress(node)
    let group = groups.get(address)
    if (!group) groups.set(address, (group = { host: node.host, port: node.port, nodes: [] }))
    if (group.pid === undefined && node.pid !== undefined) group.pid = node.pid
    group.nodes.push(node)
  }
  const byIndex = (a: N, b: N) => (a.vnode ?? 0) - (b.vnode ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  for (const group of groups.values()) group.nodes.sort(byIndex)
  return [...groups.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port))
}

/** The first node of each process, in the order given: one request per process where its virtual nodes share what is asked (its message log, its faults). */
export function onePerProcess<N extends { host: string; port: number }>(nodes: readonly N[]): N[] {
  const seen = new Set<string>()
  return nodes.filter((n) => {
    const address = processAddress(n)
    if (seen.has(address)) return false
    seen.add(address)
    return true
  })
}

/** Whether some process hosts more than one node: then the tools speak of virtual nodes and processes. */
export function hasVirtualNodes(nodes: readonly HostedNode[]): boolean {
  return nodes.some((n) => (n.vnode ?? 0) > 0) || new Set(nodes.map(processAddress)).size < nodes.length
}

/** "4 nodes" while each process hosts one; "16 virtual nodes in 4 processes" once one hosts several. */
export function nodeCount(nodes: readonly HostedNode[]): string {
  if (!hasVirtualNodes(nodes)) return plural(nodes.length, 'node')
  return `${plural(nodes.length, 'virtual node')} in ${processCount(new Set(nodes.map(processAddress)).size)}`
}

/** "1 process", "4 processes". */
export function processCount(count: number): string {
  return plural(count, 'process', 'processes')
}

/** How many processes a ring of these nodes has. */
export function processesOf(nodes: readonly HostedNode[]): number {
  return new Set(nodes.map(processAddress)).size
}

/** A node's pointer as a leaving process knows it: its own id and its predecessor's. */
export interface PointerView<P extends { id: bigint; host: string; port: number }> {
  self: P
  predecessor: P | null
}

/**
 * Where the keys of a leaving process end up: each of its virtual nodes hands its keys to its
 * predecessor, and a predecessor of the same process hands them on as it leaves in turn, so they reach
 * the first predecessor of another process. Those nodes, each once, in the order of `nodes`.
 */
export function keyHeirs<P extends { id: bigint; host: string; port: number }>(nodes: ReadonlyArray<PointerView<P>>): P[] {
  const byId = new Map(nodes.map((n) => [n.self.id, n]))
  const heirs = new Map<bigint, P>()
  for (const node of nodes) {
    let heir = node.predecessor
    for (let steps = 0; heir !== null && byId.has(heir.id) && steps < nodes.length; steps++) heir = byId.get(heir.id)!.predecessor
    if (heir !== null && !byId.has(heir.id)) heirs.set(heir.id, heir)
  }
  return [...heirs.values()]
}
