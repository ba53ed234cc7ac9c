// The finger table stored as runs: setRange and assign give the table that setting each finger one by
// one gives, runs naming one node merge, and a converged table of a big ring is a few dozen entries.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FingerTable } from '../../src/node/protocol/finger-table.js'
import type { Peer } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'

const space = new IdSpace(8)
const peer = (id: number): Peer => ({ id: BigInt(id), host: '127.0.0.1', port: 5000 + id })
const fingers = (table: FingerTable) => Array.from({ length: table.size }, (_, i) => table.get(i)?.id)

test('setRange, set and forget in any order give what a plain array of fingers would hold', () => {
  const random = new SeededRandom(5)
  const nodes = [peer(20), peer(40), peer(90), peer(200)]
  const table = new FingerTable(peer(10), space)
  const plain: Array<Peer | undefined> = new Array(8).fill(undefined)
  for (let step = 0; step < 500; step++) {
    const first = random.int(8)
    const end = first + 1 + random.int(8 - first)
    const node = random.next() < 0.2 ? undefined : random.pick(nodes)
    if (random.next() < 0.5) {
      table.setRange(first, end, node)
      for (let i = first; i < end; i++) plain[i] = node
    } else if (node) {
      table.forget(node.id)
      for (let i = 0; i < 8; i++) if (plain[i]?.id === node.id) plain[i] = undefined
    }
    assert.deepEqual(fingers(table), plain.map((p) => p?.id), `step ${step}`)
  }
})

test('assign loads a whole table from its runs, merging neighbours that name one node, and refuses rows out of order', () => {
  const table = new FingerTable(peer(10), space)
  const a = peer(20)
  const b = peer(90)
  table.assign([{ first: 0, node: a }, { first: 3, node: a }, { first: 5, node: b }])
  assert.deepEqual(fingers(table), [20n, 20n, 20n, 20n, 20n, 90n, 90n, 90n])
  assert.deepEqual(table.distinct().map((row) => [row.index, row.node.id]), [[0, 20n], [5, 90n]])
  assert.deepEqual(table.preceding(100n).map((p) => p.id), [90n, 20n])
  assert.throws(() => table.assign([{ first: 1, node: a }]), RangeError)
  assert.throws(() => table.assign([{ first: 0, node: a }, { first: 0, node: b }]), RangeError)
  assert.throws(() => table.assign([{ first: 0, node: a }, { first: 8, node: b }]), RangeError)
})
