// @ts-check
// The nodes' words: each node's key count inside its circle, and its label (port, and short id on a
// small ring) outside, placed apart from the others by geometry.js's placeLabels, with a leader line
// when it had to move; where not all fit, the selected node's, the route's and the roomiest stay.
import { clear, svg } from './dom.js'
import { shortId } from './format.js'
import { angularDistance, clockwise, fmt, placeLabels, point, RING_RADIUS as R } from './geometry.js'

/** @typedef {import('./scene.js').Scene} Scene */
/** @typedef {import('./scene.js').DrawnNode} DrawnNode */

/** Labels start this far outside a node's edge. */
const LABEL_GAP = 16
/** Up to this many nodes, a label has a second line: the node's short id. */
const TWO_LINES_UP_TO = 24

export function drawLabels(/** @type {SVGGElement} */ g, /** @type {Scene} */ { ring, nodes, r, selected, route }) {
  clear(g)
  const radius = R + r + LABEL_GAP
  const twoLines = nodes.length <= TWO_LINES_UP_TO
  const onRoute = new Set((route ? route.path : []).map((p) => p.id))
  const lines = (/** @type {DrawnNode} */ n) => [`@${n.port}`, ...(twoLines ? [n.live ? shortId(n.id, ring.bits) : 'dead'] : [])]
  /** The angle to the nearer neighbour: where nodes crowd, those are the labels to leave out first. */
  const room = (/** @type {number} */ i) => {
    const before = nodes[(i - 1 + nodes.length) % nodes.length]
    const after = nodes[(i + 1) % nodes.length]
    const here = /** @type {DrawnNode} */ (nodes[i]).angle
    return nodes.length === 1 || !before || !after ? Math.PI : Math.min(clockwise(before.angle, here), clockwise(here, after.angle))
  }
  const requests = nodes.map((n, i) => {
    // Estimated from the fonts' sizes (page.css: 15px bold, 13px): the boxes need not be exact, only not too small.
    const [first = '', second = ''] = lines(n)
    const w = Math.max(first.length * 9.4, second.length * 7.6) + 8
    return { key: n.key, angle: n.angle, w, h: twoLines ? 34 : 18, priority: (selected === n.key ? 10 : 0) + (onRoute.has(n.id) ? 5 : 0) + room(i) }
  })
  const placed = new Map(placeLabels(requests, radius).map((p) => [p.key, p]))
  for (const n of nodes) {
    if (r >= 11) {
      const [x, y] = point(n.angle, R)
      const text = n.live ? String(n.owned) : '×'
      const fontSize = text.length >= 3 ? r * 0.8 : r * 1.05
      svg('text', { class: `node-count${n.live ? '' : ' dead'}${selected === n.key ? ' on-selected' : ''}`, x: fmt(x), y: fmt(y + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': fmt(fontSize), 'data-port': n.port }, g, text)
    }
    const label = placed.get(n.key)
    if (!label) continue
    if (angularDistance(label.placed, n.angle) > 0.02) {
      const [x1, y1] = point(n.angle, R + r + 2)
      const [x2, y2] = point(label.placed, radius)
      svg('line', { class: 'leader', x1: fmt(x1), y1: fmt(y1), x2: fmt(x2), y2: fmt(y2) }, g)
    }
    const { x, y, w, h } = label.box
    const [first = '', second] = lines(n)
    const cx = fmt(x + w / 2)
    const t = svg('text', { class: `node-label${n.live ? '' : ' dead'}`, x: cx, y: fmt(y + h / 2 - (second ? 8 : 0)), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'data-port': n.port }, g)
    svg('tspan', {}, t, first)
    if (second) svg('tspan', { class: 'sub', x: cx, dy: 16 }, t, second)
  }
}
