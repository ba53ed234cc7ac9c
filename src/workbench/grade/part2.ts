// Part 2: findNode and JOIN. findNode is graded on a ring the grader wires itself with Part 1's PUTs,
// so a broken JOIN does not hide a right findNode: every key tried, through every node, must come back
// as its true owner. JOIN is graded by the pointers of every node after each join, with joiners placed
// where the rewiring is easiest to get wrong (a new smallest id, a new largest, into a gap).
import { inParallel } from './graded-ring.js'
import type { GradeTest, Level } from './grade-test.js'
import type { TrueRing } from './ring-view.js'
import type { Exchange } from './probe.js'
import { fail, isGradeFailure, jsonObject, nodeField, shortNode, SPACE, type NodeRef } from './verdict.js'

const RING_SIZE = 6
const RANDOM_KEYS = 8

const hex = (id: bigint) => SPACE.toHex(((id % SPACE.size) + SPACE.size) % SPACE.size)

/** The keys where an interval's ends are: each node's id, one past it, one before its successor's; and the space's ends. */
export function keysToTry(truth: TrueRing, randomKey: () => string): string[] {
  const keys = new Set<string>([hex(0n), hex(SPACE.size - 1n)])
  for (const node of truth.sorted) {
    const id = BigInt(`0x${node.id}`)
    const next = BigInt(`0x${truth.successorOf(node).id}`)
    for (const key of [id, id + 1n, next - 1n]) keys.add(hex(key))
  }
  for (let i = 0; i < RANDOM_KEYS; i++) keys.add(randomKey())
  return [...keys]
}

/** A random key of the space from the test's generator. */
export function randomKeyFrom(next: (n: number) => number): () => string {
  return () => Array.from({ length: SPACE.hexLength }, () => next(16).toString(16)).join('')
}

/** One findNode answer judged: the node named must be the key's true owner. */
export function checkOwner(reply: Exchange, key: string, truth: TrueRing, what: string): NodeRef {
  const body = jsonObject(reply, `${what} for key ${key}`, 200)
  const node = nodeField(body.node, 'node', reply)
  const owner = truth.owner(key)
  if (node.id !== owner.id) fail(`${what} for key ${key.slice(0, 8)}…: its owner ${shortNode(owner)} (the last node at or before the key)`, `node ${shortNode(node)}`, reply)
  return node
}

const findNode: GradeTest = {
  id: '2.findnode',
  name: 'findNode (linear) answers the true owner of every key, through every node',
  points: 12,
  timeoutMs: 60_000,
  async run(t) {
    const ring = t.ring()
    for (let i = 0; i < RING_SIZE; i++) ring.members.push(await ring.alone())
    t.step('wiring the ring with PUT /successor and PUT /predecessor')
    await ring.wire()
    await ring.pointersRight("after the grader's own PUTs (Part 1)")
    const truth = ring.truth()
    const keys = keysToTry(truth, randomKeyFrom((n) => t.random.int(n)))
    const asks = keys.flatMap((key) => ring.members.map((via) => ({ key, via })))
    let wrong = 0
    let first: unknown
    let done = 0
    await inParallel(asks, 4, async ({ key, via }) => {
      const reply = await t.probe.get(via, `/findnode?id=${key}&mode=linear`)
      if (++done % 20 === 0) t.step(`findNode ${done}/${asks.length}`)
      try {
        checkOwner(reply, key, truth, `GET /findnode through ${shortNode(via)}`)
      } catch (error) {
        wrong++
        first ??= error
      }
    })
    if (first === undefined) return
    if (!isGradeFailure(first)) throw first
    fail(first.expected, wrong > 1 ? `${first.seen} (${wrong} of ${asks.length} answers wrong; the first is shown)` : first.seen, first.exchange)
  },
}

const join: GradeTest = {
  id: '2.join',
  name: "JOIN rewires: every node's predecessor and successor right after each join",
  points: 13,
  timeoutMs: 60_000,
  async run(t) {
    const ring = t.ring()
    await ring.join()
    // Where each joiner lands: anywhere, then a new smallest id, a new largest, and twice into a gap.
    const places: Array<[string, (ids: string[]) => (id: string) => boolean]> = [
      ['anywhere', () => () => true],
      ['a new smallest id (the wrap-around)', (ids) => (id) => ids.every((other) => id < other)],
      ['a new largest id (the wrap-around)', (ids) => (id) => ids.every((other) => id > other)],
      ['between two nodes', (ids) => (id) => ids.some((other) => id < other) && ids.some((other) => id > other)],
      ['between two nodes', (ids) => (id) => ids.some((other) => id < other) && ids.some((other) => id > other)],
    ]
    for (const [where, wanted] of places) {
      const port = await ring.portWhere(wanted(ring.members.map((m) => m.id)))
      const via = ring.randomMember()
      const node = await ring.join({ via, port })
      await ring.settled(`after ${shortNode(node)} joined through ${shortNode(via)} (${where})`)
    }
  },
}

export const PART_2: Level = { key: '2', title: 'Part 2', tests: [findNode, join] }
