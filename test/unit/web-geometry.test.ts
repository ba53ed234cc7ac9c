// The web page's pure geometry (src/workbench/web/geometry.js, a browser module with JSDoc types): points on the
// circle, arcs, chords, nodes at close ids drawn apart (no circle hides another), and label placement,
// which must never let two labels overlap.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  along,
  angleOf,
  angularDistance,
  arcPath,
  boxesOverlap,
  chord,
  clashes,
  clockwise,
  isotonic,
  labelBox,
  MAX_LABEL_SHIFT,
  nodeRadius,
  nodeSpacing,
  packGaps,
  placeLabels,
  point,
  RING_RADIUS,
  spreadAngles,
  TAU,
} from '../../src/workbench/web/geometry.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'

const close = (actual: number, expected: number, what: string, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≈ ${expected}`)
const LABEL_RADIUS = RING_RADIUS + 19 + 16

test('ids sit clockwise from 12 o’clock: 0 at the top, a quarter at 3 o’clock, a half at the bottom', () => {
  close(angleOf('00', 8), 0, 'id 0')
  close(angleOf('40', 8), TAU / 4, 'id 64 of 256')
  close(angleOf('80', 8), TAU / 2, 'id 128 of 256')
  close(angleOf('ff'.repeat(20), 160), TAU, 'the largest 160-bit id, just short of a full turn', 1e-12)
  const [x0, y0] = point(0, 100)
  close(x0, 0, 'top x')
  close(y0, -100, 'top y (SVG y grows downwards)')
  const [x1, y1] = point(TAU / 4, 100)
  close(x1, 100, '3 o’clock x')
  close(y1, 0, '3 o’clock y')
  const [x2, y2] = point(TAU / 2, 100)
  close(x2, 0, 'bottom x')
  close(y2, 100, 'bottom y')
})

test('clockwise and angular distance wrap round the top', () => {
  close(clockwise(0.1, 0.3), 0.2, 'forwards')
  close(clockwise(0.3, 0.1), TAU - 0.2, 'the long way')
  close(clockwise(TAU - 0.1, 0.1), 0.2, 'across 0')
  close(clockwise(1, 1), 0, 'itself')
  close(angularDistance(TAU - 0.1, 0.1), 0.2, 'the short way across 0')
  close(angularDistance(0, Math.PI), Math.PI, 'opposite')
})

test('an arc goes clockwise and takes the large-arc flag past half a turn', () => {
  assert.equal(arcPath(0, TAU / 4, 100), 'M 0 -100 A 100 100 0 0 1 100 0')
  assert.equal(arcPath(TAU / 4, 0, 100), 'M 100 0 A 100 100 0 1 1 0 -100', 'three quarters round, clockwise')
})

test('a chord starts and ends on its radii, and bows towards the centre the further apart its ends are', () => {
  const near = chord(0, 0.2, 300, 300)
  const quarter = chord(0, TAU / 4, 300, 300)
  const far = chord(0, Math.PI, 300, 300)
  assert.deepEqual(near.start, point(0, 300))
  assert.deepEqual(along(near, 0), near.start)
  assert.deepEqual(along(near, 1), near.end)
  // How far the chord's middle is from the centre, against a straight line's middle.
  const bowed = (c: typeof near) => Math.hypot(...along(c, 0.5)) / Math.hypot((c.start[0] + c.end[0]) / 2, (c.start[1] + c.end[1]) / 2)
  assert.ok(bowed(near) > 0.95, `neighbours: nearly straight (${bowed(near)})`)
  assert.ok(bowed(quarter) < 0.85, `a quarter apart: bent towards the centre (${bowed(quarter)})`)
  assert.ok(Math.hypot(...along(far, 0.5)) < 1e-9, 'opposite ends: through the centre')
  assert.match(far.d, /^Q -?\d/)
})

test('a label box touches the circle of its radius and stays outside it, whatever the angle', () => {
  for (let i = 0; i < 64; i++) {
    const angle = (i / 64) * TAU
    const box = labelBox(angle, LABEL_RADIUS, 64, 34)
    // The box's corner nearest the centre is at the radius or beyond.
    const nearest = Math.hypot(Math.max(box.x, Math.min(0, box.x + box.w)), Math.max(box.y, Math.min(0, box.y + box.h)))
    assert.ok(nearest >= LABEL_RADIUS - 1e-6, `angle ${angle.toFixed(2)}: box starts at ${nearest.toFixed(2)}`)
    // Its centre is on the node's ray.
    const cx = box.x + box.w / 2
    const cy = box.y + box.h / 2
    close(angularDistance(Math.atan2(cx, -cy), angle), 0, `angle ${angle.toFixed(2)}: centred on the ray`, 1e-9)
  }
  assert.ok(boxesOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 9, y: 9, w: 10, h: 10 }))
  assert.ok(!boxesOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 10, h: 10 }), 'touching is not overlapping')
})

test('isotonic regression pools violators; packGaps keeps the gaps, closes the circle and moves labels as little as it can', () => {
  assert.deepEqual(isotonic([1, 3, 2, 4]), [1, 2.5, 2.5, 4])
  assert.deepEqual(isotonic([3, 2, 1]), [2, 2, 2])
  const x = [0.1, 0.1, 0.1, 3]
  const gaps = [0.2, 0.2, 0.2, 0.2]
  const y = packGaps(x, gaps)
  for (let i = 0; i + 1 < x.length; i++) assert.ok(y[i + 1]! - y[i]! >= gaps[i]! - 1e-12, `gap ${i}`)
  close(y[1]!, 0.1, 'the middle one of three stays put')
  close(y[3]!, 3, 'a lone label is not moved')
  // Across the top: the cut goes where there is room, not at angle 0.
  const wrapped = packGaps([0.01, 3, TAU - 0.01], [0.2, 0.2, 0.2])
  close(clockwise(wrapped[2]!, wrapped[0]!), 0.2, 'the two labels either side of 0 are pushed apart across it', 1e-9)
})

/** Every pair of boxes, not only neighbours, must be apart; and every label near its node. */
function assertApart(placed: ReturnType<typeof placeLabels>, what: string): void {
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) assert.ok(!boxesOverlap(placed[i]!.box, placed[j]!.box), `${what}: ${placed[i]!.key} and ${placed[j]!.key} overlap`)
    assert.ok(angularDistance(placed[i]!.placed, placed[i]!.angle) <= MAX_LABEL_SHIFT + 1e-9, `${what}: ${placed[i]!.key} is too far from its node`)
  }
  assert.deepEqual(clashes(placed), [])
}

test('labels of nodes with close ids are pushed apart: none overlaps, none is dropped while there is room', () => {
  // The README's screenshot: six nodes, two pairs of them almost on top of each other.
  for (const centre of [0, 0.8, TAU / 4, 2.4, Math.PI, 4, (3 * TAU) / 4, TAU - 0.005]) {
    const angles = [centre, centre + 0.004, centre + 0.009, centre + 1.7, centre + 1.705, centre + 3.9].map((a) => a % TAU)
    const requests = angles.map((angle, i) => ({ key: `n${i}`, angle, w: 64, h: 34, priority: i }))
    const placed = placeLabels(requests, LABEL_RADIUS)
    assertApart(placed, `cluster at ${centre.toFixed(2)}`)
    assert.equal(placed.length, 6, `cluster at ${centre.toFixed(2)}: every one of six nodes keeps its label`)
  }
})

test('a crowded ring keeps the labels that fit, most important first, and still none overlaps', () => {
  const random = new SeededRandom(12)
  for (const count of [12, 24, 50, 200]) {
    // Half the nodes in one tight cluster, the rest anywhere.
    const angles = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 + random.next() * 0.05 : random.next() * TAU))
    const requests = angles.map((angle, i) => ({ key: `n${i}`, angle, w: count > 24 ? 52 : 64, h: count > 24 ? 18 : 34, priority: i === 0 ? 100 : random.next() }))
    const placed = placeLabels(requests, LABEL_RADIUS)
    assertApart(placed, `${count} nodes`)
    assert.ok(placed.some((p) => p.key === 'n0'), `${count} nodes: the most important label (the selected node) is kept`)
    assert.ok(placed.length >= Math.min(count, 8), `${count} nodes: ${placed.length} labels placed`)
  }
  assert.deepEqual(placeLabels([], LABEL_RADIUS), [])
  const [only] = placeLabels([{ key: 'a', angle: 1, w: 64, h: 34, priority: 0 }], LABEL_RADIUS)
  close(only!.placed, 1, 'a single label stays at its node')
})

test('two nodes at close ids are drawn apart, neither circle (nor its key count) hidden under the other; the rest stay at their ids', () => {
  // A ring of 8 as the issue found it: @a's circle (0 keys) under @b's (6 keys), their ids 0.001 turns apart.
  const r = nodeRadius(8)
  const ids = [0.5, 0.5 + 0.001 * TAU, 2, 3.5, 4, 5, 5.5, 6]
  const drawn = spreadAngles(ids, nodeSpacing(r))
  const [a, b] = [point(drawn[0]!, RING_RADIUS), point(drawn[1]!, RING_RADIUS)]
  assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) >= 2 * r, `the circles' centres ${Math.hypot(a[0] - b[0], a[1] - b[1]).toFixed(1)} apart, at least two radii (${2 * r})`)
  assert.ok(drawn[0]! < drawn[1]!, 'in the order of their ids')
  close((drawn[0]! + drawn[1]!) / 2, (ids[0]! + ids[1]!) / 2, 'moved apart evenly about where they are', 1e-6)
  ids.slice(2).forEach((id, i) => close(drawn[i + 2]!, id, `node ${i + 2}, with room, stays at its id`, 1e-6))
  // Across 0: the last id and the first move apart round the top.
  const top = spreadAngles([TAU - 0.001, 0.0005, Math.PI], nodeSpacing(r))
  assert.ok(angularDistance(top[0]!, top[1]!) >= nodeSpacing(r) - 1e-9 && clockwise(top[0]!, top[1]!) < Math.PI, `apart across 12 o'clock, still in order: ${top.join(', ')}`)
  assert.deepEqual(spreadAngles([1], 0.1), [1])
  assert.deepEqual(spreadAngles([], 0.1), [])
})

test('on any ring, every two neighbouring nodes are at least the spacing apart, in the order of their ids (evenly, when the ring is too full)', () => {
  const random = new SeededRandom(7)
  for (const count of [2, 3, 5, 8, 12, 24, 48, 100, 200]) {
    const r = nodeRadius(count)
    const gap = Math.min(nodeSpacing(r), TAU / count)
    // Half of them crowded into a small arc, as SHA-1 ids of neighbouring ports can be.
    const ids = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 2 + random.next() * 0.05 : random.next() * TAU))
    const drawn = spreadAngles(ids, nodeSpacing(r))
    const order = ids.map((id, i) => ({ id, at: drawn[i]! })).sort((x, y) => x.id - y.id)
    const start = order[0]!.at
    order.forEach((node, i) => {
      const next = order[(i + 1) % count]!
      assert.ok(clockwise(node.at, next.at) >= gap - 1e-9, `${count} nodes: ${i} and the next ${clockwise(node.at, next.at)} apart, at least ${gap}`)
      assert.ok(node.at >= 0 && node.at < TAU)
      if (i > 0) assert.ok(clockwise(start, node.at) >= clockwise(start, order[i - 1]!.at), `${count} nodes: the order of the ids is kept round the circle`)
    })
  }
})

