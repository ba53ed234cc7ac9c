// @ts-check
// The ring's layers under its nodes: the axis (circle, quarter ticks and the counts in the centre),
// the successor arcs, the keys' dots, the selected node's fingers, and the dashed ring round each slow
// node. Each function clears its layer and draws it from the frame; the drawing (draw.js) decides when.
import { clear, svg } from './dom.js'
import { plural, quarterLabel, shortId, sup } from './format.js'
import { along, angleOf, angularDistance, arcPath, chord, clockwise, fmt, point, pt, RING_RADIUS as R } from './geometry.js'
import { drawnAngle, nodeAt } from './scene.js'

/** @typedef {import('./scene.js').Scene} Scene */

/** A slow node's ring lies this far outside its circle. */
const SLOW_RING_GAP = 6

/** What the axis shows of a frame: a change draws it again. */
export function axisKey(/** @type {Scene} */ { ring, nodes }) {
  return `${ring.bits}|${ring.keyCount}|${ring.replicas}|${ring.routeMode}|${nodes.map((n) => `${n.id}@${n.angle.toFixed(3)}${!n.live}`).join(',')}`
}

/** The circle, its quarters (labelled where no node sits), and the node, process and key counts in the centre. */
export function drawAxis(/** @type {SVGGElement} */ g, /** @type {Scene} */ { ring, nodes, processes }) {
  clear(g)
  const alive = nodes.filter((n) => n.live).length
  svg('circle', { class: 'axis-ring', cx: 0, cy: 0, r: R }, g)
  for (let q = 0; q < 4; q++) {
    const a = (q * Math.PI) / 2
    const [x1, y1] = point(a, R - 8)
    const [x2, y2] = point(a, R + 8)
    svg('line', { class: 'axis-tick', x1: fmt(x1), y1: fmt(y1), x2: fmt(x2), y2: fmt(y2) }, g)
    // The label only where no node (and so no hop badge or finger label) sits next to it.
    if (nodes.some((n) => angularDistance(n.angle, a) < 0.16)) continue
    const [lx, ly] = point(a, R - 52)
    svg('text', { class: 'axis-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, g, quarterLabel(q, ring.bits))
  }
  // With virtual nodes (VNODES=v), how many processes host them.
  const hosted = processes < nodes.length
  svg('text', { class: 'center-big', x: 0, y: -18, 'text-anchor': 'middle' }, g, plural(alive, hosted ? 'virtual node' : 'node'))
  svg('text', { class: 'center-small', x: 0, y: 16, 'text-anchor': 'middle' }, g, `${hosted ? `${processes} ${processes === 1 ? 'process' : 'processes'} · ` : ''}${plural(ring.keyCount, 'key')} · ${ring.bits}-bit ids (2${sup(ring.bits)})`)
  const dead = nodes.length - alive
  if (dead > 0) svg('text', { class: 'center-warn', x: 0, y: 44, 'text-anchor': 'middle' }, g, `${dead} not answering`)
  else svg('text', { class: 'center-small', x: 0, y: 44, 'text-anchor': 'middle' }, g, `r = ${ring.replicas} copies · routing by ${ring.routeMode}`)
}

/** Each live node's arc to its successor, broken when the successor does not answer. */
export function drawSuccessors(/** @type {SVGGElement} */ g, /** @type {Scene} */ scene) {
  const { nodes, r } = scene
  clear(g)
  const arrows = nodes.length <= 64
  for (const n of nodes) {
    if (!n.live) continue
    const s = n.live.successor
    if (s.id === n.id) {
      svg('circle', { class: 'succ', cx: 0, cy: 0, r: R }, g)
      continue
    }
    const target = nodeAt(scene, s)
    const to = drawnAngle(scene, s)
    // Stop at the edge of both circles, so the arrow head is visible.
    const pad = (r + 3) / R
    if (clockwise(n.angle, to) <= 2 * pad) continue
    svg('path', { class: target && target.live ? 'succ' : 'succ broken', d: arcPath(n.angle + pad, to - pad, R), 'marker-end': arrows ? 'url(#arrow-succ)' : undefined }, g)
  }
}

/** What the keys' layer shows of a frame: a change draws it again. */
export function keysKey(/** @type {Scene} */ { ring }) {
  return `${ring.bits}|${ring.keys.length}|${ring.keys.map((k) => k.key + (k.owner ?? '-')).join(',')}`
}

/** A dot per key at its id's angle, inside the circle (an orphan, with no owner answering, marked). */
export function drawKeys(/** @type {SVGGElement} */ g, /** @type {Scene} */ { ring }) {
  clear(g)
  const titles = ring.keys.length <= 600
  const dot = ring.keys.length > 1000 ? 2.5 : 3.5
  for (const k of ring.keys) {
    const [x, y] = point(angleOf(k.key, ring.bits), R - 20)
    const c = svg('circle', { class: k.owner == null ? 'key orphan' : 'key', cx: fmt(x), cy: fmt(y), r: dot, 'data-key': k.key }, g)
    if (titles) svg('title', {}, c, `key ${shortId(k.key, ring.bits)}: ${JSON.stringify(k.value)}${k.owner != null ? ` on @${k.owner}` : ' (no owner answering)'}`)
  }
}

/** The selected node's fingers as chords, each distinct node once, labelled with its finger's index. */
export function drawFingers(/** @type {SVGGElement} */ g, /** @type {Scene} */ scene) {
  const { byKey, r, selected } = scene
  clear(g)
  const node = selected ? byKey.get(selected) : undefined
  if (!node || !node.live) return
  const seen = new Set()
  for (const f of node.live.fingers) {
    if (f.node.id === node.id || seen.has(f.node.id)) continue
    seen.add(f.node.id)
    const target = nodeAt(scene, f.node)
    const c = chord(node.angle, drawnAngle(scene, f.node), R - r - 2, R - r - 2)
    svg('path', { class: target && target.live ? 'finger' : 'finger dead', d: `M ${pt(c.start)} ${c.d}`, 'marker-end': 'url(#arrow-finger)', 'data-finger': f.index, 'data-port': f.node.port }, g)
    const [lx, ly] = along(c, 0.8)
    svg('text', { class: 'finger-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, g, `f${f.index}`)
  }
}

/** A dashed ring around each slow node, under the circles. */
export function drawFaults(/** @type {SVGGElement} */ g, /** @type {Scene} */ { nodes, r }) {
  clear(g)
  for (const n of nodes) {
    if (!n.faults || n.faults.slowMs === 0) continue
    const [x, y] = point(n.angle, R)
    svg('circle', { class: 'slow-ring', cx: fmt(x), cy: fmt(y), r: r + SLOW_RING_GAP, 'data-port': n.port }, g)
  }
}
