// The page's faults (src/workbench/web/faults.js, a browser module with JSDoc types): the side a partition from
// the page cuts off, a node's faults in words, whether the ring has any, and the routing mode explained.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chosenSide, faultsText, hasFaults, routeModeText, sideName } from '../../src/workbench/web/faults.js'

const ring = ['h:1', 'h:2', 'h:3', 'h:4'].map((address) => ({ address }))
const faults = (text: string, side: string | null) => ({ delayMs: 0, jitterMs: 0, dropRate: 0, slowMs: 0, cutOff: 0, text, side })

test('the side cut off: the chosen nodes still on the ring, in ring order; else the selected node; else none', () => {
  assert.deepEqual(chosenSide(ring, new Set(['h:3', 'h:1', 'h:9']), 'h:2'), ['h:1', 'h:3'], 'a chosen node gone from the ring is left out; the selection does not count then')
  assert.deepEqual(chosenSide(ring, new Set(), 'h:2'), ['h:2'])
  assert.deepEqual(chosenSide(ring, new Set(['h:9']), 'h:4'), ['h:4'], 'only gone nodes chosen: the selected one')
  assert.deepEqual(chosenSide(ring, new Set(), null), [])
  assert.deepEqual(chosenSide(ring, new Set(), 'h:9'), [], 'a selected node no longer on the ring')
})

test('a node’s faults in words: its plan and its side, either alone, nothing when healthy or unknown', () => {
  assert.equal(faultsText(faults('slow 200 ms, 2 nodes cut off', 'b')), 'slow 200 ms, 2 nodes cut off: side B of the partition')
  assert.equal(faultsText(faults('slow 200 ms', null)), 'slow 200 ms')
  assert.equal(faultsText(faults('no faults', 'a')), 'side A of the partition')
  assert.equal(faultsText(faults('no faults', null)), '')
  assert.equal(faultsText(null), '')
  assert.equal(sideName('c'), 'side C')
})

test('any fault at all: a partition or any other line; and the three routing modes explained', () => {
  assert.equal(hasFaults({ sides: [], lines: [] }), false)
  assert.equal(hasFaults({ sides: [{ side: 'a', ports: [1] }, { side: 'b', ports: [2] }], lines: [] }), true)
  assert.equal(hasFaults({ sides: [], lines: ['@5003 slow 200 ms'] }), true)
  assert.match(routeModeText('fingers'), /^fingers: .*O\(log N\)/)
  assert.match(routeModeText('linear'), /^linear: .*O\(N\)/)
  assert.match(routeModeText('onehop'), /^onehop: .*one hop/)
  assert.equal(routeModeText('something new'), 'something new', 'a mode it does not know is shown as it is')
})
