// The tools' and the page's views of virtual nodes (VNODES=v), as pure functions over snapshots: nodes
// grouped by process and counted in words, where a leaving process's keys end up, what a stopped ring
// held, the monitor's frame grouped by process (and unchanged without virtual nodes), a virtual node's
// finger table labelled, and the page's nodes: a process's coloured alike, each named apart.
import { describe, test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import assert from 'node:assert/strict'
import type { NodeInfo, Peer } from '../../src/node/protocol/types.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { RingClient } from '../../src/tools/ring-client.js'
import { groupByProcess, hasVirtualNodes, keyHeirs, nodeCount, onePerProcess } from '../../src/tools/ring-processes.js'
import type { NodeSnapshot, RingSnapshot } from '../../src/tools/ring-snapshot.js'
import { surveyLine } from '../../src/tools/ring-survey.js'
import { fingerTableLines } from '../../src/workbench/terminal/finger-view.js'
import { renderFrame } from '../../src/workbench/terminal/monitor-view.js'
import { chosenSide } from '../../src/workbench/web/faults.js'
import { nodeKey, PROCESS_COLOURS, processColours } from '../../src/workbench/web/format.js'

/** What the terminal shows without its colours (CI=true colours the output). */
const plain = (text: string): string => stripVTControlCharacters(text)

const BITS = 16
const client = new RingClient(BITS)
const hex = (id: number) => client.wire.id(BigInt(id))
const peer = (id: number, port: number): Peer => ({ id: BigInt(id), host: 'h', port })

/**
 * A healthy snapshot of nodes given as [id, port, vnode index] in any order, each pointing at its
 * neighbours in id order and holding the keys `keysOf` gives it.
 */
function snapshotOf(nodes: Array<[number, number, number]>, keysOf: (id: number) => number[] = () => []): RingSnapshot {
  const sorted = [...nodes].sort((a, b) => a[0] - b[0])
  const at = (i: number) => sorted[(i + sorted.length) % sorted.length]!
  const snapshots: NodeSnapshot[] = sorted.map(([id, port, vnode], i) => {
    const successor = peer(at(i + 1)[0], at(i + 1)[1])
    const info: NodeInfo = {
      self: peer(id, port),
      status: 'ready',
      predecessor: peer(at(i - 1)[0], at(i - 1)[1]),
      successor,
      successors: [successor],
      fingers: [{ index: 0, start: BigInt(id + 1), node: successor }],
      keys: 0,
      values: 0,
      tombstones: 0,
      bits: BITS,
      replicas: 2,
      routeMode: 'fingers',
      routingState: { entries: 1, bytes: 10 },
    }
    const entries = keysOf(id).map((key) => ({ key: hex(key), value: `value ${key}`, version: 1 }))
    return { host: 'h', port, id: hex(id), pid: port - 4000, ...(vnode > 0 ? { vnode } : {}), info, entries, tombstones: [] }
  })
  return { takenAt: '2026-01-01T00:00:00.000Z', bits: BITS, replicas: 2, stabilizeMs: 100, tombstoneGraceMs: 1000, routeMode: 'fingers', nodes: snapshots }
}

// Two processes of two virtual nodes each, their ids interleaved round the ring.
const hosted = snapshotOf([
  [0x1000, 5001, 1],
  [0x4000, 5000, 0],
  [0x8000, 5001, 0],
  [0xc000, 5000, 1],
])

describe('nodes grouped by process', () => {
  test('processes by port, each with its nodes by index and its pid', () => {
    const groups = groupByProcess(hosted.nodes)
    assert.deepEqual(
      groups.map((g) => [g.port, g.pid, g.nodes.map((n) => n.id)]),
      [
        [5000, 1000, [hex(0x4000), hex(0xc000)]],
        [5001, 1001, [hex(0x8000), hex(0x1000)]],
      ],
    )
  })

  test('one node per process, the first of each in the order given: one request per process for what its nodes share', () => {
    assert.deepEqual(
      onePerProcess(hosted.nodes).map((n) => n.id),
      [hex(0x1000), hex(0x4000)],
    )
  })

  test('counted as virtual nodes in processes once a process hosts several; as nodes otherwise', () => {
    assert.equal(hasVirtualNodes(hosted.nodes), true)
    assert.equal(nodeCount(hosted.nodes), '4 virtual nodes in 2 processes')
    const plain = snapshotOf([
      [0x1000, 5000, 0],
      [0x8000, 5001, 0],
      [0xc000, 5002, 0],
    ])
    assert.equal(hasVirtualNodes(plain.nodes), false)
    assert.equal(nodeCount(plain.nodes), '3 nodes')
  })

  test("a leaving process's keys go to the first predecessor of another process behind each of its nodes, each named once", () => {
    // Process @5000 hosts 0x40, 0x50 and 0x90; 0x50's predecessor is its sibling 0x40, whose predecessor is 0x30@5001.
    const node = (id: number, predecessor: number, port: number) => ({ self: peer(id, 5000), predecessor: peer(predecessor, port) })
    const heirs = keyHeirs([node(0x40, 0x30, 5001), node(0x50, 0x40, 5000), node(0x90, 0x80, 5002)])
    assert.deepEqual(
      heirs.map((p) => [p.id, p.port]),
      [
        [0x30n, 5001],
        [0x80n, 5002],
      ],
    )
    assert.deepEqual(keyHeirs([{ self: peer(1, 5000), predecessor: null }]), [], 'a node alone hands its keys to no one')
  })
})

describe('surveyLine with virtual nodes', () => {
  const record = (port: number): ProcessRecord => ({ host: '127.0.0.1', port, id: hex(port), pid: port, startedAt: '2026-01-01T00:00:00.000Z' })
  test('processes, the virtual nodes they hosted, the values all of them held', () => {
    assert.equal(surveyLine({ nodes: [record(5001), record(5000)], virtualNodes: 8, values: 300, silent: 0 }), '2 processes with 8 virtual nodes on ports 5000, 5001 holding 300 values')
    assert.equal(
      surveyLine({ nodes: [5000, 5001, 5002].map(record), virtualNodes: 8, values: 200, silent: 1 }),
      '3 processes with 8 virtual nodes on ports 5000–5002 holding 200 values (1 process did not answer: its values are not counted)',
    )
    assert.equal(surveyLine({ nodes: [record(5000), record(5001)], virtualNodes: 2, values: 5, silent: 0 }), '2 nodes on ports 5000, 5001 holding 5 values', 'one node per process: nodes, as before')
  })
})

describe("the monitor's frame", () => {
  test("with virtual nodes: a line per process (port, pid, virtual nodes, the keys and copies summed), its virtual nodes under it by index", () => {
    const snapshot = snapshotOf(
      [
        [0x1000, 5001, 1],
        [0x4000, 5000, 0],
        [0x8000, 5001, 0],
        [0xc000, 5000, 1],
      ],
      (id) => [id + 1, id + 2],
    )
    const lines = plain(renderFrame(snapshot, undefined, client, [])).split('\n')
    assert.match(lines[0]!, /^chord-lab ring {2}4 virtual nodes in 2 processes {2}· {2}8 values, 8 copies/)
    assert.match(lines[1]!, /^ {2}id {8}vnode {2}predecessor/)
    const rows = lines.slice(2, 8).map((l) => l.trim().replace(/\s+/g, ' '))
    assert.deepEqual(
      rows.map((r) => r.split(' "')[0]),
      [
        'process @5000 pid 1000 2 virtual nodes 4 4 0',
        `${hex(0x4000)} #0 ${hex(0x1000)}@5001 ${hex(0x8000)}@5001 2 2 0`,
        `${hex(0xc000)} #1 ${hex(0x8000)}@5001 ${hex(0x1000)}@5001 2 2 0`,
        'process @5001 pid 1001 2 virtual nodes 4 4 0',
        `${hex(0x8000)} #0 ${hex(0x4000)}@5000 ${hex(0xc000)}@5000 2 2 0`,
        `${hex(0x1000)} #1 ${hex(0xc000)}@5000 ${hex(0x4000)}@5000 2 2 0`,
      ],
    )
    assert.match(lines[8]!, /ring healthy/)
  })

  test('without virtual nodes: one row per node in id order, its port in the second column, as before', () => {
    const snapshot = snapshotOf([
      [0x8000, 5001, 0],
      [0x1000, 5000, 0],
    ])
    const lines = plain(renderFrame(snapshot, undefined, client, [])).split('\n')
    assert.match(lines[0]!, /^chord-lab ring {2}2 nodes {2}·/)
    assert.match(lines[1]!, /^ {2}id {8}port {3}predecessor/)
    assert.deepEqual(
      lines.slice(2, 4).map((l) => l.trim().split(/\s+/).slice(0, 2)),
      [
        [hex(0x1000), '5000'],
        [hex(0x8000), '5001'],
      ],
    )
    assert.doesNotMatch(lines.join('\n'), /process|vnode/)
  })

  test("a process gone since the previous frame is said once, whatever its virtual nodes", () => {
    const after = snapshotOf([
      [0x4000, 5000, 0],
      [0xc000, 5000, 1],
    ])
    const gone = plain(renderFrame(after, hosted, client, [])).split('\n').filter((l) => /is gone/.test(l))
    assert.deepEqual(
      gone.map((l) => l.trim()),
      ['− h:5001 is gone'],
    )
  })
})

test("a virtual node's finger table says which virtual node of which process it is; its fingers name id@port", () => {
  const info = hosted.nodes.find((n) => n.id === hex(0xc000))!.info!
  const lines = fingerTableLines(info, client.wire, { index: 1, of: 2 }).map(plain)
  assert.match(lines[0]!, new RegExp(`^finger table of ${hex(0xc000)}@5000, virtual node #1 of 2 of process @5000 `))
  assert.match(lines[2]!, new RegExp(`${hex(0x1000)}@5001$`))
  assert.match(plain(fingerTableLines(info, client.wire)[0]!), new RegExp(`^finger table of ${hex(0xc000)}@5000 {2}\\(`), 'without the label as before')
})

describe("the page's nodes", () => {
  const drawn = (port: number, vnode: number) => ({ host: 'h', port, vnode, address: `h:${port}`, key: nodeKey({ host: 'h', port, vnode }) })
  // Ring order: two processes of two virtual nodes each, interleaved.
  const nodes = [drawn(5001, 1), drawn(5000, 0), drawn(5001, 0), drawn(5000, 1)]

  test("a process's virtual nodes share a colour, by port order; each is named apart (its address, #i after the first)", () => {
    assert.deepEqual([...processColours(nodes)!], [
      ['h:5000', 0],
      ['h:5001', 1],
    ])
    assert.deepEqual(
      nodes.map((n) => n.key),
      ['h:5001#1', 'h:5000', 'h:5001', 'h:5000#1'],
    )
    const many = Array.from({ length: 20 }, (_, i) => [drawn(6000 + i, 0), drawn(6000 + i, 1)]).flat()
    assert.deepEqual([...new Set(processColours(many)!.values())].length, PROCESS_COLOURS, 'colours come round again after the last')
  })

  test('without virtual nodes: no colours, and a node is named by its address as before', () => {
    assert.equal(processColours([drawn(5000, 0), drawn(5001, 0)]), null)
    assert.equal(nodeKey({ host: 'h', port: 5000 }), 'h:5000')
  })

  test('a partition from the page cuts processes: each once, whichever of its nodes was chosen or selected', () => {
    assert.deepEqual(chosenSide(nodes, new Set(['h:5001']), null), ['h:5001'])
    assert.deepEqual(chosenSide(nodes, new Set(), 'h:5000#1'), ['h:5000'], 'the selected virtual node: its process')
  })
})

test.after(() => client.close())
