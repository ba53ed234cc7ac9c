// SortedIds answers what ring.ts's successorIndex and ownerIndex answer, also where many ids share their
// top 52 bits (then only the exact bigint comparison can tell them apart), in small and large id spaces.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ownerIndex, successorIndex } from '../../src/node/ring.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'
import { SortedIds } from '../../src/workbench/sim/sorted-ids.js'

for (const bits of [8, 52, 53, 60, 160]) {
  test(`SortedIds agrees with successorIndex and ownerIndex over ${bits}-bit ids, ties in the top bits included`, () => {
    const random = new SeededRandom(bits)
    const size = 1n << BigInt(bits)
    const any = () => {
      let x = 0n
      for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(random.int(65536))
      return x % size
    }
    // A third of the ids anywhere, the rest crowded within 1,000 of one id (their top bits tie).
    const crowd = any()
    const near = () => (crowd + BigInt(random.int(1000))) % size
    const ids = [...new Set(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? any() : near())))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const sorted = new SortedIds(bits, ids)
    const keys = [...ids, ...Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? any() : near())), 0n, size - 1n]
    for (const key of keys) {
      assert.equal(sorted.successorIndex(key), successorIndex(ids, key), `successor of ${key}`)
      assert.equal(sorted.ownerIndex(key), ownerIndex(ids, key), `owner of ${key}`)
    }
  })
}
