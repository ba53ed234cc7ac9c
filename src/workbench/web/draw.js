// @ts-check
// The identifier circle in SVG, one frame (scene.js) at a time, layer by layer: the ring's layers
// under the nodes (ring-layers.js), the nodes' circles (node-circles.js), their counts and labels
// (node-labels.js) and the route of the last store or lookup (route-drawing.js). It remembers what it
// drew, so the layers that did not change (the axis, the keys, the route) are not built again.
import { NodeCircles } from './node-circles.js'
import { drawLabels } from './node-labels.js'
import { axisKey, drawAxis, drawFaults, drawFingers, drawKeys, drawSuccessors, keysKey } from './ring-layers.js'
import { drawRoute, routeKey } from './route-drawing.js'

/** @typedef {import('./scene.js').Scene} Scene */
/** @typedef {Record<'axis' | 'succ' | 'keys' | 'fingers' | 'route' | 'faults' | 'nodes' | 'labels' | 'hops', SVGGElement>} Layers */

export class RingDrawing {
  /** What each layer drawn only on change was last drawn for. */
  #drawnFor = { axis: '', keys: '', route: '' }

  /**
   * @param {Layers} layers
   * @param {(key: string | null, toggle: boolean) => void} onSelect a node was selected, by its key (null: none)
   * @param {(address: string) => void} onChoose a node was shift-clicked (or Shift+Enter): its process in or out of a partition's side
   */
  constructor(layers, onSelect, onChoose) {
    this.layers = layers
    this.circles = new NodeCircles(layers.nodes, onSelect, onChoose)
  }

  /** Draws a frame. */
  draw(/** @type {Scene} */ scene) {
    const { layers } = this
    if (this.#changed('axis', axisKey(scene))) drawAxis(layers.axis, scene)
    drawSuccessors(layers.succ, scene)
    if (this.#changed('keys', keysKey(scene))) drawKeys(layers.keys, scene)
    drawFingers(layers.fingers, scene)
    drawFaults(layers.faults, scene)
    this.circles.sync(scene)
    drawLabels(layers.labels, scene)
    if (this.#changed('route', routeKey(scene))) drawRoute(layers, scene)
  }

  /** Whether the layer must be drawn again for `key` (it is then recorded as drawn for it). */
  #changed(/** @type {'axis' | 'keys' | 'route'} */ layer, /** @type {string} */ key) {
    if (this.#drawnFor[layer] === key) return false
    this.#drawnFor[layer] = key
    return true
  }
}
