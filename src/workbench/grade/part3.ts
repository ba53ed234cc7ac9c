// Part 3: add many, STORE and LOOKUP. A ring grown by joins; values stored through random nodes and
// looked up through every node (so a lookup answered from the entry node's own store is caught), values
// with spaces, quotes and unicode coming back byte for byte, and the errors: an absent value is 404
// NOT_FOUND, a STORE without a value 400.
import { inParallel } from './graded-ring.js'
import type { GradeTest, Level } from './grade-test.js'
import { expectAbsent, expectFound, sentences, store } from './values.js'
import { errorReply } from './verdict.js'

const TIMEOUT_MS = 60_000

/** Values that trip up encoding: URL query escaping, JSON strings, UTF-8. */
export const ODD_VALUES: readonly string[] = [
  'hello world',
  'two  spaces and a\ttab',
  'she said "hi"',
  "it's an apostrophe",
  'back\\slash and /slash',
  'naïve café, crème brûlée',
  'Ελληνικά και 日本語のテキスト',
  'emoji 🎉🚀 and a ♥',
  'a&b=c?d#e%20f+g',
  '  leading and trailing spaces  ',
  'line one\nline two',
  '{"looks": ["like", "json"]}',
]

const addMany: GradeTest = {
  id: '3.addmany',
  name: 'add many: 8 nodes join one after another into one ring in id order',
  points: 5,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    await t.ring().grow(8)
  },
}

const storeLookup: GradeTest = {
  id: '3.store-lookup',
  name: 'STORE through any node, LOOKUP through every node',
  points: 10,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(6)
    const truth = ring.truth()
    const values = sentences(t.random, 'store-lookup', 24)
    t.step(`storing ${values.length} values through random nodes`)
    await inParallel(values, 4, (value) => store(t.probe, ring.randomMember(), value, truth))
    t.step(`looking each up through each of the ${ring.members.length} nodes`)
    const asks = values.flatMap((value) => ring.members.map((via) => ({ value, via })))
    await inParallel(asks, 4, ({ value, via }) => expectFound(t.probe, via, value, truth))
  },
}

const oddValues: GradeTest = {
  id: '3.odd-values',
  name: 'values with spaces, quotes and unicode come back exactly',
  points: 6,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(4)
    const truth = ring.truth()
    for (const value of ODD_VALUES) {
      t.step(`storing ${JSON.stringify(value)}`)
      await store(t.probe, ring.randomMember(), value, truth)
    }
    const asks = ODD_VALUES.flatMap((value) => ring.members.map((via) => ({ value, via })))
    t.step('looking each up through every node')
    await inParallel(asks, 4, ({ value, via }) => expectFound(t.probe, via, value, truth))
  },
}

const notFound: GradeTest = {
  id: '3.not-found',
  name: 'a value never stored: 404 NOT_FOUND; a STORE without a value: 400',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(3)
    for (const [i, via] of ring.members.entries()) {
      t.step(`LOOKUP of an absent value through @${via.port}`)
      await expectAbsent(t.probe, via, `never stored ${i} ${t.random.int(1e9)}`, 'never stored')
    }
    const via = ring.randomMember()
    for (const [what, body] of [
      ['no value', {}],
      ['a value that is not a string', { value: 42 }],
    ] as const) {
      t.step(`STORE with ${what}`)
      errorReply(await t.probe.send(via, 'POST', '/store', body), `POST /store with ${what}`, 400)
    }
    errorReply(await t.probe.get(via, '/lookup'), 'GET /lookup without ?value=', 400)
  },
}

export const PART_3: Level = { key: '3', title: 'Part 3', tests: [addMany, storeLookup, oddValues, notFound] }
