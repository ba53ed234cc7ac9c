// Unit tests for KeyStore (src/node/protocol/key-store.ts): a node's records, each value with the version of
// its last write and whether that write deleted it; copies merge by "the newer version wins".
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { digestOf, isNewer, KeyStore } from '../../src/node/protocol/key-store.js'
import type { StoredRecord } from '../../src/node/protocol/types.js'
import { IdSpace, type Id } from '../../src/node/ring.js'

const live = (key: Id, value: string, version = 1): StoredRecord => ({ key, value, version, deleted: false })
const tombstone = (key: Id, value: string, version: number): StoredRecord => ({ key, value, version, deleted: true })

/** Records in a canonical order, so tests compare content and not Map iteration order. */
function sorted(records: StoredRecord[]): StoredRecord[] {
  return [...records].sort((x, y) => (x.key === y.key ? (x.value < y.value ? -1 : x.value > y.value ? 1 : 0) : x.key < y.key ? -1 : 1))
}

function storeWith(records: StoredRecord[]): KeyStore {
  const store = new KeyStore()
  for (const record of records) store.merge(record)
  return store
}

describe('KeyStore: merge, get and counts', () => {
  test('a new store is empty', () => {
    const store = new KeyStore()
    assert.equal(store.keyCount, 0)
    assert.equal(store.valueCount, 0)
    assert.equal(store.tombstoneCount, 0)
    assert.deepEqual(store.get(1n), [])
    assert.deepEqual(store.allRecords(), [])
  })

  test('merging a record keeps it; the same record again changes nothing', () => {
    const store = new KeyStore()
    assert.equal(store.merge(live(7n, 'seven')), true)
    assert.equal(store.merge(live(7n, 'seven')), false)
    assert.deepEqual(store.get(7n), ['seven'])
    assert.deepEqual(store.recordOf(7n, 'seven'), live(7n, 'seven'))
    assert.equal(store.keyCount, 1)
    assert.equal(store.valueCount, 1)
  })

  test('two values under one key (a collision) are both kept; one value under two keys is two records', () => {
    const store = storeWith([live(42n, 'apple'), live(42n, 'banana'), live(43n, 'apple')])
    assert.deepEqual(store.get(42n).sort(), ['apple', 'banana'])
    assert.deepEqual(store.get(43n), ['apple'])
    assert.equal(store.keyCount, 2)
    assert.equal(store.valueCount, 3)
  })

  test('get returns a copy and only live values', () => {
    const store = storeWith([live(1n, 'a'), tombstone(1n, 'b', 5)])
    const got = store.get(1n)
    got.push('x')
    assert.deepEqual(store.get(1n), ['a'])
    assert.equal(store.records(1n).length, 2)
  })
})

describe('KeyStore: the newer version wins, and a delete wins a tie', () => {
  //  held, incoming, and which of the two the store keeps
  const cases: Array<{ held?: StoredRecord; incoming: StoredRecord; wins: 'incoming' | 'held'; note: string }> = [
    { incoming: live(1n, 'v', 5), wins: 'incoming', note: 'nothing held: the record is kept' },
    { held: live(1n, 'v', 5), incoming: live(1n, 'v', 6), wins: 'incoming', note: 'newer live replaces older live' },
    { held: live(1n, 'v', 6), incoming: live(1n, 'v', 5), wins: 'held', note: 'older live is ignored' },
    { held: live(1n, 'v', 5), incoming: tombstone(1n, 'v', 6), wins: 'incoming', note: 'a newer delete deletes' },
    { held: tombstone(1n, 'v', 6), incoming: live(1n, 'v', 5), wins: 'held', note: 'an old copy cannot bring a deleted value back' },
    { held: tombstone(1n, 'v', 6), incoming: live(1n, 'v', 7), wins: 'incoming', note: 'a store after the delete makes it live again' },
    { held: live(1n, 'v', 6), incoming: tombstone(1n, 'v', 6), wins: 'incoming', note: 'equal versions: the delete wins' },
    { held: tombstone(1n, 'v', 6), incoming: live(1n, 'v', 6), wins: 'held', note: 'equal versions either way round' },
  ]
  for (const { held, incoming, wins, note } of cases) {
    test(note, () => {
      const store = storeWith(held ? [held] : [])
      assert.equal(store.merge(incoming), wins === 'incoming', 'merge says whether it changed anything')
      assert.deepEqual(store.recordOf(1n, 'v'), wins === 'incoming' ? incoming : held)
      assert.equal(isNewer(incoming, held), wins === 'incoming')
    })
  }

  test('merging the same records in any order ends in the same store', () => {
    const writes = [live(1n, 'v', 1), tombstone(1n, 'v', 2), live(1n, 'v', 3), tombstone(1n, 'w', 3), live(1n, 'w', 3), live(2n, 'x', 9)]
    const forward = storeWith(writes)
    const backward = storeWith([...writes].reverse())
    assert.deepEqual(sorted(forward.allRecords()), sorted(backward.allRecords()))
    assert.deepEqual(sorted(forward.allRecords()), [live(1n, 'v', 3), tombstone(1n, 'w', 3), live(2n, 'x', 9)])
  })

  test('counts follow live values and tombstones apart', () => {
    const store = storeWith([live(1n, 'a'), live(1n, 'b'), live(2n, 'c')])
    assert.deepEqual([store.keyCount, store.valueCount, store.tombstoneCount], [2, 3, 0])
    store.merge(tombstone(1n, 'a', 5))
    assert.deepEqual([store.keyCount, store.valueCount, store.tombstoneCount], [2, 2, 1])
    store.merge(tombstone(1n, 'b', 5))
    assert.deepEqual([store.keyCount, store.valueCount, store.tombstoneCount], [1, 1, 2], 'a key with only tombstones holds no value')
  })
})

describe('KeyStore: remove, changedSince and tombstone expiry', () => {
  test('remove forgets a record that moved elsewhere (not a delete)', () => {
    const store = storeWith([live(1n, 'a'), tombstone(2n, 'b', 3)])
    assert.equal(store.remove(1n, 'a'), true)
    assert.equal(store.remove(1n, 'a'), false)
    assert.equal(store.remove(2n, 'b'), true)
    assert.deepEqual(store.allRecords(), [])
    assert.deepEqual([store.valueCount, store.tombstoneCount], [0, 0])
  })

  test('remove keeps a record written again after the counter read', () => {
    const store = storeWith([live(1n, 'a', 1)])
    const sent = store.seq
    store.merge(live(1n, 'a', 2))
    assert.equal(store.remove(1n, 'a', sent), false)
    assert.deepEqual(store.get(1n), ['a'])
  })

  test('changedSince lists exactly the records of a range changed after the counter read', () => {
    const store = storeWith([live(10n, 'a'), live(20n, 'b'), live(200n, 'c')])
    const before = store.seq
    store.merge(live(20n, 'b', 2)) // changed, inside
    store.merge(tombstone(30n, 'd', 2)) // new tombstone, inside
    store.merge(live(200n, 'c', 2)) // changed, outside
    store.merge(live(10n, 'a', 1)) // not newer: unchanged
    assert.deepEqual(sorted(store.changedSince(before, 0n, 100n)), [live(20n, 'b', 2), tombstone(30n, 'd', 2)])
  })

  test('expireTombstones drops tombstones older than the cutoff, and only those', () => {
    const store = storeWith([tombstone(1n, 'old', 100), tombstone(1n, 'new', 300), live(1n, 'alive', 50)])
    assert.equal(store.expireTombstones(200), 1)
    assert.deepEqual(sorted(store.allRecords()), [live(1n, 'alive', 50), tombstone(1n, 'new', 300)])
    assert.equal(store.tombstoneCount, 1)
  })
})

describe('KeyStore: recordsIn / recordsOutside', () => {
  const content: StoredRecord[] = [0n, 10n, 20n, 20n, 128n, 250n, 255n].map((key, i) => live(key, `k${key}-${i}`))
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
    { from: 20n, to: 20n, inside: allKeys, note: 'from == to: the whole ring' },
  ]
  for (const { from, to, inside, note } of cases) {
    test(`[${from}, ${to}) holds keys ${inside.join(', ') || 'none'} (${note})`, () => {
      const store = storeWith(content)
      assert.deepEqual(sorted(store.recordsIn(from, to)), sorted(content.filter((e) => inside.includes(e.key))))
      assert.deepEqual(sorted(store.recordsOutside(from, to)), sorted(content.filter((e) => !inside.includes(e.key))))
    })
  }

  test('in and outside split the store exactly, tombstones included, for every [from, to) of a 4-bit ring', () => {
    const space = new IdSpace(4)
    const store = storeWith([live(0n, 'a'), live(3n, 'b'), tombstone(3n, 'c', 4), live(8n, 'd'), tombstone(15n, 'e', 2)])
    const everything = sorted(store.allRecords())
    for (let from = 0n; from < space.size; from++) {
      for (let to = 0n; to < space.size; to++) {
        // Reference: walk clockwise from `from`, stopping before `to` (once round when from == to).
        const walked = new Set<Id>([from])
        for (let x = (from + 1n) % space.size; x !== to; x = (x + 1n) % space.size) walked.add(x)
        assert.deepEqual(sorted(store.recordsIn(from, to)), everything.filter((e) => walked.has(e.key)), `in [${from}, ${to})`)
        assert.deepEqual(sorted(store.recordsOutside(from, to)), everything.filter((e) => !walked.has(e.key)), `outside [${from}, ${to})`)
      }
    }
  })
})

describe('KeyStore: digest', () => {
  const a = live(1n, 'alpha', 10)
  const b = live(1n, 'beta', 11)
  const c = live(200n, 'gamma', 12)
  const d = tombstone(100n, 'delta', 13)

  test('equal content gives an equal digest, whatever the order it arrived in', () => {
    const digests = [[a, b, c, d], [d, c, b, a], [b, d, a, c, a, c]].map((order) => storeWith(order).digest(0n, 0n))
    for (const digest of digests) assert.equal(digest, digests[0])
    assert.match(digests[0] ?? '', /^[0-9a-f]{40}$/)
  })

  const differs: Array<{ other: StoredRecord[]; why: string }> = [
    { other: [a, b, c], why: 'a tombstone missing' },
    { other: [a, b, c, live(100n, 'delta', 13)], why: 'live where the other has a tombstone' },
    { other: [a, b, c, tombstone(100n, 'delta', 14)], why: 'a newer version of the same delete' },
    { other: [a, { ...b, version: 99 }, c, d], why: 'a value written again' },
    { other: [a, b, c, tombstone(101n, 'delta', 13)], why: 'a key changed' },
    { other: [], why: 'empty' },
  ]
  for (const { other, why } of differs) {
    test(`different content gives a different digest (${why})`, () => {
      assert.notEqual(storeWith(other).digest(0n, 0n), storeWith([a, b, c, d]).digest(0n, 0n))
    })
  }

  test('values that contain the separators cannot imitate other content', () => {
    const two = storeWith([live(1n, 'x'), live(2n, 'y')])
    const one = storeWith([live(1n, 'x":1:l\n2:"y')])
    assert.notEqual(one.digest(0n, 0n), two.digest(0n, 0n))
  })

  test('covers only [from, to) and follows every change inside it', () => {
    const store = storeWith([a, b, c, d])
    const before = store.digest(0n, 150n)
    store.merge(live(150n, 'at the excluded end'))
    store.merge(live(220n, 'outside'))
    assert.equal(store.digest(0n, 150n), before)
    store.merge(tombstone(1n, 'alpha', 20))
    assert.notEqual(store.digest(0n, 150n), before, 'a delete inside changes the fingerprint')
  })

  test('digest(from, to) is digestOf(recordsIn(from, to)), and digestOf ignores order', () => {
    const store = storeWith([a, b, c, d])
    assert.equal(store.digest(150n, 50n), digestOf([a, b, c]))
    assert.equal(digestOf([a, b, c, d]), digestOf([d, b, a, c]))
    assert.equal(new KeyStore().digest(0n, 0n), digestOf([]))
  })
})
