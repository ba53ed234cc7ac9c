// The faults as make web shows them (src/workbench/web/fault-view.ts, fault-api.ts): a partition's sides told
// apart by what each node blocks, the summary's lines, the actions' one-line answers, and the book of
// plans: a small ring's read on every poll, a large one's at most 64 a poll, the longest unread
// first, and a poll under way never putting back a plan an action has just changed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultSettings, NetworkStateFile } from '../../src/tools/network-state.js'
import type { OpenRing } from '../../src/tools/open-ring.js'
import { RingClient } from '../../src/tools/ring-client.js'
import type { NodeSnapshot } from '../../src/tools/ring-snapshot.js'
import { DhtError } from '../../src/node/errors.js'
import { planOf, type FaultPlan } from '../../src/node/faults/plan.js'
import type { Changes, FaultNode } from '../../src/workbench/faults/ring-faults.js'
import type { Address } from '../../src/node/transport/http-client.js'
import { faultActions, MAX_PLAN_READS_PER_POLL, readPlans } from '../../src/workbench/web/fault-api.js'
import { changeSummary, changesJson, compactPlan, faultLines, partitionSides, PlanBook, sideLists, type PlannedNode } from '../../src/workbench/web/fault-view.js'

const node = (port: number): FaultNode => ({ id: port.toString(16).padStart(40, '0'), host: '127.0.0.1', port, address: `127.0.0.1:${port}` })
const planned = (port: number, plan: Partial<FaultPlan> = {}): PlannedNode => ({ ...node(port), plan: planOf(plan) })
const [A, B, C, D, E] = [5001, 5002, 5003, 5004, 5005].map(node) as [FaultNode, FaultNode, FaultNode, FaultNode, FaultNode]

test('the sides of a partition: nodes blocking the same nodes share a side, lettered in ring order; a node blocking no one is on none', () => {
  // make partition PORTS=5002,5004 on a ring of five, then 5005 joined: it blocks no one.
  const side = [B.address, D.address]
  const rest = [A.address, C.address]
  const nodes = [planned(5001, { blocked: side }), planned(5002, { blocked: rest }), planned(5003, { blocked: [...side].reverse() }), planned(5004, { blocked: rest }), planned(5005)]
  const sides = partitionSides(nodes)
  assert.deepEqual(Object.fromEntries(sides), { [A.address]: 'a', [B.address]: 'b', [C.address]: 'a', [D.address]: 'b' }, 'the order of a blocked list does not matter')
  assert.deepEqual(
    sideLists(nodes, sides).map((s) => [s.side, s.nodes.map((n) => n.port)]),
    [
      ['a', [5001, 5003]],
      ['b', [5002, 5004]],
    ],
  )
  assert.deepEqual(partitionSides([planned(5001), planned(5002, { slowMs: 100 })]).size, 0, 'no partition, no sides')
})

test('the summary’s lines: lost calls, slow nodes and delays, each grouped by its value; none on a healthy ring', () => {
  assert.deepEqual(faultLines([planned(5001), planned(5002)]), [])
  const nodes = [
    planned(5001, { dropRate: 0.1, delayMs: 25, jitterMs: 5 }),
    planned(5002, { dropRate: 0.1, slowMs: 200, delayMs: 25, jitterMs: 5 }),
    planned(5003, { dropRate: 0.005, slowMs: 200 }),
    planned(5004, { slowMs: 50, delayMs: 10 }),
  ]
  assert.deepEqual(faultLines(nodes), [
    '10 % of calls lost on 2 of 4 nodes',
    '0.5 % of calls lost on 1 of 4 nodes',
    '@5002 @5003 slow 200 ms',
    '@5004 slow 50 ms',
    'calls delayed 25 ± 5 ms on 2 of 4 nodes',
    'calls delayed 10 ms on 1 of 4 nodes',
  ])
  assert.deepEqual(compactPlan(planOf({ slowMs: 7, blocked: [A.address, B.address] })), { delayMs: 0, jitterMs: 0, dropRate: 0, slowMs: 7, cutOff: 2 }, 'a partition as a count, not its addresses')
})

test('the actions’ answers: what each node had and has (compact), what failed, and one line saying so', () => {
  const healthy = planOf()
  const changes = (changed: Array<[FaultNode, Partial<FaultPlan>, Partial<FaultPlan>]>, failed: Array<[FaultNode, string]> = []): Changes => ({
    changed: changed.map(([n, before, after]) => ({ node: n, before: planOf(before), after: planOf(after) })),
    failed: failed.map(([n, error]) => ({ node: n, error })),
  })
  const slowed = changes([[C, {}, { slowMs: 300 }]])
  assert.equal(changeSummary.slow(slowed, 300), '@5003 is slow: it holds every request it handles 300 ms')
  assert.equal(changeSummary.slow(changes([[C, { slowMs: 300 }, {}]]), 0), '@5003 is not slow any more')
  assert.deepEqual(changesJson(slowed), {
    changed: [{ node: { id: C.id, host: C.host, port: 5003 }, before: compactPlan(healthy), after: { ...compactPlan(healthy), slowMs: 300 } }],
    failed: [],
  })
  const dropped = changes([[A, {}, { dropRate: 0.1 }], [B, {}, { dropRate: 0.1 }]], [[C, 'no answer in 2000 ms']])
  assert.equal(changeSummary.drop(dropped, 0.1), '2 nodes now lose 10 % of their calls to other nodes; failed on 1 node: 127.0.0.1:5003: no answer in 2000 ms')
  assert.equal(changeSummary.drop(changes([[A, { dropRate: 0.1 }, {}]]), 0), '1 node loses no calls any more')
  assert.equal(changeSummary.partition(changes([]), [B], [A, C]), 'partitioned: @5002 (1 node) and @5001 @5003 (2 nodes) cannot reach each other')
  const healed = changes([
    [A, { blocked: [B.address], dropRate: 0.1, delayMs: 20 }, {}],
    [B, { blocked: [A.address], slowMs: 200 }, {}],
    [D, {}, {}],
  ])
  assert.equal(changeSummary.heal(healed), 'healed 3 nodes: partition lifted on 2, drops stopped on 1, slowness ended on 1, delay removed on 1')
  assert.equal(changeSummary.heal(changes([[A, {}, {}]])), 'nothing to heal: no faults on any of the 1 node')
  assert.equal(changeSummary.slow(changes([], [[E, 'connection refused']]), 200), 'failed on 1 node: 127.0.0.1:5005: connection refused', 'nothing done: only the failure')
})

test('the book of plans: those never read first, then the longest unread; a read that began before an action’s answer does not undo it', () => {
  const book = new PlanBook()
  const addresses = [A, B, C].map((n) => n.address)
  assert.deepEqual(book.due(addresses, 2), [A.address, B.address])
  for (const address of [A.address, B.address]) book.record(address, { plan: planOf() })
  assert.deepEqual(book.due(addresses, 2), [C.address, A.address], 'the unread one first, then the oldest')

  // A poll begins reading B; meanwhile an action makes B slow and records its answer; the poll's old answer arrives last.
  const began = book.begin()
  book.record(B.address, { plan: planOf({ slowMs: 200 }) })
  book.record(B.address, { plan: planOf() }, began)
  assert.deepEqual(book.get(B.address), { plan: planOf({ slowMs: 200 }) }, 'the action’s answer stands')
  book.record(B.address, { error: 'no answer' }, book.begin())
  assert.deepEqual(book.get(B.address), { error: 'no answer' }, 'a read begun after it replaces it')

  book.keepOnly([A.address])
  assert.equal(book.get(B.address), undefined, 'a node gone from the ring is forgotten')
  assert.ok(book.get(A.address))
})

/** A client whose nodes answer /faults from a table (an Error: that node fails), counting the requests. */
function faultClient(answers: (port: number, method: string) => unknown): { client: RingClient; asked: number[] } {
  const client = new RingClient(160)
  const asked: number[] = []
  client.http.request = async (to: Address, method: string, path: string) => {
    assert.equal(path, '/faults')
    asked.push(to.port)
    const answer = answers(to.port, method)
    if (answer instanceof Error) throw answer
    return answer
  }
  return { client, asked }
}

const snapshotNode = (port: number, state: 'answering' | 'recorded, silent' | 'gone'): NodeSnapshot => ({
  host: '127.0.0.1',
  port,
  id: port.toString(16).padStart(40, '0'),
  ...(state === 'gone' ? {} : { pid: port }),
  ...(state === 'answering' ? { info: {} as NodeSnapshot['info'] } : { error: 'no answer in 2000 ms' }),
})

test('plans are read with each snapshot: every node of a small ring, the silent recorded ones too, never a node that has gone; a failure is kept as such', async () => {
  const { client, asked } = faultClient((port) => (port === 5003 ? new DhtError('PEER_TIMEOUT', 'no answer in 2000 ms') : { slowMs: port === 5002 ? 5000 : 0 }))
  const book = new PlanBook()
  // 5002 is slower than the snapshot's timeout: GET /faults is never held, so its plan is still read.
  await readPlans(client, [snapshotNode(5001, 'answering'), snapshotNode(5002, 'recorded, silent'), snapshotNode(5003, 'answering'), snapshotNode(5004, 'gone')], book)
  assert.deepEqual(asked.sort(), [5001, 5002, 5003])
  assert.deepEqual(book.get('127.0.0.1:5002'), { plan: planOf({ slowMs: 5000 }) })
  assert.match(JSON.stringify(book.get('127.0.0.1:5003')), /no answer in 2000 ms/)
})

test(`a large ring’s plans are read ${MAX_PLAN_READS_PER_POLL} a poll, in turn, so each is at most ⌈N/${MAX_PLAN_READS_PER_POLL}⌉ polls old`, async () => {
  const { client, asked } = faultClient(() => ({}))
  const book = new PlanBook()
  const nodes = Array.from({ length: 150 }, (_, i) => snapshotNode(10_000 + i, 'answering'))
  const polls: number[][] = []
  for (let poll = 0; poll < 3; poll++) {
    asked.length = 0
    await readPlans(client, nodes, book)
    polls.push([...asked])
  }
  assert.deepEqual(polls.map((p) => p.length), [64, 64, 64])
  const [first, second, third] = polls as [number[], number[], number[]]
  assert.equal(new Set([...first, ...second]).size, 128, 'no node read twice while some are unread')
  const unread = nodes.map((n) => n.port).filter((port) => !first.includes(port) && !second.includes(port))
  assert.ok(unread.every((port) => third.includes(port)), 'the last 22 in the third poll')
  assert.ok(third.filter((port) => !unread.includes(port)).every((port) => first.includes(port)), 'then the longest unread: the first poll’s')
  assert.ok(nodes.every((n) => book.get(`127.0.0.1:${n.port}`) !== undefined))
})

test('a slow action answers each node’s plan before and after and records it at once; when its node fails, it is a 502 saying why', async () => {
  const recorded = { id: C.id, host: C.host, port: C.port, pid: 1, startedAt: '' }
  const open = (client: RingClient) => (): OpenRing => ({ file: new NetworkStateFile('/nonexistent'), state: { settings: defaultSettings(), processes: [recorded] }, client, entry: () => recorded })
  const book = new PlanBook()
  const working = faultClient((_port, method) => (method === 'GET' ? {} : { slowMs: 300 }))
  const reply = (await faultActions({ open: open(working.client), book }).slow({ ms: 300 })) as { summary: string; changed: Array<{ after: { slowMs: number } }> }
  assert.equal(reply.summary, '@5003 is slow: it holds every request it handles 300 ms')
  assert.equal(reply.changed[0]!.after.slowMs, 300)
  assert.deepEqual(book.get(C.address), { plan: planOf({ slowMs: 300 }) }, 'the next /api/ring shows it without waiting for a read')

  const failing = faultClient(() => new DhtError('PEER_TIMEOUT', 'no answer in 2000 ms'))
  await assert.rejects(faultActions({ open: open(failing.client), book }).slow({}), (error: unknown) => {
    assert.ok(error instanceof DhtError && error.code === 'PEER_ERROR' && error.status === 502)
    assert.match(error.message, /^failed on 1 node: 127\.0\.0\.1:5003: no answer in 2000 ms$/)
    return true
  })
  await assert.rejects(faultActions({ open: open(working.client), book }).slow({ ms: 60_001 }), /ms must be an integer from 0 to 60000/)
})
