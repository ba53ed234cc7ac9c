// The monitor's frame: the ring in id order, each node's pointers and content, with what changed
// since the previous frame highlighted and unreachable nodes in red.
import { betweenLeftIncl } from '../../node/ring.js'
import { preview } from '../../node/text.js'
import { pc, shortId } from '../../tools/output.js'
import type { NodeSnapshot, RingSnapshot } from '../../tools/ring-snapshot.js'
import type { RingClient } from '../../tools/ring-client.js'
import type { Json } from '../../node/wire.js'

interface Row {
  address: string
  id: string
  port: number
  predecessor: string
  successor: string
  owned: number
  held: number
  /** Tombstones: deleted values this node still remembers. */
  deleted: number
  sample: string
  error?: string
}

function rowOf(node: NodeSnapshot, client: RingClient): Row {
  const hex = (id: bigint) => client.wire.id(id)
  const row: Row = { address: `${node.host}:${node.port}`, id: node.id, port: node.port, predecessor: '-', successor: '-', owned: 0, held: 0, deleted: 0, sample: '' }
  if (!node.info) return { ...row, error: node.error ?? 'no answer' }
  const info = node.info
  const label = (p: { id: bigint; port: number } | null) => (p ? `${shortId(hex(p.id))}@${p.port}` : '-')
  const entries = node.entries ?? []
  const own = entries.filter((e) => betweenLeftIncl(BigInt('0x' + e.key), info.self.id, info.successor.id))
  return {
    ...row,
    predecessor: label(info.predecessor),
    successor: label(info.successor),
    owned: own.length,
    held: entries.length,
    deleted: node.tombstones?.length ?? info.tombstones,
    sample: own
      .slice(0, 2)
      .map((e) => JSON.stringify(preview(e.value, 18)))
      .join(' '),
  }
}

export function renderFrame(snapshot: RingSnapshot, previous: RingSnapshot | undefined, client: RingClient, health: string[]): string {
  const rows = snapshot.nodes.map((n) => rowOf(n, client))
  const before = new Map((previous?.nodes ?? []).map((n) => [`${n.host}:${n.port}`, rowOf(n, client)]))
  const mark = (text: string, changed: boolean) => (changed && previous ? pc.yellow(text) : text)
  const alive = rows.filter((r) => !r.error)
  const owned = alive.reduce((sum, r) => sum + r.owned, 0)
  const held = alive.reduce((sum, r) => sum + r.held, 0)
  const deleted = alive.reduce((sum, r) => sum + r.deleted, 0)
  const lines: string[] = []
  lines.push(
    `${pc.bold('chord-lab ring')}  ${alive.length} node${alive.length === 1 ? '' : 's'}${rows.length > alive.length ? pc.red(` (${rows.length - alive.length} not answering)`) : ''}` +
      `  ·  ${owned} values, ${held} copies (r=${snapshot.replicas}), ${deleted} tombstones  ·  ${snapshot.bits}-bit ids, routing by ${snapshot.routeMode}  ·  ${snapshot.takenAt.slice(11, 19)}`,
  )
  lines.push(pc.dim('  id        port   predecessor     successor       keys  copies  deleted  some values'))
  for (const row of rows) {
    const old = before.get(row.address)
    if (row.error) {
      lines.push(pc.red(`  ${shortId(row.id).padEnd(10)}${String(row.port).padEnd(7)}${row.error}`))
      continue
    }
    const isNew = previous !== undefined && !old
    lines.push(
      '  ' +
        mark(shortId(row.id).padEnd(10), isNew) +
        mark(String(row.port).padEnd(7), isNew) +
        mark(row.predecessor.padEnd(16), old?.predecessor !== row.predecessor) +
        mark(row.successor.padEnd(16), old?.successor !== row.successor) +
        mark(String(row.owned).padStart(4), old?.owned !== row.owned) +
        mark(String(row.held).padStart(8), old?.held !== row.held) +
        mark(String(row.deleted).padStart(9), old?.deleted !== row.deleted) +
        '  ' +
        pc.dim(row.sample),
    )
  }
  for (const gone of before.keys()) {
    if (!rows.some((r) => r.address === gone)) lines.push(pc.yellow(`  − ${gone} is gone`))
  }
  lines.push(health.length === 0 ? pc.green('  ✔ ring healthy: one ordered ring, pointers consistent, every key on its owner with its copies') : pc.red(`  ✘ ${health.length} problem${health.length === 1 ? '' : 's'}: ${health.slice(0, 3).join('; ')}${health.length > 3 ? ' …' : ''}`))
  return lines.join('\n')
}

/** The snapshot as plain JSON (ids in hex), for JSON=1 and for scripts. */
export function snapshotJson(snapshot: RingSnapshot, client: RingClient, health: string[]): Json {
  return {
    takenAt: snapshot.takenAt,
    bits: snapshot.bits,
    replicas: snapshot.replicas,
    routeMode: snapshot.routeMode,
    healthy: health.length === 0,
    problems: health,
    nodes: snapshot.nodes.map((n) => ({
      host: n.host,
      port: n.port,
      id: n.id,
      pid: n.pid ?? null,
      error: n.error ?? null,
      info: n.info ? client.wire.nodeInfo(n.info) : null,
      entries: n.entries ?? [],
      tombstones: n.tombstones ?? [],
    })),
  }
}
