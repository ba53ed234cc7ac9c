// Unit tests for FingerTable (src/node/protocol/finger-table.ts): finger i is the first node at or after owner + 2^i.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { FingerTable } from '../../src/node/protocol/finger-table.js'
import type { Peer } from '../../src/node/protocol/types.js'
import { IdSpace, type Id } from '../../src/node/ring.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'

const space8 = new IdSpace(8)

/** A peer with the given id; FingerTable only looks at ids, so the address is just a label. */
function peer(id: Id): Peer {
  return { id, host: `node-${id}`, port: 10000 + Number(id % 50000n) }
}

/** Brute-force successor: walk clockwise from `start` until reaching one of the node ids. */
function successorOf(start: Id, nodeIds: Id[], size: bigint): Id {
  for (let x = start, steps = 0n; steps < size; x = (x + 1n) % size, steps++) if (nodeIds.includes(x)) return x
  throw new Error('empty ring')
}

/** A correct finger table for `owner` on a ring of the given node ids (the owner included). */
function tableFor(owner: Id, others: Id[], space: IdSpace): FingerTable {
  const table = new FingerTable(peer(owner), space)
  const ring = [owner, ...others]
  for (let i = 0; i < space.bits; i++) table.set(i, peer(successorOf(space.fingerStart(owner, i), ring, space.size)))
  return table
}

function ids(peers: Peer[]): Id[] {
  return peers.map((p) => p.id)
}

function fingerIds(table: FingerTable): Array<Id | undefined> {
  return Array.from({ length: table.size }, (_, i) => table.get(i)?.id)
}

/** The simulations' seeded generator: the same seed, the same tables. */
function prng(seed: number): () => number {
  const generator = new SeededRandom(seed)
  return () => generator.next()
}

describe('FingerTable: start, get and set', () => {
  test('has one finger per bit of the space, all empty at first', () => {
    for (const bits of [1, 3, 8, 160]) {
      const table = new FingerTable(peer(0n), new IdSpace(bits))
      assert.equal(table.size, bits)
      for (let i = 0; i < bits; i++) assert.equal(table.get(i), undefined)
    }
  })

  // owner 200 in 8 bits: start(i) = 200 + 2^i mod 256
  const starts: Array<{ owner: Id; i: number; expected: Id }> = [
    { owner: 200n, i: 0, expected: 201n },
    { owner: 200n, i: 1, expected: 202n },
    { owner: 200n, i: 5, expected: 232n },
    { owner: 200n, i: 6, expected: 8n }, // 264 - 256: wraps
    { owner: 200n, i: 7, expected: 72n }, // 328 - 256
    { owner: 0n, i: 0, expected: 1n },
    { owner: 0n, i: 7, expected: 128n },
    { owner: 255n, i: 0, expected: 0n }, // the largest id's first finger starts at 0
    { owner: 128n, i: 7, expected: 0n },
  ]
  for (const { owner, i, expected } of starts) {
    test(`owner ${owner}: start(${i}) = ${expected}`, () => {
      const table = new FingerTable(peer(owner), space8)
      assert.equal(table.start(i), expected)
      assert.equal(table.start(i), space8.fingerStart(owner, i))
    })
  }

  test('start(i) in a 160-bit space, first and last finger', () => {
    const max = (1n << 160n) - 1n
    const table = new FingerTable(peer(max), new IdSpace(160))
    assert.equal(table.start(0), 0n)
    assert.equal(table.start(159), (1n << 159n) - 1n)
  })

  test('set stores a node at an index and get reads it back; other indexes stay empty', () => {
    const table = new FingerTable(peer(10n), space8)
    const a = peer(20n)
    const b = peer(90n)
    table.set(0, a)
    table.set(7, b)
    assert.equal(table.get(0), a)
    assert.equal(table.get(7), b)
    assert.deepEqual(fingerIds(table), [20n, undefined, undefined, undefined, undefined, undefined, undefined, 90n])
  })

  test('set overwrites, and set(i, undefined) clears', () => {
    const table = new FingerTable(peer(10n), space8)
    table.set(3, peer(20n))
    table.set(3, peer(30n))
    assert.equal(table.get(3)?.id, 30n)
    table.set(3, undefined)
    assert.equal(table.get(3), undefined)
  })
})

describe('FingerTable: distinct', () => {
  test('an empty table has no rows', () => {
    assert.deepEqual(new FingerTable(peer(10n), space8).distinct(), [])
  })

  test('collapses runs of the same node, keeping the first index and its start', () => {
    const table = new FingerTable(peer(10n), space8)
    //            0    1    2    3    4    5    6    7
    const run = [20n, 20n, 20n, 20n, 40n, 90n, 90n, 150n]
    run.forEach((id, i) => table.set(i, peer(id)))
    assert.deepEqual(
      table.distinct().map((row) => ({ index: row.index, start: row.start, id: row.node.id })),
      [
        { index: 0, start: 11n, id: 20n },
        { index: 4, start: 26n, id: 40n },
        { index: 5, start: 42n, id: 90n },
        { index: 7, start: 138n, id: 150n },
      ],
    )
  })

  test('a table pointing at one node everywhere is one row', () => {
    const table = new FingerTable(peer(10n), space8)
    for (let i = 0; i < 8; i++) table.set(i, peer(99n))
    assert.deepEqual(
      table.distinct().map((row) => [row.index, row.node.id]),
      [[0, 99n]],
    )
  })

  test('empty fingers are skipped and do not break a run', () => {
    const table = new FingerTable(peer(10n), space8)
    // index 0 empty; 1..2 -> 20; 3 empty; 4 -> 20 (still the same run); 5 -> 90; 6..7 empty
    table.set(1, peer(20n))
    table.set(2, peer(20n))
    table.set(4, peer(20n))
    table.set(5, peer(90n))
    assert.deepEqual(
      table.distinct().map((row) => [row.index, row.start, row.node.id]),
      [
        [1, 12n, 20n],
        [5, 42n, 90n],
      ],
    )
  })

  test('rows carry the node object itself', () => {
    const table = new FingerTable(peer(10n), space8)
    const node = peer(77n)
    table.set(2, node)
    assert.equal(table.distinct()[0]?.node, node)
  })
})

describe('FingerTable: forget', () => {
  test('clears every finger pointing at the id and leaves the others', () => {
    const table = tableFor(10n, [20n, 40n, 90n, 150n], space8)
    assert.deepEqual(fingerIds(table), [20n, 20n, 20n, 20n, 40n, 90n, 90n, 150n])
    table.forget(20n)
    assert.deepEqual(fingerIds(table), [undefined, undefined, undefined, undefined, 40n, 90n, 90n, 150n])
    table.forget(90n)
    assert.deepEqual(fingerIds(table), [undefined, undefined, undefined, undefined, 40n, undefined, undefined, 150n])
    assert.deepEqual(
      table.distinct().map((row) => row.node.id),
      [40n, 150n],
    )
  })

  test('forgetting an unknown id changes nothing', () => {
    const table = tableFor(10n, [20n, 40n, 90n, 150n], space8)
    table.forget(21n)
    table.forget(10n) // the owner itself is in no finger here
    assert.deepEqual(fingerIds(table), [20n, 20n, 20n, 20n, 40n, 90n, 90n, 150n])
  })

  test('a forgotten node is no longer offered by preceding', () => {
    const table = tableFor(10n, [20n, 40n, 90n, 150n], space8)
    table.forget(90n)
    assert.deepEqual(ids(table.preceding(200n)), [150n, 40n, 20n])
  })
})

describe('FingerTable: preceding', () => {
  // Owner 10 on a ring {10, 20, 40, 90, 150, 230}. Starts 11, 12, 14, 18, 26, 42, 74, 138 give
  // fingers 20, 20, 20, 20, 40, 90, 90, 150 (230 is never a finger).
  const noWrap: Array<{ key: Id; expected: Id[]; note: string }> = [
    { key: 11n, expected: [], note: 'just after the owner: nothing in (10, 11]' },
    { key: 19n, expected: [], note: 'before the first finger' },
    { key: 20n, expected: [20n], note: 'a finger on the key itself is included' },
    { key: 21n, expected: [20n], note: 'just past a finger' },
    { key: 40n, expected: [40n, 20n], note: 'farthest first, key included' },
    { key: 89n, expected: [40n, 20n], note: 'just before a finger' },
    { key: 90n, expected: [90n, 40n, 20n], note: 'key on a finger' },
    { key: 149n, expected: [90n, 40n, 20n], note: 'just before the last finger' },
    { key: 200n, expected: [150n, 90n, 40n, 20n], note: 'past every finger' },
    { key: 255n, expected: [150n, 90n, 40n, 20n], note: 'the largest id' },
    { key: 0n, expected: [150n, 90n, 40n, 20n], note: 'wraps to the smallest id' },
    { key: 9n, expected: [150n, 90n, 40n, 20n], note: 'just before the owner: (10, 9] is all but 10' },
  ]
  for (const { key, expected, note } of noWrap) {
    test(`owner 10: preceding(${key}) = [${expected.join(', ')}] (${note})`, () => {
      const table = tableFor(10n, [20n, 40n, 90n, 150n, 230n], space8)
      assert.deepEqual(ids(table.preceding(key)), expected)
    })
  }

  // Owner 230 on a ring {230, 240, 5, 60, 100, 150}. Starts 231, 232, 234, 238, 246, 6, 38, 102 give
  // fingers 240, 240, 240, 240, 5, 60, 60, 150: the table itself wraps past 255 to 0.
  const wrap: Array<{ key: Id; expected: Id[]; note: string }> = [
    { key: 235n, expected: [], note: 'nothing in (230, 235]' },
    { key: 240n, expected: [240n], note: 'key on the first finger' },
    { key: 255n, expected: [240n], note: 'the largest id' },
    { key: 0n, expected: [240n], note: 'the smallest id' },
    { key: 4n, expected: [240n], note: 'just before a finger past 0' },
    { key: 5n, expected: [5n, 240n], note: 'key on a finger past 0' },
    { key: 100n, expected: [60n, 5n, 240n], note: '100 is a node but not a finger' },
    { key: 150n, expected: [150n, 60n, 5n, 240n], note: 'key on the last finger' },
    { key: 229n, expected: [150n, 60n, 5n, 240n], note: 'just before the owner' },
  ]
  for (const { key, expected, note } of wrap) {
    test(`owner 230 (wrapping table): preceding(${key}) = [${expected.join(', ')}] (${note})`, () => {
      const table = tableFor(230n, [240n, 5n, 60n, 100n, 150n], space8)
      assert.deepEqual(fingerIds(table), [240n, 240n, 240n, 240n, 5n, 60n, 60n, 150n])
      assert.deepEqual(ids(table.preceding(key)), expected)
    })
  }

  test('an empty table offers nothing', () => {
    const table = new FingerTable(peer(10n), space8)
    assert.deepEqual(table.preceding(100n), [])
  })

  test('a finger pointing back at the owner is never a candidate for another key', () => {
    // A two-node ring {10, 100}: fingers with starts past 100 wrap back to the owner.
    const table = tableFor(10n, [100n], space8)
    assert.deepEqual(fingerIds(table), [100n, 100n, 100n, 100n, 100n, 100n, 100n, 10n])
    for (const key of [11n, 50n, 100n, 101n, 200n, 255n, 0n, 9n]) {
      assert.ok(!ids(table.preceding(key)).includes(10n), `key ${key}`)
    }
    assert.deepEqual(ids(table.preceding(200n)), [100n])
  })

  test('a 160-bit table wraps too', () => {
    const space = new IdSpace(160)
    const max = (1n << 160n) - 1n
    const owner = max - 10n
    const table = new FingerTable(peer(owner), space)
    table.set(0, peer(max)) // start max - 9
    table.set(4, peer(5n)) // start max + 6 = 5 (mod 2^160)
    table.set(159, peer(1n << 158n)) // some node far away
    assert.deepEqual(ids(table.preceding(max)), [max])
    assert.deepEqual(ids(table.preceding(4n)), [max])
    assert.deepEqual(ids(table.preceding(5n)), [5n, max])
    assert.deepEqual(ids(table.preceding(1n << 159n)), [1n << 158n, 5n, max])
    assert.deepEqual(ids(table.preceding(owner - 1n)), [1n << 158n, 5n, max])
  })

  test('matches a brute-force reference on random rings: only (owner, key], each node once, farthest first', () => {
    const random = prng(20240601)
    for (let round = 0; round < 200; round++) {
      const size = Number(space8.size)
      const ringIds = new Set<Id>()
      const count = 1 + Math.floor(random() * 20)
      while (ringIds.size < count) ringIds.add(BigInt(Math.floor(random() * size)))
      const [owner, ...others] = [...ringIds]
      if (owner === undefined) continue
      const table = tableFor(owner, others, space8)
      // Occasionally forget a node, as after a failure.
      if (others.length > 0 && random() < 0.3) table.forget(others[Math.floor(random() * others.length)] ?? owner)
      const fingers = new Set(fingerIds(table).filter((id): id is Id => id !== undefined))
      // Reference: walk clockwise once round from the owner; at each key, the fingers passed so far
      // (the key itself included) are the candidates, and the one passed last is the farthest.
      const passed: Id[] = []
      for (let key = (owner + 1n) % space8.size; key !== owner; key = (key + 1n) % space8.size) {
        // (key === owner is skipped: routing never asks for the owner's own id, which it owns.)
        if (fingers.has(key)) passed.push(key)
        const expected = [...passed].reverse()
        const actual = ids(table.preceding(key))
        if (JSON.stringify(actual.map(String)) !== JSON.stringify(expected.map(String))) {
          assert.fail(`owner ${owner}, ring [${[...ringIds].join(', ')}], fingers [${fingerIds(table).join(', ')}], key ${key}: got [${actual.join(', ')}], expected [${expected.join(', ')}]`)
        }
      }
    }
  })
})

describe('FingerTable: replace keeps every finger at or after its start', () => {
  test('news naming a successor before some fingers\' starts fills the fingers it fits and empties the rest', () => {
    const table = new FingerTable(peer(0n), space8)
    const seventy = peer(70n)
    table.setRange(4, 7, seventy) // starts 16, 32 and 64 all reach 70
    assert.equal(table.replace(70n, peer(40n)), 3)
    assert.deepEqual([4, 5, 6].map((i) => table.get(i)?.id), [40n, 40n, undefined])
    assert.ok(table.fits(5, peer(32n)) && !table.fits(6, peer(63n)) && !table.fits(6, peer(0n)))
  })
})
