// The SVG sequence diagram (src/workbench/render/sequence-svg.ts) on fixed messages: a lane per party in order
// with its label and id, one arrow per message from its sender's lane to its receiver's, failed ones
// red, maintenance dashed, and text escaped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sequenceSvg } from '../../src/workbench/render/sequence-svg.js'
import { lookupTrace, message, node, TRACE_ID } from './trace-fixtures.js'

/** The x of every lifeline, in lane order. */
function lifelines(svg: string): number[] {
  return [...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="#b8c0cc"/g)].map((m) => Number(m[1]))
}

test('lanes in order with their labels, one arrow per message from sender to receiver', () => {
  const svg = sequenceSvg(lookupTrace())
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/)
  assert.ok(svg.endsWith('</svg>'))
  assert.ok(svg.includes(TRACE_ID), 'the trace id is in the title')
  const labels = [...svg.matchAll(/text-anchor="middle" font-weight="bold">([^<]+)</g)].map((m) => m[1])
  assert.deepEqual(labels, ['client', '@5001', '@5002', '@5003'])
  assert.ok(svg.includes(`>${node(5003).id.slice(0, 8)}<`), 'each node lane shows its short id')
  const lanes = lifelines(svg)
  assert.equal(lanes.length, 4)
  const arrows = [...svg.matchAll(/<line class="message" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)"/g)].map((m) => ({ from: Number(m[1]), y: Number(m[2]), to: Number(m[3]) }))
  assert.equal(arrows.length, 4, 'one arrow per message')
  const expected: Array<[number, number]> = [[0, 1], [1, 2], [1, 3], [1, 3]]
  arrows.forEach((arrow, i) => {
    const [from, to] = expected[i]!
    assert.equal(arrow.from, lanes[from])
    assert.ok(Math.abs(arrow.to - lanes[to]!) <= 2, `arrow ${i} ends at lane ${to}`)
  })
  assert.ok(arrows.every((a, i) => i === 0 || a.y > arrows[i - 1]!.y), 'in time order, top to bottom')
  assert.ok(svg.includes('GET /lookup · 200 · 9.20 ms'))
})

test('failed red, maintenance dashed, a self-message as a loop, text escaped', () => {
  const [a, b] = [node(5001), node(5002)]
  const svg = sequenceSvg([
    message({ from: a, to: b, start: 0, status: null, error: 'PEER_TIMEOUT', summary: 'route <key> & "more"' }),
    message({ from: b, to: a, start: 1, task: 'stabilize' }),
    message({ from: b, to: b, start: 2 }),
  ], { maintenance: true })
  assert.match(svg, /<line class="message"[^>]*stroke="#c62828"[^>]*marker-end="url\(#head-failed\)"/)
  assert.match(svg, /<line class="message"[^>]*stroke-dasharray="5 3"[^>]*marker-end="url\(#head-maintenance\)"/)
  assert.match(svg, /<path class="message" d="M[\d.]+,[\d.]+ h\d+ v\d+ h-\d+"/)
  assert.ok(svg.includes('route &lt;key&gt; &amp; &quot;more&quot;'))
  assert.ok(!svg.includes('<key>'))
  assert.ok(svg.includes('[stabilize]'))
})
