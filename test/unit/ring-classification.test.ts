// make check's verdicts as pure functions of what the nodes report: the shape of the successor
// pointers, each violation broken or settling, stale fingers, and a live snapshot's findings.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { fingerTableLines } from '../../src/workbench/terminal/finger-view.js'
import { defaultSettleWaitMs, ringFindings, ringProblems, settlingSummary } from '../../src/tools/ring-health.js'
import type { RingSnapshot } from '../../src/tools/ring-snapshot.js'
import type { NodeInfo, Peer } from '../../src/node/protocol/types.js'
import { IdSpace, type Id } from '../../src/node/ring.js'
import { classifyViolations, ringShape, severityOf, staleFingers } from '../../src/tools/ring-classification.js'
import { checkRing, type NodeView, type Violation } from '../../src/tools/ring-invariants.js'
import { Wire } from '../../src/node/wire.js'

const space = new IdSpace(8)
const peer = (id: number): Peer => ({ id: BigInt(id), host: 'h', port: 1000 + id })
const IDS = [10, 50, 100, 150, 200]

/** A perfect ring of `ids` with r copies of each key, placed by the lab's rule. */
function healthy(ids: number[], r: number, keys: Id[] = []): NodeView[] {
  const n = ids.length
  return ids.map((id, i) => {
    const successors = Array.from({ length: Math.min(r, n - 1) }, (_, k) => peer(ids[(i + 1 + k) % n]!))
    const start = BigInt(id)
    const end = BigInt(ids[(i + r) % n]!)
    const held = keys.filter((key) => (n <= r ? true : start < end ? key >= start && key < end : key >= start || key < end))
    return { self: peer(id), predecessor: peer(ids[(i - 1 + n) % n]!), successors, keys: held }
  })
}

const withSuccessors = (views: NodeView[], id: number, successors: number[]): NodeView[] =>
  views.map((v) => (v.self.id === BigInt(id) ? { ...v, successors: successors.map(peer) } : v))

const classified = (views: NodeView[], r: number) => classifyViolations(checkRing(views, space, { replicas: r }), ringShape(views))

describe('ringShape', () => {
  test('whole: one cycle through every node in id order (a node alone too)', () => {
    assert.equal(ringShape(healthy(IDS, 2)), 'whole')
    assert.equal(ringShape([{ self: peer(7), predecessor: null, successors: [], keys: [] }]), 'whole')
  })

  test('closing: a node that joined but nobody points at yet', () => {
    // 120 joined between 100 and 150: it points at 150, while 100 still points past it.
    const views = [...healthy(IDS, 1), { self: peer(120), predecessor: peer(100), successors: [peer(150)], keys: [] }]
    assert.equal(ringShape(views), 'closing')
    const findings = classified(views, 1)
    assert.ok(findings.length > 0)
    assert.ok(findings.every((f) => f.severity === 'settling'), JSON.stringify(findings.map((f) => [f.kind, f.severity])))
  })

  test('a successor that has gone is skipped, as stabilize will', () => {
    // 100 crashed: 50 still lists it first, 150 still names it as predecessor.
    const views = healthy(IDS, 2).filter((v) => v.self.id !== 100n)
    assert.equal(views.find((v) => v.self.id === 50n)!.successors[0]!.id, 100n)
    assert.equal(ringShape(views), 'whole')
    const findings = classified(views, 2)
    assert.ok(findings.some((f) => f.kind === 'ring'), 'checkRing reports the dead successor')
    assert.ok(findings.every((f) => f.severity === 'settling'), JSON.stringify(findings.map((f) => [f.kind, f.message])))
  })

  test('broken: two rings, a ring that winds round twice, two nodes with one id, no live successor', () => {
    const split = withSuccessors(withSuccessors(healthy(IDS, 1), 50, [10]), 200, [100])
    assert.equal(ringShape(split), 'broken')
    // 10 → 100 → 200 → 50 → 150 → 10: every node, but twice round the circle.
    const twice = [10, 100, 200, 50, 150].reduce((views, id, i, order) => withSuccessors(views, id, [order[(i + 1) % order.length]!]), healthy(IDS, 1))
    assert.equal(ringShape(twice), 'broken')
    assert.equal(ringShape([...healthy(IDS, 1), { ...healthy(IDS, 1)[0]!, self: { ...peer(10), port: 9 } }]), 'broken')
    assert.equal(ringShape(withSuccessors(healthy(IDS, 1), 50, [77])), 'broken', '50 names only a node that is not there')
    const findings = classified(split, 1)
    assert.ok(findings.some((f) => (f.kind === 'ring' || f.kind === 'order') && f.severity === 'broken'))
  })
})

describe('severity of each violation', () => {
  const violation = (kind: Violation['kind'], extra: Partial<Violation> = {}): Violation => ({ kind, node: peer(10), message: kind, ...extra })

  test('pointers and successor lists settle; order and ring settle unless the shape is broken', () => {
    for (const kind of ['predecessor', 'successor-list'] as const) {
      assert.equal(severityOf(violation(kind), 'broken'), 'settling', kind)
      assert.equal(severityOf(violation(kind), 'whole'), 'settling', kind)
    }
    for (const kind of ['ring', 'order'] as const) {
      assert.equal(severityOf(violation(kind), 'closing'), 'settling', kind)
      assert.equal(severityOf(violation(kind), 'broken'), 'broken', kind)
    }
  })

  test('extra copies and missing copies settle; a key outside the id space is broken', () => {
    assert.equal(severityOf(violation('stray', { key: 3n }), 'whole'), 'settling')
    assert.equal(severityOf(violation('copies', { key: 3n }), 'whole'), 'settling')
    assert.equal(severityOf({ kind: 'stray', key: 999n, message: 'outside' }, 'whole'), 'broken')
  })

  test('a key missing from its owner settles only while a node outside its share still holds it', () => {
    assert.equal(severityOf(violation('owner', { key: 3n }), 'whole', new Set([3n])), 'settling')
    assert.equal(severityOf(violation('owner', { key: 3n }), 'whole', new Set([4n])), 'broken')
    assert.equal(severityOf(violation('owner', { key: 3n }), 'whole'), 'broken')
  })

  test('after a join, the joiner\'s keys still on the old holders are settling; lost from the owner and its copies is broken', () => {
    // r = 1: key 120 belonged to 100; 120 joined (now linked in) but has not received it yet.
    const joined = [10, 50, 100, 120, 150, 200]
    const keys = [120n, 130n]
    const before = healthy(IDS, 1, keys)
    const views = healthy(joined, 1).map((v) => ({ ...v, keys: v.self.id === 100n ? before.find((b) => b.self.id === 100n)!.keys : [] }))
    const findings = classified(views, 1)
    assert.deepEqual([...new Set(findings.map((f) => `${f.kind}:${f.severity}`))].sort(), ['owner:settling', 'stray:settling'])
    // r = 2, the owner 100 lost key 120 and only its copy on 50 is left: nobody hands it back.
    const lost = healthy(IDS, 2, keys).map((v) => (v.self.id === 100n ? { ...v, keys: [] } : v))
    const verdict = classified(lost, 2)
    assert.ok(verdict.some((f) => f.kind === 'owner' && f.severity === 'broken'), verdict.map((f) => f.message).join('; '))
  })
})

describe('staleFingers', () => {
  const fingersOf = (id: number, ids: number[]) => {
    const sorted = [...ids].sort((a, b) => a - b)
    const rows: Array<{ index: number; start: Id; node: Peer }> = []
    for (let i = 0; i < space.bits; i++) {
      const start = space.fingerStart(BigInt(id), i)
      const node = sorted.find((n) => BigInt(n) >= start) ?? sorted[0]!
      if (rows[rows.length - 1]?.node.id !== BigInt(node)) rows.push({ index: i, start, node: peer(node) })
    }
    return rows
  }

  test('fingers that are successor(n + 2^i) are fresh; one finding per node whose table is not', () => {
    const views = healthy(IDS, 1).map((v) => ({ ...v, fingers: fingersOf(Number(v.self.id), IDS) }))
    assert.deepEqual(staleFingers(views, space), [])
    // 120 joined: the tables still built without it are stale where they should now point at it.
    const joined = [...views, { self: peer(120), predecessor: peer(100), successors: [peer(150)], keys: [], fingers: fingersOf(120, [...IDS, 120]) }]
    const stale = staleFingers(joined, space)
    assert.ok(stale.length > 0)
    assert.ok(stale.every((f) => f.kind === 'fingers' && f.severity === 'settling'))
    assert.equal(new Set(stale.map((f) => f.node!.id)).size, stale.length)
    assert.ok(!stale.some((f) => f.node!.id === 120n), 'the joiner built its own table')
  })

  test('an empty table in a ring of several is not built yet; views without fingers are not judged', () => {
    const views = healthy(IDS, 1).map((v, i) => (i === 0 ? { ...v, fingers: [] } : v))
    assert.deepEqual(
      staleFingers(views, space).map((f) => f.message),
      ['fingers of 0a are not built yet'],
    )
  })
})

describe('a live snapshot\'s findings', () => {
  const wire = new Wire(space)
  const info = (view: NodeView): NodeInfo => ({
    self: view.self,
    status: 'ready',
    predecessor: view.predecessor,
    successor: view.successors[0] ?? view.self,
    successors: view.successors,
    fingers: [],
    keys: view.keys.length,
    values: view.keys.length,
    tombstones: 0,
    bits: 8,
    replicas: 1,
    routeMode: 'fingers',
    routingState: { entries: 0, bytes: 0 },
  })
  const snapshot = (views: NodeView[], silent: Array<{ id: number; pid?: number }> = []): RingSnapshot => ({
    takenAt: '2026-11-25T10:00:00.000Z',
    bits: 8,
    replicas: 1,
    stabilizeMs: 1000,
    tombstoneGraceMs: 600_000,
    routeMode: 'fingers',
    nodes: [
      ...views.map((v) => ({ host: 'h', port: v.self.port, id: wire.id(v.self.id), pid: 1, info: info(v), entries: v.keys.map((k) => ({ key: wire.id(k), value: 'v', version: 1 })) })),
      ...silent.map((s) => ({ host: 'h', port: 1000 + s.id, id: wire.id(BigInt(s.id)), ...(s.pid ? { pid: s.pid } : {}), error: 'connect ECONNREFUSED' })),
    ],
  })

  test('two rings side by side (a partition, each side repaired on its own) are said first, in one line', () => {
    const findings = ringFindings(snapshot([...healthy([10, 100], 1), ...healthy([50, 150, 200], 1)]))
    assert.equal(findings[0]?.kind, 'rings')
    assert.equal(findings[0]?.severity, 'broken')
    assert.match(ringProblems(snapshot([...healthy([10, 100], 1), ...healthy([50, 150, 200], 1)]))[0]!, /^2 rings: 2 nodes \(0a@\d+, 64@\d+\), 3 nodes \(32@\d+, 96@\d+, c8@\d+\)$/)
  })

  test('a healthy ring has none', () => {
    assert.deepEqual(ringFindings(snapshot(healthy(IDS, 1, [12n, 160n]))), [])
    assert.deepEqual(ringProblems(snapshot(healthy(IDS, 1))), [])
  })

  test('a recorded process that does not answer is broken; a departed node only its neighbours name is settling', () => {
    const views = healthy(IDS, 1)
    const findings = ringFindings(snapshot(views, [{ id: 77, pid: 4242 }, { id: 88 }]))
    assert.deepEqual(
      findings.map((f) => [f.kind, f.severity]),
      [
        ['unreachable', 'broken'],
        ['unreachable', 'settling'],
      ],
    )
    assert.match(ringProblems(snapshot(views, [{ id: 77, pid: 4242 }]))[0]!, /^4d@1077 does not answer \(connect ECONNREFUSED\)$/)
  })

  test('broken findings come first, and the settling ones sum up by kind', () => {
    const views = [...healthy(IDS, 1, [60n, 61n]), { self: peer(120), predecessor: peer(100), successors: [peer(150)], keys: [] }]
    const strays = views.map((v) => (v.self.id === 150n ? { ...v, keys: [60n, 61n] } : v))
    const findings = ringFindings(snapshot(strays, [{ id: 77, pid: 9 }]))
    assert.equal(findings[0]!.severity, 'broken')
    const summary = settlingSummary(findings.filter((f) => f.severity === 'settling'))
    assert.match(summary, /2 extra copies not yet cleaned up/)
    assert.match(summary, /successor pointer catching up/)
  })

  test('make check waits five stabilize periods and one finger period unless WAIT= says otherwise', () => {
    assert.equal(defaultSettleWaitMs({ stabilizeMs: 1000, fingerMs: 5000 }), 10_000)
    assert.equal(defaultSettleWaitMs({ stabilizeMs: 100, fingerMs: 300 }), 800)
  })
})

describe('make fingers', () => {
  test('columns stay aligned however wide a range of indices is, with short ids', () => {
    const big = new IdSpace(160)
    const wire = new Wire(big)
    const self = { id: big.nodeId('127.0.0.1', 5000), host: '127.0.0.1', port: 5000 }
    const other = { id: big.nodeId('127.0.0.1', 5001), host: '127.0.0.1', port: 5001 }
    const third = { id: big.nodeId('127.0.0.1', 5002), host: '127.0.0.1', port: 5002 }
    const fingers = [
      { index: 0, start: big.fingerStart(self.id, 0), node: other },
      { index: 156, start: big.fingerStart(self.id, 156), node: third },
      { index: 158, start: big.fingerStart(self.id, 158), node: other },
    ]
    const info: NodeInfo = { self, status: 'ready', predecessor: other, successor: other, successors: [other], fingers, keys: 0, values: 0, tombstones: 0, bits: 160, replicas: 3, routeMode: 'fingers', routingState: { entries: 0, bytes: 0 } }
    const lines = fingerTableLines(info, wire).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))
    const rows = lines.slice(2)
    assert.deepEqual(
      rows.map((r) => r.trim().split(/\s+/)[0]),
      ['0..155', '156..157', '158..159'],
    )
    const nodeColumn = lines[1]!.indexOf('node')
    for (const row of rows) {
      assert.match(row.slice(nodeColumn), /^[0-9a-f]{8}@500[12]$/, `the node column starts at ${nodeColumn}: ${JSON.stringify(row)}`)
      const start = row.trim().split(/\s+/)[1]!
      assert.equal(start.length, 8, 'starts are short ids')
    }
  })
})
