// The monitor's frame: the ring in id order (with virtual nodes, process by process, each process's
// virtual nodes under its line), each node's pointers and content, with what changed since the
// previous frame highlighted and unreachable nodes in red, and the ring's health classified as
// make check classifies it (src/tools/ring-health.ts): broken in red, settling in yellow, wrapped to the
// terminal's width.
import { betweenLeftIncl } from '../../node/ring.js'
import { preview } from '../../node/text.js'
import { pc, plural, shortId, wrapWords } from '../../tools/output.js'
import { problemLine, settlingSummary } from '../../tools/ring-health.js'
import type { Finding } from '../../tools/ring-classification.js'
import type { NodeSnapshot, RingSnapshot } from '../../tools/ring-snapshot.js'
import { groupByProcess, hasVirtualNodes, nodeCount, processAddress, type ProcessGroup } from '../../tools/ring-processes.js'
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

/** Broken problems the frame lists one by one; the rest are counted. */
const BROKEN_SHOWN = 5

/**
 * The frame's health lines, at most `width` columns: healthy; or settling (what maintenance is still
 * repairing, by kind, as make check says it); or broken, each problem on its own lines.
 */
export function healthLines(findings: readonly Finding[], width: number): string[] {
  const broken = findings.filter((f) => f.severity === 'broken')
  const settling = findings.filter((f) => f.severity === 'settling')
  const wrapped = (text: string, paint: (line: string) => string) => wrapWords(text, width - 2, '    ').map((line) => paint(`  ${line}`))
  if (broken.length === 0 && settling.length === 0) return wrapped('✔ ring healthy: one ordered ring, every key on its owner with its copies', pc.green)
  const lines: string[] = []
  if (broken.length > 0) {
    lines.push(...wrapped(`✘ broken: ${plural(broken.length, 'problem')} that maintenance does not repair`, pc.red))
    for (const finding of broken.slice(0, BROKEN_SHOWN)) lines.push(...wrapped(`· ${problemLine(finding)}`, pc.red))
    if (broken.length > BROKEN_SHOWN) lines.push(...wrapped(`· … and ${broken.length - BROKEN_SHOWN} more (make check lists them)`, pc.red))
  }
  if (settling.length > 0) lines.push(...wrapped(`${broken.length > 0 ? 'also settling' : '… settling, not broken'}: ${settlingSummary(settling)}`, pc.yellow))
  return lines
}

export function renderFrame(snapshot: RingSnapshot, previous: RingSnapshot | undefined, client: RingClient, findings: readonly Finding[], width = 80): string {
  const rows = snapshot.nodes.map((n) => rowOf(n, client))
  const before = new Map((previous?.nodes ?? []).map((n) => [n.id, rowOf(n, client)]))
  const alive = rows.filter((r) => !r.error)
  const owned = alive.reduce((sum, r) => sum + r.owned, 0)
  const held = alive.reduce((sum, r) => sum + r.held, 0)
  const deleted = alive.reduce((sum, r) => sum + r.deleted, 0)
  const grouped = hasVirtualNodes(snapshot.nodes)
  const counted = grouped ? `${nodeCount(snapshot.nodes.filter((n) => n.info))}` : `${alive.length} node${alive.length === 1 ? '' : 's'}`
  const lines: string[] = []
  lines.push(
    `${pc.bold('chord-lab ring')}  ${counted}${rows.length > alive.length ? pc.red(` (${rows.length - alive.length} not answering)`) : ''}` +
      `  ·  ${owned} values, ${held} copies (r=${snapshot.replicas}), ${deleted} tombstones  ·  ${snapshot.bits}-bit ids, routing by ${snapshot.routeMode}  ·  ${snapshot.takenAt.slice(11, 19)}`,
  )
  const line = (row: Row, place: string) => nodeLine(row, place, before.get(row.id), previous !== undefined)
  if (grouped) {
    // A process line (its address, pid, virtual nodes and their sums), its virtual nodes under it by index.
    lines.push(pc.dim('  id        vnode  predecessor     successor       keys  copies  deleted  some values'))
    const rowById = new Map(rows.map((r) => [r.id, r]))
    for (const group of groupByProcess(snapshot.nodes)) {
      const members = group.nodes.map((n) => rowById.get(n.id)!)
      lines.push(processLine(group, members))
      for (const [k, row] of members.entries()) lines.push(line(row, `#${group.nodes[k]!.vnode ?? 0}`))
    }
  } else {
    lines.push(pc.dim('  id        port   predecessor     successor       keys  copies  deleted  some values'))
    for (const row of rows) lines.push(line(row, String(row.port)))
  }
  for (const gone of new Set((previous?.nodes ?? []).map(processAddress))) {
    if (!rows.some((r) => r.address === gone)) lines.push(pc.yellow(`  − ${gone} is gone`))
  }
  lines.push(...healthLines(findings, width))
  return lines.join('\n')
}

/** One node's row: `place` is its port, or its index within its process; what changed since `old` in yellow. */
function nodeLine(row: Row, place: string, old: Row | undefined, hasPrevious: boolean): string {
  if (row.error) return pc.red(`  ${shortId(row.id).padEnd(10)}${place.padEnd(7)}${row.error}`)
  const mark = (text: string, changed: boolean) => (changed && hasPrevious ? pc.yellow(text) : text)
  const isNew = hasPrevious && !old
  return (
    '  ' +
    mark(shortId(row.id).padEnd(10), isNew) +
    mark(place.padEnd(7), isNew) +
    mark(row.predecessor.padEnd(16), old?.predecessor !== row.predecessor) +
    mark(row.successor.padEnd(16), old?.successor !== row.successor) +
    mark(String(row.owned).padStart(4), old?.owned !== row.owned) +
    mark(String(row.held).padStart(8), old?.held !== row.held) +
    mark(String(row.deleted).padStart(9), old?.deleted !== row.deleted) +
    '  ' +
    pc.dim(row.sample)
  )
}

/** A process's line: its port, pid and virtual nodes, then the keys it owns, the copies it holds and its tombstones, summed over them. */
function processLine(group: ProcessGroup<NodeSnapshot>, rows: readonly Row[]): string {
  const answering = rows.filter((r) => !r.error)
  const sum = (field: 'owned' | 'held' | 'deleted') => answering.reduce((total, r) => total + r[field], 0)
  const label = `process @${group.port}${group.pid !== undefined ? `  pid ${group.pid}` : ''}`
  if (answering.length === 0) return pc.red(`  ${label}: not answering`)
  const name = `${label}  ${plural(rows.length, 'virtual node')}`
  return pc.bold(`  ${name.padEnd(49)}${String(sum('owned')).padStart(4)}${String(sum('held')).padStart(8)}${String(sum('deleted')).padStart(9)}`)
}

/**
 * The snapshot as plain JSON (ids in hex), for JSON=1 and for scripts: healthy only when nothing is left
 * to repair; `problems` every finding, `broken` and `settling` them classified as make check does.
 */
export function snapshotJson(snapshot: RingSnapshot, client: RingClient, findings: readonly Finding[]): Json {
  const lines = (severity?: Finding['severity']) => findings.filter((f) => severity === undefined || f.severity === severity).map(problemLine)
  return {
    takenAt: snapshot.takenAt,
    bits: snapshot.bits,
    replicas: snapshot.replicas,
    routeMode: snapshot.routeMode,
    healthy: findings.length === 0,
    problems: lines(),
    broken: lines('broken'),
    settling: lines('settling'),
    nodes: snapshot.nodes.map((n) => ({
      host: n.host,
      port: n.port,
      id: n.id,
      pid: n.pid ?? null,
      vnode: n.vnode ?? 0,
      error: n.error ?? null,
      info: n.info ? client.wire.nodeInfo(n.info) : null,
      entries: n.entries ?? [],
      tombstones: n.tombstones ?? [],
    })),
  }
}
