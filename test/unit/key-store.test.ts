// Unit tests for KeyStore (src/protocol/key-store.ts): a node's local values grouped by key.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { KeyStore, digestOf } from '../../src/protocol/key-store.js'
import type { Entry } from '../../src/protocol/types.js'
import { IdSpace, type Id } from '../../src/ring.js'

/** Entries in a canonical order, so tests compare content and not Map/Set iteration order. */
function sorted(entries: Entry[]): Entry[] {
  return [...entries].sort((x, y) => (x.key === y.key ? (x.value < y.value ? -1 : x.value > y.value ? 1 : 0) : x.key < y.key ? -1 : 1))
}

function storeWith(entries: Entry[]): KeyStore {
  const store = new KeyStore()
  for (const entry of entries) store.insert(entry)
  return store
}

/** The keys of some entries, each once, ascending. */
function keysOf(entries: Entry[]): Id[] {
  return [...new Set(entries.map((e) => e.key))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
}

describe('KeyStore: insert, get and counts', () => {
  test('a new store is empty', () => {
    const store = new KeyStore()
    assert.equal(store.keyCount, 0)
    assert.equal(store.valueCount, 0)
    assert.deepEqual(store.get(1n), [])
    assert.deepEqual(store.keys(), [])
    assert.deepEqual(store.entries(), [])
  })

  test('insert returns true, then false for the same key and value (idempotent)', () => {
    const store = new KeyStore()
    assert.equal(store.insert({ key: 7n, value: 'seven' }), true)
    assert.equal(store.insert({ key: 7n, value: 'seven' }), false)
    assert.equal(store.insert({ key: 7n, value: 'seven' }), false)
    assert.deepEqual(store.get(7n), ['seven'])
    assert.equal(store.keyCount, 1)
    assert.equal(store.valueCount, 1)
  })

  test('two values under one key (a collision) are both kept and retrievable', () => {
    const store = new KeyStore()
    assert.equal(store.insert({ key: 42n, value: 'apple' }), true)
    assert.equal(store.insert({ key: 42n, value: 'banana' }), true)
    assert.deepEqual([...store.get(42n)].sort(), ['apple', 'banana'])
    assert.equal(store.keyCount, 1)
    assert.equal(store.valueCount, 2)
    assert.deepEqual(sorted(store.entries()), [
      { key: 42n, value: 'apple' },
      { key: 42n, value: 'banana' },
    ])
  })

  test('the same value under two keys is two entries', () => {
    const store = storeWith([
      { key: 1n, value: 'v' },
      { key: 2n, value: 'v' },
    ])
    assert.deepEqual(store.get(1n), ['v'])
    assert.deepEqual(store.get(2n), ['v'])
    assert.equal(store.keyCount, 2)
    assert.equal(store.valueCount, 2)
  })

  test('the empty string is a value like any other', () => {
    const store = new KeyStore()
    assert.equal(store.insert({ key: 0n, value: '' }), true)
    assert.equal(store.insert({ key: 0n, value: '' }), false)
    assert.deepEqual(store.get(0n), [''])
  })

  test('get returns a copy: changing it does not change the store', () => {
    const store = storeWith([{ key: 3n, value: 'a' }])
    const values = store.get(3n)
    values.push('injected')
    assert.deepEqual(store.get(3n), ['a'])
  })

  test('counts follow a sequence of inserts', () => {
    const steps: Array<{ entry: Entry; inserted: boolean; keys: number; values: number }> = [
      { entry: { key: 1n, value: 'a' }, inserted: true, keys: 1, values: 1 },
      { entry: { key: 1n, value: 'b' }, inserted: true, keys: 1, values: 2 },
      { entry: { key: 2n, value: 'a' }, inserted: true, keys: 2, values: 3 },
      { entry: { key: 1n, value: 'a' }, inserted: false, keys: 2, values: 3 },
      { entry: { key: 3n, value: 'c' }, inserted: true, keys: 3, values: 4 },
    ]
    const store = new KeyStore()
    for (const { entry, inserted, keys, values } of steps) {
      assert.equal(store.insert(entry), inserted, `insert ${entry.key}:${entry.value}`)
      assert.equal(store.keyCount, keys)
      assert.equal(store.valueCount, values)
    }
    assert.deepEqual(keysOf(store.entries()), [1n, 2n, 3n])
  })
})

describe('KeyStore: delete', () => {
  const start = (): KeyStore =>
    storeWith([
      { key: 5n, value: 'x' },
      { key: 5n, value: 'y' },
      { key: 5n, value: 'z' },
      { key: 9n, value: 'only' },
    ])

  test('deleting one value returns 1 and keeps the other values of the key', () => {
    const store = start()
    assert.equal(store.delete(5n, 'y'), 1)
    assert.deepEqual([...store.get(5n)].sort(), ['x', 'z'])
    assert.equal(store.keyCount, 2)
    assert.equal(store.valueCount, 3)
  })

  test('deleting every value of a key (value omitted) returns how many went', () => {
    const store = start()
    assert.equal(store.delete(5n), 3)
    assert.deepEqual(store.get(5n), [])
    assert.equal(store.keyCount, 1)
    assert.equal(store.valueCount, 1)
    assert.deepEqual(store.keys(), [9n])
  })

  test('deleting the last value of a key removes the key', () => {
    const store = start()
    assert.equal(store.delete(9n, 'only'), 1)
    assert.deepEqual(store.get(9n), [])
    assert.equal(store.keyCount, 1)
    assert.ok(!store.keys().includes(9n))
  })

  test('deleting the values one by one removes the key after the last', () => {
    const store = start()
    assert.equal(store.delete(5n, 'x'), 1)
    assert.equal(store.delete(5n, 'y'), 1)
    assert.equal(store.keyCount, 2)
    assert.equal(store.delete(5n, 'z'), 1)
    assert.equal(store.keyCount, 1)
    assert.equal(store.valueCount, 1)
  })

  const misses: Array<{ key: Id; value: string | undefined; why: string }> = [
    { key: 5n, value: 'absent', why: 'value not under that key' },
    { key: 9n, value: 'x', why: 'value stored under another key only' },
    { key: 77n, value: 'x', why: 'key not stored' },
    { key: 77n, value: undefined, why: 'key not stored, all values' },
  ]
  for (const { key, value, why } of misses) {
    test(`deleting nothing returns 0 and changes nothing (${why})`, () => {
      const store = start()
      assert.equal(store.delete(key, value), 0)
      assert.equal(store.keyCount, 2)
      assert.equal(store.valueCount, 4)
    })
  }

  test('a deleted value can be inserted again', () => {
    const store = start()
    store.delete(9n, 'only')
    assert.equal(store.insert({ key: 9n, value: 'only' }), true)
    store.delete(5n)
    assert.equal(store.insert({ key: 5n, value: 'x' }), true)
    assert.deepEqual(store.get(5n), ['x'])
  })

  test('deleting twice removes once', () => {
    const store = start()
    assert.equal(store.delete(5n, 'x'), 1)
    assert.equal(store.delete(5n, 'x'), 0)
    assert.equal(store.delete(5n), 2)
    assert.equal(store.delete(5n), 0)
  })
})

// Keys spread over an 8-bit ring, including both ends; key 20 holds two values.
const content: Entry[] = [
  { key: 0n, value: 'k0' },
  { key: 10n, value: 'k10' },
  { key: 20n, value: 'k20a' },
  { key: 20n, value: 'k20b' },
  { key: 128n, value: 'k128' },
  { key: 250n, value: 'k250' },
  { key: 255n, value: 'k255' },
]

describe('KeyStore: entriesIn / entriesOutside', () => {
  const allKeys = [0n, 10n, 20n, 128n, 250n, 255n]

  //  [from, to)                         keys expected inside
  const cases: Array<{ from: Id; to: Id; inside: Id[]; note: string }> = [
    { from: 10n, to: 128n, inside: [10n, 20n], note: 'from < to: from included, to excluded' },
    { from: 11n, to: 129n, inside: [20n, 128n], note: 'from < to, shifted by one' },
    { from: 11n, to: 20n, inside: [], note: 'nothing in range' },
    { from: 20n, to: 21n, inside: [20n], note: 'a single id, both values' },
    { from: 0n, to: 255n, inside: [0n, 10n, 20n, 128n, 250n], note: 'smallest to largest: largest excluded' },
    { from: 250n, to: 20n, inside: [0n, 10n, 250n, 255n], note: 'wrap-around past 255 to 0' },
    { from: 255n, to: 0n, inside: [255n], note: 'wrap-around, only the largest id' },
    { from: 251n, to: 10n, inside: [0n, 255n], note: 'wrap-around, ends between keys' },
    { from: 20n, to: 20n, inside: allKeys, note: 'from == to: the whole ring' },
    { from: 0n, to: 0n, inside: allKeys, note: 'from == to == 0: the whole ring' },
    { from: 77n, to: 77n, inside: allKeys, note: 'from == to on an empty id: the whole ring' },
  ]

  for (const { from, to, inside, note } of cases) {
    test(`[${from}, ${to}) holds keys ${inside.join(', ') || 'none'} (${note})`, () => {
      const store = storeWith(content)
      const expectedIn = sorted(content.filter((e) => inside.includes(e.key)))
      const expectedOut = sorted(content.filter((e) => !inside.includes(e.key)))
      assert.deepEqual(sorted(store.entriesIn(from, to)), expectedIn)
      assert.deepEqual(sorted(store.entriesOutside(from, to)), expectedOut)
    })
  }

  test('in and outside split the store exactly, for every [from, to) of a 4-bit ring', () => {
    const space = new IdSpace(4)
    const store = storeWith([
      { key: 0n, value: 'a' },
      { key: 3n, value: 'b' },
      { key: 3n, value: 'c' },
      { key: 8n, value: 'd' },
      { key: 15n, value: 'e' },
    ])
    const everything = sorted(store.entries())
    for (let from = 0n; from < space.size; from++) {
      for (let to = 0n; to < space.size; to++) {
        // Reference: walk clockwise from `from`, stopping before `to` (once round when from == to).
        const walked = new Set<Id>([from])
        for (let x = (from + 1n) % space.size; x !== to; x = (x + 1n) % space.size) walked.add(x)
        const inside = store.entriesIn(from, to)
        const outside = store.entriesOutside(from, to)
        assert.deepEqual(sorted(inside), everything.filter((e) => walked.has(e.key)), `in [${from}, ${to})`)
        assert.deepEqual(sorted(outside), everything.filter((e) => !walked.has(e.key)), `outside [${from}, ${to})`)
        assert.deepEqual(sorted([...inside, ...outside]), everything)
      }
    }
  })

  test('an empty store has nothing inside or outside any range', () => {
    const store = new KeyStore()
    assert.deepEqual(store.entriesIn(0n, 0n), [])
    assert.deepEqual(store.entriesOutside(0n, 0n), [])
    assert.deepEqual(store.entriesIn(5n, 2n), [])
  })
})

describe('KeyStore: replaceRange', () => {

  test('makes [from, to) hold exactly the new entries and leaves the rest alone', () => {
    const store = storeWith(content)
    const fresh: Entry[] = [
      { key: 20n, value: 'k20a' }, // kept
      { key: 30n, value: 'new30' }, // added; k10 and k20b are dropped
    ]
    store.replaceRange(10n, 128n, fresh)
    assert.deepEqual(sorted(store.entriesIn(10n, 128n)), sorted(fresh))
    assert.deepEqual(
      sorted(store.entriesOutside(10n, 128n)),
      sorted(content.filter((e) => e.key < 10n || e.key >= 128n)),
    )
    assert.equal(store.valueCount, 6)
  })

  test('with wrap-around, keys between the ends are untouched', () => {
    const store = storeWith(content)
    store.replaceRange(250n, 10n, [{ key: 252n, value: 'new252' }])
    // [250, 10) covered 250, 255 and 0: they go, 252 arrives. 10 (the excluded end) stays.
    assert.deepEqual(sorted(store.entries()), [
      { key: 10n, value: 'k10' },
      { key: 20n, value: 'k20a' },
      { key: 20n, value: 'k20b' },
      { key: 128n, value: 'k128' },
      { key: 252n, value: 'new252' },
    ])
  })

  test('with no entries it empties the range', () => {
    const store = storeWith(content)
    store.replaceRange(0n, 128n, [])
    assert.deepEqual(sorted(store.entries()), [
      { key: 128n, value: 'k128' },
      { key: 250n, value: 'k250' },
      { key: 255n, value: 'k255' },
    ])
  })

  test('with from == to it replaces the whole store', () => {
    const store = storeWith(content)
    const fresh: Entry[] = [
      { key: 1n, value: 'one' },
      { key: 200n, value: 'two hundred' },
    ]
    store.replaceRange(128n, 128n, fresh)
    assert.deepEqual(sorted(store.entries()), sorted(fresh))
    assert.equal(store.keyCount, 2)
  })

  test('replacing a range that held nothing just adds the entries', () => {
    const store = storeWith(content)
    store.replaceRange(40n, 100n, [{ key: 50n, value: 'fifty' }])
    assert.deepEqual(sorted(store.entries()), sorted([...content, { key: 50n, value: 'fifty' }]))
  })

  test('a collision key is replaced as a whole: old values of it do not survive', () => {
    const store = storeWith(content)
    store.replaceRange(20n, 21n, [{ key: 20n, value: 'k20c' }])
    assert.deepEqual(store.get(20n), ['k20c'])
  })
})

describe('KeyStore: digest', () => {
  const a: Entry = { key: 1n, value: 'alpha' }
  const b: Entry = { key: 1n, value: 'beta' }
  const c: Entry = { key: 200n, value: 'gamma' }
  const d: Entry = { key: 100n, value: 'delta' }

  test('equal content gives an equal digest, whatever the insertion order', () => {
    const orders: Entry[][] = [
      [a, b, c, d],
      [d, c, b, a],
      [c, a, d, b],
      [b, d, a, c, a, c], // duplicates are not stored twice
    ]
    const digests = orders.map((order) => storeWith(order).digest(0n, 0n))
    for (const digest of digests) assert.equal(digest, digests[0])
    assert.match(digests[0] ?? '', /^[0-9a-f]{40}$/)
  })

  test('equal content reached by deletes gives an equal digest', () => {
    const grown = storeWith([a, b, c, d, { key: 5n, value: 'temp' }])
    grown.delete(5n)
    assert.equal(grown.digest(0n, 0n), storeWith([a, b, c, d]).digest(0n, 0n))
  })

  const differs: Array<{ other: Entry[]; why: string }> = [
    { other: [a, b, c], why: 'an entry missing' },
    { other: [a, b, c, d, { key: 100n, value: 'delta2' }], why: 'an extra value under an existing key' },
    { other: [a, b, c, { key: 100n, value: 'Delta' }], why: 'a value changed' },
    { other: [a, b, c, { key: 101n, value: 'delta' }], why: 'a key changed' },
    { other: [a, c, d], why: 'one of two colliding values missing' },
    { other: [], why: 'empty' },
  ]
  for (const { other, why } of differs) {
    test(`different content gives a different digest (${why})`, () => {
      assert.notEqual(storeWith(other).digest(0n, 0n), storeWith([a, b, c, d]).digest(0n, 0n))
    })
  }

  test('values that contain the separators cannot imitate other content', () => {
    const two = storeWith([
      { key: 1n, value: 'x' },
      { key: 2n, value: 'y' },
    ])
    const one = storeWith([{ key: 1n, value: 'x"\n2:"y' }])
    assert.notEqual(one.digest(0n, 0n), two.digest(0n, 0n))
  })

  test('covers only [from, to): a change outside the range leaves it alone, a change inside does not', () => {
    const store = storeWith([a, b, c, d])
    const before = store.digest(0n, 150n)
    store.insert({ key: 150n, value: 'at the excluded end' })
    store.insert({ key: 220n, value: 'outside' })
    assert.equal(store.digest(0n, 150n), before)
    store.insert({ key: 149n, value: 'inside' })
    assert.notEqual(store.digest(0n, 150n), before)
  })

  test('a wrap-around range digests the same as a store holding just that range', () => {
    const store = storeWith([a, b, c, d])
    assert.equal(store.digest(150n, 50n), storeWith([a, b, c]).digest(0n, 0n))
    assert.equal(store.digest(150n, 50n), digestOf([a, b, c]))
  })

  test('digest(from, to) is digestOf(entriesIn(from, to)), and digestOf ignores order', () => {
    const store = storeWith([a, b, c, d])
    assert.equal(store.digest(0n, 0n), digestOf([a, b, c, d]))
    assert.equal(digestOf([a, b, c, d]), digestOf([d, b, a, c]))
    assert.equal(new KeyStore().digest(0n, 0n), digestOf([]))
  })
})
