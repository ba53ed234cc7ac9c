// @ts-check
// The nodes' circles: the same element per node across frames, in ring order (so focus and Tab order
// survive a refresh and follow the ring), coloured by their process when processes host virtual nodes
// and by their side of a partition, slow ones marked, those chosen for a partition outlined; and the keys that select (Enter, Space), choose (Shift),
// clear (Escape) and move along the ring (the arrows).
import { svg } from './dom.js'
import { faultsText } from './faults.js'
import { idText, plural } from './format.js'
import { fmt, point, RING_RADIUS as R } from './geometry.js'

/** @typedef {import('./scene.js').Scene} Scene */

export class NodeCircles {
  /** @type {Map<string, SVGElement>} a node's key (format.js's nodeKey) → its circle */
  #circles = new Map()

  /**
   * @param {SVGGElement} layer
   * @param {(key: string | null, toggle: boolean) => void} onSelect a node was selected, by its key (null: none)
   * @param {(address: string) => void} onChoose a node was shift-clicked (or Shift+Enter): its process in or out of a partition's side
   */
  constructor(layer, onSelect, onChoose) {
    this.layer = layer
    this.onSelect = onSelect
    this.onChoose = onChoose
  }

  /** The circles for the frame's nodes: new ones made, gone ones removed, every one's attributes set. */
  sync(/** @type {Scene} */ { ring, nodes, r, selected, chosen }) {
    const wanted = new Set(nodes.map((n) => n.key))
    for (const [key, element] of this.#circles) {
      if (wanted.has(key)) continue
      element.remove()
      this.#circles.delete(key)
    }
    const focused = document.activeElement
    nodes.forEach((n, order) => {
      const c = this.#circleOf(n)
      if (this.layer.children[order] !== c) this.layer.insertBefore(c, this.layer.children[order] || null)
      const [x, y] = point(n.angle, R)
      const isSelected = selected === n.key
      const isChosen = chosen.has(n.address)
      const side = n.faults ? n.faults.side : null
      const slowMs = n.faults ? n.faults.slowMs : 0
      const faults = faultsText(n.faults)
      const state = (n.live ? `${plural(n.owned, 'key')}, ${n.live.status}` : `not answering (${n.error || 'no reply'})`) + (faults ? `, ${faults}` : '')
      const processClass = n.colour === null ? '' : `process process-${n.colour}`
      const classes = ['node', processClass, n.live ? '' : 'dead', isSelected ? 'selected' : '', side ? `side side-${side}` : '', slowMs > 0 ? 'slow' : '', isChosen ? 'chosen' : '']
      const name = n.colour === null ? `node @${n.port}` : `virtual node #${n.vnode} of process @${n.port}`
      const attributes = { class: classes.filter(Boolean).join(' '), cx: fmt(x), cy: fmt(y), r, 'data-port': n.port, 'data-id': n.id, 'data-keys': n.owned, 'aria-pressed': String(isSelected), 'aria-label': `${name}, ${idText(n.id, ring.bits)}, ${state}${isChosen ? ', chosen for the side to cut off' : ''}` }
      for (const [k, v] of Object.entries(attributes)) c.setAttribute(k, String(v))
      // For the browser test and anyone inspecting: the side of a partition, the slowness, the choice.
      const data = { 'data-side': side, 'data-slow-ms': slowMs > 0 ? slowMs : null, 'data-chosen': isChosen ? 'true' : null, 'data-vnode': n.colour === null ? null : n.vnode }
      for (const [k, v] of Object.entries(data)) {
        if (v === null) c.removeAttribute(k)
        else c.setAttribute(k, String(v))
      }
      const title = c.querySelector('title') ?? svg('title', {}, c)
      title.textContent = `@${n.port}${n.colour === null ? '' : ` #${n.vnode}`}  ${n.id}\n${state}${n.live ? `\n${n.held} copies held` : ''}`
    })
    if (focused instanceof SVGElement && focused !== document.activeElement && focused.isConnected) focused.focus()
  }

  /** The node's circle, made (focusable, clickable) the first time. */
  #circleOf(/** @type {{ key: string, address: string }} */ { key, address }) {
    const known = this.#circles.get(key)
    if (known) return known
    const c = svg('circle', { tabindex: 0, role: 'button' })
    c.addEventListener('click', (event) => (event.shiftKey ? this.onChoose(address) : this.onSelect(key, true)))
    c.addEventListener('keydown', (event) => this.#onKey(event, key, address))
    this.#circles.set(key, c)
    return c
  }

  /** Enter or Space selects (with Shift: chooses for a partition's side), Escape clears, the arrow keys move along the ring. */
  #onKey(/** @type {KeyboardEvent} */ event, /** @type {string} */ key, /** @type {string} */ address) {
    const circles = [...this.layer.children]
    const index = circles.indexOf(/** @type {SVGElement} */ (this.#circles.get(key)))
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      if (event.shiftKey) this.onChoose(address)
      else this.onSelect(key, true)
    } else if (event.key === 'Escape') {
      this.onSelect(null, false)
    } else if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(event.key) && circles.length > 0) {
      event.preventDefault()
      const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : -1
      const next = circles[(index + step + circles.length) % circles.length]
      if (next instanceof SVGElement) next.focus()
    }
  }
}
