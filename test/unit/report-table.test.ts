// Unit tests for the bench's targets and table (src/workbench/report/targets.ts, table.ts, format.ts): targets
// are data with a verdict, a ratio target judges one figure against another of the same run, and the
// table fits its width, moving what does not fit below the row.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sideBySide } from '../../src/workbench/report/compare.js'
import { visible, wrap } from '../../src/workbench/report/format.js'
import { printTable, targetsOf, type Section } from '../../src/workbench/report/table.js'
import { ratioTarget, target } from '../../src/workbench/report/targets.js'

test('a target is the measure, the bound in words and whether it was met', () => {
  assert.deepEqual(target({ metric: 'lookup p50, N = 32', value: 2.37, unit: 'ms' }, '<', 1), {
    metric: 'lookup p50, N = 32',
    value: 2.37,
    unit: 'ms',
    target: '< 1 ms',
    met: false,
  })
  assert.equal(target({ metric: 'lookups/s', value: 2600, unit: '/s' }, '≥', 2500).target, '≥ 2,500/s')
  assert.equal(target({ metric: 'idle CPU', value: 9.9, unit: '% of a core' }, '<', 10).met, true)
  assert.equal(target({ metric: 'lost lookups', value: 0, unit: 'lookups' }, '=', 0).met, true)
  assert.equal(target({ metric: 'no figure', value: NaN, unit: 'ms' }, '<', 1).met, false, 'a missing figure never meets a target')
})

test('a ratio target judges a figure against a baseline of the same run', () => {
  const fingers = { metric: 'fingers lookup p50', value: 2.0, unit: 'ms' }
  const met = ratioTarget({ metric: 'one-hop lookup p50', value: 1.1, unit: 'ms' }, '≤', 0.6, fingers)
  assert.equal(met.metric, 'one-hop lookup p50 / fingers lookup p50')
  assert.equal(met.value, 0.55)
  assert.equal(met.unit, '×')
  assert.equal(met.target, '≤ 0.6 × fingers lookup p50')
  assert.equal(met.met, true)
  assert.deepEqual(met.ratio?.baseline, fingers)
  assert.equal(ratioTarget({ metric: 'one-hop lookup p50', value: 1.5, unit: 'ms' }, '≤', 0.6, fingers).met, false)
})

test('wrap breaks at spaces within the width and keeps a longer word whole', () => {
  assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four'])
  assert.deepEqual(wrap('abcdefghijkl x', 5), ['abcdefghijkl', 'x'])
})

test('the table fits its width: long notes and titles go on lines of their own', () => {
  const sections: Section[] = [
    { title: 'a section whose title is much longer than the width of the table it opens, so it wraps', rows: [] },
    {
      title: 'latency',
      rows: [
        { metric: 'lookup p50 / p99', value: '2.370 ms / 7.120 ms', vs: '14× / 3.2×', target: target({ metric: 'lookup p50', value: 2.37, unit: 'ms' }, '<', 1), targetLabel: 'p50 < 1 ms' },
        { metric: 'store p50 / p99', value: '4.860 ms / 9.640 ms', note: 'a note far too long to stand beside the row in a table this narrow' },
        { metric: 'hops', value: '2.14', note: 'short', alert: '2 errors' },
      ],
    },
    { title: 'against fingers', baseline: 'fingers', rows: [{ metric: 'one-hop p50', value: '1.1 ms', vs: '0.55×' }] },
  ]
  const lines: string[] = []
  printTable(sections, { baseline: 'floor', width: 72, print: (line) => lines.push(visible(line)) })
  for (const line of lines) assert.ok(line.length <= 72, `${line.length} > 72: ${line}`)
  assert.match(lines[1]!, /^metric +value +vs floor +target$/)
  assert.ok(lines.some((l) => /^lookup p50 \/ p99 .* ✘ p50 < 1 ms$/.test(l)))
  assert.ok(lines.some((l) => /^ +a note far too long/.test(l)), 'the long note is below its row, indented')
  assert.ok(lines.some((l) => /^hops .* short {2}2 errors$/.test(l)), 'short notes stay beside the row')
  assert.ok(lines.some((l) => /^metric +value +vs fingers +target$/.test(l)), 'a section with another baseline names it')
  assert.deepEqual(targetsOf(sections).map((t) => t.metric), ['lookup p50'])
})

test('side by side: each variant beside its baseline of the same run, with the ratio and a ratio target', () => {
  const section = sideBySide('one-hop and linear against fingers, N = 32', { baseline: 'fingers', variants: ['one-hop', 'linear'] }, [
    { metric: 'lookup p50', unit: 'ms', baseline: 2, variants: [1.1, 6], format: (v) => `${v.toFixed(2)} ms`, targets: [{ comparison: '≤', factor: 0.6 }] },
    { metric: 'exchanges per lookup', unit: '', baseline: 3.2, variants: [2, 9.6] },
  ])
  assert.equal(section.baseline, 'fingers')
  assert.deepEqual(
    section.rows.map((r) => [r.metric, r.value, r.vs]),
    [
      ['fingers lookup p50', '2.00 ms', '1×'],
      ['one-hop lookup p50', '1.10 ms', '0.55×'],
      ['linear lookup p50', '6.00 ms', '3.0×'],
      ['fingers exchanges per lookup', '3.2', '1×'],
      ['one-hop exchanges per lookup', '2', '0.63×'],
      ['linear exchanges per lookup', '9.6', '3.0×'],
    ],
  )
  assert.equal(targetsOf([section]).length, 1, 'only the one-hop p50 has a target')
  const [target] = targetsOf([section])
  assert.equal(target?.target, '≤ 0.6 × fingers lookup p50')
  assert.equal(target?.met, true)
  assert.equal(section.rows[1]!.targetLabel, '≤ 0.6×')
})
