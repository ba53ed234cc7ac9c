// @ts-check
// The identifier circle in SVG: the axis, successor arcs, keys, the selected node's fingers, the nodes
// (kept as the same elements across frames, so focus and Tab order survive a refresh) coloured by
// their side of a partition, slow ones ringed, those chosen for a partition outlined, their labels
// placed apart (geometry.js), and the route of the last store or lookup (its messages are replayed on
// top of it by traffic.js).
import { clear, svg } from './dom.js'
import { faultsText } from './faults.js'
import { addressOf, idText, plural, quarterLabel, shortId, sup } from './format.js'
import { along, angleOf, angularDistance, arcPath, chord, clockwise, fmt, nodeRadius, placeLabels, point, pt, RING_RADIUS as R } from './geometry.js'

/** @typedef {import('./api.js').NodeInfo} NodeInfo */
/** @typedef {import('./api.js').RingView} RingView */
/** @typedef {import('./api.js').ValueReply} ValueReply */
/**
 * A node as drawn: where it sits, and its info when it answered (null when it is dead).
 * @typedef {import('./api.js').RingNode & { address: string, angle: number, live: NodeInfo | null }} DrawnNode
 */
/**
 * Everything one frame is drawn from; `chosen`: the nodes chosen for a partition's side (shift-click).
 * @typedef {{ ring: RingView, nodes: DrawnNode[], byAddress: Map<string, DrawnNode>, r: number, selected: string | null, route: ValueReply | null, chosen: ReadonlySet<string> }} Scene
 */
/** @typedef {Record<'axis' | 'succ' | 'keys' | 'fingers' | 'route' | 'faults' | 'nodes' | 'labels' | 'hops', SVGGElement>} Layers */

/** Labels start this far outside a node's edge. */
const LABEL_GAP = 16
/** A slow node's ring lies this far outside its circle. */
const SLOW_RING_GAP = 6

/** What a drawn route depends on: a change redraws it. */
function routeKey(/** @type {Pick<Scene, 'ring' | 'r' | 'route'>} */ { ring, r, route }) {
  return `${ring.bits}|${r}|${route ? `${route.op}|${route.key}|${route.entry.port}` : ''}`
}

/**
 * The frame to draw: each node placed at its id's angle, with its info only when it answered.
 * @param {RingView} ring
 * @param {string | null} selected
 * @param {ValueReply | null} route
 * @param {ReadonlySet<string>} [chosen]
 * @returns {Scene}
 */
export function sceneOf(ring, selected, route, chosen = new Set()) {
  /** @type {Map<string, DrawnNode>} */
  const byAddress = new Map()
  const nodes = ring.nodes.map((n) => {
    const drawn = { ...n, address: addressOf(n), angle: angleOf(n.id, ring.bits), live: n.info && !n.error ? n.info : null }
    byAddress.set(drawn.address, drawn)
    return drawn
  })
  return { ring, nodes, byAddress, r: nodeRadius(nodes.length), selected, route, chosen }
}

/**
 * The drawing on the page's <svg>; it remembers what it drew so unchanged layers are not rebuilt.
 * @param {Layers} layers
 * @param {(address: string | null, toggle: boolean) => void} onSelect a node was selected (null: none)
 * @param {(address: string) => void} onChoose a node was shift-clicked (or Shift+Enter): in or out of a partition's side
 */
export function createDrawing(layers, onSelect, onChoose) {
  let axisFor = ''
  let keysFor = ''
  let routeFor = ''
  /** @type {Map<string, SVGElement>} "host:port" → its circle */
  const nodeEls = new Map()

  /** @param {Scene} scene */
  function drawAxis({ ring, nodes }) {
    const alive = nodes.filter((n) => n.live).length
    const key = `${ring.bits}|${ring.keyCount}|${ring.replicas}|${ring.routeMode}|${nodes.map((n) => n.id + !n.live).join(',')}`
    if (axisFor === key) return
    axisFor = key
    const g = layers.axis
    clear(g)
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
    svg('text', { class: 'center-big', x: 0, y: -18, 'text-anchor': 'middle' }, g, plural(alive, 'node'))
    svg('text', { class: 'center-small', x: 0, y: 16, 'text-anchor': 'middle' }, g, `${plural(ring.keyCount, 'key')} · ${ring.bits}-bit ids (2${sup(ring.bits)})`)
    const dead = nodes.length - alive
    if (dead > 0) svg('text', { class: 'center-warn', x: 0, y: 44, 'text-anchor': 'middle' }, g, `${dead} not answering`)
    else svg('text', { class: 'center-small', x: 0, y: 44, 'text-anchor': 'middle' }, g, `r = ${ring.replicas} copies · routing by ${ring.routeMode}`)
  }

  /** @param {Scene} scene */
  function drawSuccessors({ ring, nodes, byAddress, r }) {
    const g = layers.succ
    clear(g)
    const arrows = nodes.length <= 64
    for (const n of nodes) {
      if (!n.live) continue
      const s = n.live.successor
      if (s.id === n.id) {
        svg('circle', { class: 'succ', cx: 0, cy: 0, r: R }, g)
        continue
      }
      const target = byAddress.get(addressOf(s))
      const to = angleOf(s.id, ring.bits)
      // Stop at the edge of both circles, so the arrow head is visible.
      const pad = (r + 3) / R
      if (clockwise(n.angle, to) <= 2 * pad) continue
      svg('path', { class: target && target.live ? 'succ' : 'succ broken', d: arcPath(n.angle + pad, to - pad, R), 'marker-end': arrows ? 'url(#arrow-succ)' : undefined }, g)
    }
  }

  /** @param {Scene} scene */
  function drawKeys({ ring }) {
    const key = `${ring.bits}|${ring.keys.length}|${ring.keys.map((k) => k.key + (k.owner ?? '-')).join(',')}`
    if (keysFor === key) return
    keysFor = key
    const g = layers.keys
    clear(g)
    const titles = ring.keys.length <= 600
    const dot = ring.keys.length > 1000 ? 2.5 : 3.5
    for (const k of ring.keys) {
      const [x, y] = point(angleOf(k.key, ring.bits), R - 20)
      const c = svg('circle', { class: k.owner == null ? 'key orphan' : 'key', cx: fmt(x), cy: fmt(y), r: dot, 'data-key': k.key }, g)
      if (titles) svg('title', {}, c, `key ${shortId(k.key, ring.bits)}: ${JSON.stringify(k.value)}${k.owner != null ? ` on @${k.owner}` : ' (no owner answering)'}`)
    }
  }

  /** @param {Scene} scene */
  function drawFingers({ ring, byAddress, r, selected }) {
    const g = layers.fingers
    clear(g)
    const node = selected ? byAddress.get(selected) : undefined
    if (!node || !node.live) return
    const seen = new Set()
    for (const f of node.live.fingers) {
      const address = addressOf(f.node)
      if (f.node.id === node.id || seen.has(address)) continue
      seen.add(address)
      const target = byAddress.get(address)
      const c = chord(node.angle, angleOf(f.node.id, ring.bits), R - r - 2, R - r - 2)
      svg('path', { class: target && target.live ? 'finger' : 'finger dead', d: `M ${pt(c.start)} ${c.d}`, 'marker-end': 'url(#arrow-finger)', 'data-finger': f.index, 'data-port': f.node.port }, g)
      const [lx, ly] = along(c, 0.8)
      svg('text', { class: 'finger-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, g, `f${f.index}`)
    }
  }

  /** A dashed ring around each slow node, under the circles. */
  function drawFaults(/** @type {Scene} */ { nodes, r }) {
    const g = layers.faults
    clear(g)
    for (const n of nodes) {
      if (!n.faults || n.faults.slowMs === 0) continue
      const [x, y] = point(n.angle, R)
      svg('circle', { class: 'slow-ring', cx: fmt(x), cy: fmt(y), r: r + SLOW_RING_GAP, 'data-port': n.port }, g)
    }
  }

  /** The nodes' circles: the same element per node across frames, in ring order (so Tab follows the ring). */
  function syncNodes(/** @type {Scene} */ { ring, nodes, r, selected, chosen }) {
    const g = layers.nodes
    const wanted = new Set(nodes.map((n) => n.address))
    for (const [address, element] of nodeEls) {
      if (wanted.has(address)) continue
      element.remove()
      nodeEls.delete(address)
    }
    const focused = document.activeElement
    nodes.forEach((n, order) => {
      let c = nodeEls.get(n.address)
      if (!c) {
        const address = n.address
        c = svg('circle', { tabindex: 0, role: 'button' })
        c.addEventListener('click', (event) => (event.shiftKey ? onChoose(address) : onSelect(address, true)))
        c.addEventListener('keydown', (event) => onNodeKey(event, address))
        nodeEls.set(address, c)
      }
      if (g.children[order] !== c) g.insertBefore(c, g.children[order] || null)
      const [x, y] = point(n.angle, R)
      const isSelected = selected === n.address
      const isChosen = chosen.has(n.address)
      const side = n.faults ? n.faults.side : null
      const slowMs = n.faults ? n.faults.slowMs : 0
      const faults = faultsText(n.faults)
      const state = (n.live ? `${plural(n.owned, 'key')}, ${n.live.status}` : `not answering (${n.error || 'no reply'})`) + (faults ? `, ${faults}` : '')
      const classes = ['node', n.live ? '' : 'dead', isSelected ? 'selected' : '', side ? `side side-${side}` : '', slowMs > 0 ? 'slow' : '', isChosen ? 'chosen' : '']
      const attributes = { class: classes.filter(Boolean).join(' '), cx: fmt(x), cy: fmt(y), r, 'data-port': n.port, 'data-id': n.id, 'data-keys': n.owned, 'aria-pressed': String(isSelected), 'aria-label': `node @${n.port}, ${idText(n.id, ring.bits)}, ${state}${isChosen ? ', chosen for the side to cut off' : ''}` }
      for (const [k, v] of Object.entries(attributes)) c.setAttribute(k, String(v))
      // For the browser test and anyone inspecting: the side of a partition, the slowness, the choice.
      const data = { 'data-side': side, 'data-slow-ms': slowMs > 0 ? slowMs : null, 'data-chosen': isChosen ? 'true' : null }
      for (const [k, v] of Object.entries(data)) {
        if (v === null) c.removeAttribute(k)
        else c.setAttribute(k, String(v))
      }
      const title = c.querySelector('title') ?? svg('title', {}, c)
      title.textContent = `@${n.port}  ${n.id}\n${state}${n.live ? `\n${n.held} copies held` : ''}`
    })
    if (focused instanceof SVGElement && focused !== document.activeElement && focused.isConnected) focused.focus()
  }

  /** Enter or Space selects (with Shift: chooses for a partition's side), Escape clears, the arrow keys move along the ring. */
  function onNodeKey(/** @type {KeyboardEvent} */ event, /** @type {string} */ address) {
    const circles = [...layers.nodes.children]
    const index = circles.indexOf(/** @type {SVGElement} */ (nodeEls.get(address)))
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      if (event.shiftKey) onChoose(address)
      else onSelect(address, true)
    } else if (event.key === 'Escape') {
      onSelect(null, false)
    } else if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(event.key) && circles.length > 0) {
      event.preventDefault()
      const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : -1
      const next = circles[(index + step + circles.length) % circles.length]
      if (next instanceof SVGElement) next.focus()
    }
  }

  /** Each node's key count inside its circle, and its label outside, apart from the others (with a leader line when moved). */
  function drawLabels(/** @type {Scene} */ { ring, nodes, r, selected, route }) {
    const g = layers.labels
    clear(g)
    const radius = R + r + LABEL_GAP
    const twoLines = nodes.length <= 24
    const onRoute = new Set((route ? route.path : []).map(addressOf))
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
      return { key: n.address, angle: n.angle, w, h: twoLines ? 34 : 18, priority: (selected === n.address ? 10 : 0) + (onRoute.has(n.address) ? 5 : 0) + room(i) }
    })
    const placed = new Map(placeLabels(requests, radius).map((p) => [p.key, p]))
    for (const n of nodes) {
      if (r >= 11) {
        const [x, y] = point(n.angle, R)
        const text = n.live ? String(n.owned) : '×'
        const fontSize = text.length >= 3 ? r * 0.8 : r * 1.05
        svg('text', { class: `node-count${n.live ? '' : ' dead'}${selected === n.address ? ' on-selected' : ''}`, x: fmt(x), y: fmt(y + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': fmt(fontSize) }, g, text)
      }
      const label = placed.get(n.address)
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

  /**
   * The route of the last store or lookup: chords hop by hop from the node asked to the owner, the
   * key's place and the stretch of ring its owner covers, and numbered badges.
   * @param {Scene} scene
   */
  function drawRoute({ ring, r, route }) {
    clear(layers.route)
    clear(layers.hops)
    routeFor = routeKey({ ring, r, route })
    if (!route) return
    const angles = route.path.map((p) => angleOf(p.id, ring.bits))
    const keyAngle = angleOf(route.key, ring.bits)
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
    // Numbered badges: 0 is the node asked, the last one the owner.
    route.path.forEach((p, i) => {
      const [bx, by] = point(/** @type {number} */ (angles[i]), R - r - 16)
      const badge = svg('g', { class: 'hop-badge', 'data-hop': i, 'data-port': p.port }, layers.hops)
      svg('circle', { cx: fmt(bx), cy: fmt(by), r: 11 }, badge)
      svg('text', { x: fmt(bx), y: fmt(by + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, badge, String(i))
    })
  }

  return {
    /** Draws a frame; the route is redrawn only when its geometry changed. */
    draw(/** @type {Scene} */ scene) {
      drawAxis(scene)
      drawSuccessors(scene)
      drawKeys(scene)
      drawFingers(scene)
      drawFaults(scene)
      syncNodes(scene)
      drawLabels(scene)
      if (routeFor !== routeKey(scene)) drawRoute(scene)
    },
  }
}
