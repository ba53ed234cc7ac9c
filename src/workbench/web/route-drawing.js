// @ts-check
// The route of the last store or lookup on the ring: chords hop by hop from the node asked to the
// owner, the key's place and the stretch of ring its owner covers, and numbered badges (0 the node
// asked, the last the owner). Its messages are replayed on top of it by traffic.js.
import { clear, svg } from './dom.js'
import { plural } from './format.js'
import { angleOf, arcPath, chord, clockwise, fmt, point, pt, RING_RADIUS as R } from './geometry.js'
import { drawnAngle } from './scene.js'

/** @typedef {import('./scene.js').Scene} Scene */

/** What a drawn route depends on: a change draws it again. */
export function routeKey(/** @type {Scene} */ scene) {
  const { ring, r, route } = scene
  return `${ring.bits}|${r}|${route ? `${route.op}|${route.key}|${route.entry.port}|${route.path.map((p) => drawnAngle(scene, p).toFixed(3)).join(',')}` : ''}`
}

/** The route in `layers.route`, the key's mark and the hop badges in `layers.hops` (above the nodes). */
export function drawRoute(/** @type {{ route: SVGGElement, hops: SVGGElement }} */ layers, /** @type {Scene} */ scene) {
  const { ring, r, route } = scene
  clear(layers.route)
  clear(layers.hops)
  if (!route) return
  const angles = route.path.map((p) => drawnAngle(scene, p))
  const keyAngle = angleOf(route.key, ring.bits)
  // The stretch the owner covers is a range of ids: it starts at the owner's id, wherever its circle is drawn.
  const ownerAngle = angleOf(route.node.id, ring.bits)
  if (clockwise(ownerAngle, keyAngle) > 0.01) svg('path', { class: 'route-key-arc', d: arcPath(ownerAngle, keyAngle, R) }, layers.route)
  const inner = R - r - 2
  const [first = 0] = angles
  // Zero hops (the node asked owns the key) is a short loop at that node.
  const d =
    angles.length === 1
      ? `M ${pt(point(first, inner))} m -0.1 0 a ${r + 6} ${r + 6} 0 1 0 0.2 0`
      : `M ${pt(point(first, inner))} ` + angles.slice(1).map((a, i) => chord(/** @type {number} */ (angles[i]), a, inner, inner).d).join(' ')
  const path = svg('path', { id: 'route', d, pathLength: 1, 'data-hops': route.hops, 'data-key': route.key, 'data-op': route.op, 'marker-end': angles.length > 1 ? 'url(#arrow-route)' : undefined }, layers.route)
  svg('title', {}, path, `${route.op} ${JSON.stringify(route.value)}: ${plural(route.hops, 'hop')}`)
  const [kx, ky] = point(keyAngle, R)
  svg('path', { class: 'route-key', d: `M ${fmt(kx)} ${fmt(ky - 9)} L ${fmt(kx + 9)} ${fmt(ky)} L ${fmt(kx)} ${fmt(ky + 9)} L ${fmt(kx - 9)} ${fmt(ky)} Z` }, layers.hops)
  const [tx, ty] = point(keyAngle, R + 24)
  svg('text', { class: 'route-key-label', x: fmt(tx), y: fmt(ty), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, layers.hops, 'key')
  route.path.forEach((p, i) => {
    const [bx, by] = point(/** @type {number} */ (angles[i]), R - r - 16)
    const badge = svg('g', { class: 'hop-badge', 'data-hop': i, 'data-port': p.port }, layers.hops)
    svg('circle', { cx: fmt(bx), cy: fmt(by), r: 11 }, badge)
    svg('text', { x: fmt(bx), y: fmt(by + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, badge, String(i))
  })
}
