// Unit tests for make bench's vnodes phase (src/workbench/report/vnodes.ts), without processes: a
// process owns the keys in its vnodes' [self, next id) ranges, counted once; the spread of random rings
// from ids alone falls as v grows; the section shows every v against v = 1 and a target for lost keys.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { IdSpace } from '../../src/node/ring.js'
import type { NodeSnapshot, RingSnapshot } from '../../src/tools/ring-snapshot.js'
import { summarize } from '../../src/workbench/report/stats.js'
import { targetsOf } from '../../src/workbench/report/table.js'
import { idSpread, ownedPerProcess, vnodesSection, type VnodesRow } from '../../src/workbench/report/vnodes.js'

const space = new IdSpace(8)
const hex = (n: number) => space.toHex(BigInt(n))

/** A vnode at `id` of the process on `port`, holding `keys` (its own and copies). */
function vnode(id: number, port: number, keys: number[]): NodeSnapshot {
  const self = { id: BigInt(id), host: '127.0.0.1', port }
  return {
    host: '127.0.0.1',
    port,
    id: hex(id),
    info: { self, status: 'ready', predecessor: null, successors: [], fingers: [] } as unknown as NonNullable<NodeSnapshot['info']>,
    entries: keys.map((key) => ({ key: hex(key), value: `v${key}`, version: 1 })),
  }
}

function snapshot(nodes: NodeSnapshot[]): RingSnapshot {
  return { takenAt: new Date(0).toISOString(), bits: 8, replicas: 3, stabilizeMs: 1000, tombstoneGraceMs: 1000, routeMode: 'fingers', nodes: [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1)) }
}

test('a process owns the keys in its vnodes\' [self, next id) ranges, each key once, copies not counted', () => {
  // Ring: 10@A 50@B 100@A 200@B; keys 20, 60, 150, 250 and 5 (wraps to 200's range). Copies lie elsewhere too.
  const ring = snapshot([vnode(10, 1, [20, 5, 250]), vnode(50, 2, [60, 20]), vnode(100, 1, [150, 60]), vnode(200, 2, [250, 5, 150])])
  const owned = ownedPerProcess(ring)
  assert.deepEqual([...owned], [
    [1, 2], // 20 (on 10), 150 (on 100)
    [2, 3], // 60 (on 50), 250 and 5 (on 200)
  ])
})

test('random rings from ids alone: p99 / mean falls as v grows', () => {
  const big = new IdSpace(160)
  const keys = Array.from({ length: 2000 }, (_, i) => big.hash(`key ${i}`))
  const [one, four] = [1, 4].map((v) => idSpread(big, 16, v, keys, 40))
  assert.ok(one!.p5 <= one!.median && one!.median <= one!.p95)
  assert.ok(four!.median < one!.median, `v = 4 median ${four!.median} below v = 1's ${one!.median}`)
  assert.ok(one!.median > 2 && one!.median < 5, `16 processes, v = 1: the largest share is a few times the mean (${one!.median})`)
})

test('the section sets every v beside v = 1 and has a target for the keys a crash lost', () => {
  const row = (v: number, perProcess: number[], repairMs: number, lost: number): VnodesRow => {
    const s = summarize(perProcess)
    return {
      v,
      processes: perProcess.length,
      nodes: perProcess.length * v,
      stored: 8,
      storeErrorCodes: {},
      counted: 8,
      disagree: 0,
      perProcess,
      mean: s.mean,
      p1: s.p1,
      p99: s.p99,
      p1OverMean: s.p1 / s.mean,
      p99OverMean: s.p99 / s.mean,
      ids: { median: 1, p5: 1, p95: 1 },
      bootMs: 1,
      joinMs: summarize([100, 200]),
      buildSeconds: v,
      settleMs: 1,
      healthy: true,
      problems: [],
      crash: { port: 1, repairMs, healthy: true, lost },
    }
  }
  const section = vnodesSection({ processes: 2, values: 8, rows: [row(1, [6, 2], 1000, 0), row(4, [5, 3], 2000, 1)] })
  assert.equal(section.baseline, 'v = 1')
  const spread = section.rows.filter((r) => r.metric.trim() === 'p99 / mean')
  assert.deepEqual(
    spread.map((r) => [r.value, r.vs]),
    [
      ['1.50', '1×'],
      ['1.25', '0.83×'],
    ],
  )
  const targets = targetsOf([section])
  assert.deepEqual(
    targets.map((t) => [t.value, t.met]),
    [
      [0, true],
      [1, false],
    ],
  )
  assert.ok(section.rows.at(-1)!.metric.includes('paper'))
})
