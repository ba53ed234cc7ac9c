// @ts-check
// One frame of the ring's picture as data: each node where it is drawn (at its id's angle, spread so
// that no circle hides another: geometry.js's spreadAngles), with its info when it answered, and the
// page's selection, route and partition choice. The drawing (draw.js), the replay's and the live
// traffic's chords (traffic.js) and the panels all read the frame from here.
import { addressOf } from './format.js'
import { angleOf, nodeRadius, nodeSpacing, spreadAngles } from './geometry.js'

/** @typedef {import('./api.js').NodeInfo} NodeInfo */
/** @typedef {import('./api.js').RingView} RingView */
/** @typedef {import('./api.js').ValueReply} ValueReply */
/**
 * A node as drawn: its id's angle, the angle it is drawn at (near it, apart from its neighbours), and
 * its info when it answered (null when it is dead).
 * @typedef {import('./api.js').RingNode & { address: string, idAngle: number, angle: number, live: NodeInfo | null }} DrawnNode
 */
/**
 * Everything one frame is drawn from; `chosen`: the nodes chosen for a partition's side (shift-click).
 * @typedef {{ ring: RingView, nodes: DrawnNode[], byAddress: Map<string, DrawnNode>, r: number, selected: string | null, route: ValueReply | null, chosen: ReadonlySet<string> }} Scene
 */

/**
 * The frame to draw.
 * @param {RingView} ring
 * @param {string | null} selected
 * @param {ValueReply | null} route
 * @param {ReadonlySet<string>} [chosen]
 * @returns {Scene}
 */
export function sceneOf(ring, selected, route, chosen = new Set()) {
  const r = nodeRadius(ring.nodes.length)
  const idAngles = ring.nodes.map((n) => angleOf(n.id, ring.bits))
  const drawnAt = spreadAngles(idAngles, nodeSpacing(r))
  /** @type {Map<string, DrawnNode>} */
  const byAddress = new Map()
  const nodes = ring.nodes.map((n, i) => {
    const drawn = { ...n, address: addressOf(n), idAngle: /** @type {number} */ (idAngles[i]), angle: /** @type {number} */ (drawnAt[i]), live: n.info && !n.error ? n.info : null }
    byAddress.set(drawn.address, drawn)
    return drawn
  })
  return { ring, nodes, byAddress, r, selected, route, chosen }
}

/** Where a node is drawn: its place in the frame, or its id's angle when the frame has no such node. */
export function drawnAngle(/** @type {Scene} */ scene, /** @type {{ id: string, host: string, port: number }} */ peer) {
  return scene.byAddress.get(addressOf(peer))?.angle ?? angleOf(peer.id, scene.ring.bits)
}

/**
 * The frame's places for the traffic's chords (traffic.js).
 * @param {Scene} scene
 * @returns {import('./traffic.js').RingPlaces}
 */
export function ringPlaces(scene) {
  return { bits: scene.ring.bits, r: scene.r, nodes: new Map(scene.nodes.map((n) => [n.address, n.angle])) }
}
