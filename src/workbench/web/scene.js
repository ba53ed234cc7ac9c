// @ts-check
// One frame of the ring's picture as data: each node where it is drawn (at its id's angle, spread so
// that no circle hides another: geometry.js's spreadAngles), with its info when it answered, and the
// page's selection, route and partition choice. With virtual nodes (VNODES=v) each node also knows its
// process's colour, so a process's nodes are drawn alike. The drawing (draw.js), the replay's and the
// live traffic's chords (traffic.js) and the panels all read the frame from here.
import { addressOf, nodeKey, processColours } from './format.js'
import { angleOf, nodeRadius, nodeSpacing, spreadAngles } from './geometry.js'

/** @typedef {import('./api.js').NodeInfo} NodeInfo */
/** @typedef {import('./api.js').RingView} RingView */
/** @typedef {import('./api.js').ValueReply} ValueReply */
/**
 * A node as drawn: its name on the page (`key`: format.js's nodeKey), its process's address, its id's
 * angle, the angle it is drawn at (near it, apart from its neighbours), its info when it answered
 * (null when it is dead), and its process's colour (format.js's processColours; null on a ring without
 * virtual nodes).
 * @typedef {import('./api.js').RingNode & { key: string, address: string, idAngle: number, angle: number, live: NodeInfo | null, colour: number | null }} DrawnNode
 */
/**
 * Everything one frame is drawn from; `selected`: the key of the selected node; `chosen`: the
 * addresses of the processes chosen for a partition's side (shift-click); `processes`: how many
 * processes host the nodes.
 * @typedef {{ ring: RingView, nodes: DrawnNode[], byKey: Map<string, DrawnNode>, byId: Map<string, DrawnNode>, processes: number, r: number, selected: string | null, route: ValueReply | null, chosen: ReadonlySet<string> }} Scene
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
  const colours = processColours(ring.nodes)
  /** @type {Map<string, DrawnNode>} */
  const byKey = new Map()
  /** @type {Map<string, DrawnNode>} */
  const byId = new Map()
  const nodes = ring.nodes.map((n, i) => {
    const address = addressOf(n)
    const colour = colours ? (colours.get(address) ?? null) : null
    const drawn = { ...n, key: nodeKey(n), address, idAngle: /** @type {number} */ (idAngles[i]), angle: /** @type {number} */ (drawnAt[i]), live: n.info && !n.error ? n.info : null, colour }
    byKey.set(drawn.key, drawn)
    byId.set(drawn.id, drawn)
    return drawn
  })
  return { ring, nodes, byKey, byId, processes: colours ? colours.size : nodes.length, r, selected, route, chosen }
}

/** The frame's node a peer (a pointer, a finger, a hop) names: by its id, else its process's first node; undefined when not drawn. */
export function nodeAt(/** @type {Scene} */ scene, /** @type {{ id: string, host: string, port: number }} */ peer) {
  return scene.byId.get(peer.id) ?? scene.byKey.get(addressOf(peer))
}

/** Where a node is drawn: its place in the frame, or its id's angle when the frame has no such node. */
export function drawnAngle(/** @type {Scene} */ scene, /** @type {{ id: string, host: string, port: number }} */ peer) {
  return nodeAt(scene, peer)?.angle ?? angleOf(peer.id, scene.ring.bits)
}

/**
 * The frame's places for the traffic's chords (traffic.js).
 * @param {Scene} scene
 * @returns {import('./traffic.js').RingPlaces}
 */
export function ringPlaces(scene) {
  return { bits: scene.ring.bits, r: scene.r, nodes: new Map(scene.nodes.map((n) => [n.id, n.angle])) }
}
