// @ts-check
// Messages on the identifier circle: a replay's chords, a row of its diagram at a time (the rows
// already sent thin, the current one bold with its dot travelling from sender to receiver; a folded
// broadcast lights all its chords at once), and the live maintenance traffic as faint chords that draw
// themselves and fade, each in its own layer so neither disturbs the other. A node is where the ring
// draws it (its spread angle: geometry.js), a node no longer on the ring at its id's angle.
import { outcomeOf, partyLabeller } from '../render/message-format.js'
import { clear, svg } from './dom.js'
import { along, angleOf, CLIENT_POINT, fmt, messageChord, point, pt, RING_RADIUS as R } from './geometry.js'

/** @typedef {import('./api.js').Message} Message */
/** @typedef {import('./api.js').Peer} Peer */
/** @typedef {import('./geometry.js').Chord} Chord */
/**
 * The ring as drawn now: its id width, the nodes' radius, and where each node on it is drawn
 * (its id → its angle: a process's virtual nodes are drawn apart).
 * @typedef {{ bits: number, r: number, nodes: ReadonlyMap<string, number> }} RingPlaces
 */
/** @typedef {ReturnType<typeof createReplayDrawing>} ReplayDrawing */

/** Live chords on screen at most: the oldest go first. */
const MAX_LIVE_CHORDS = 240
/** A batch of live messages is spread over this long, in the order they were sent. */
const LIVE_SPREAD_MS = 1000

/** Where a party is drawn: a node where the ring draws it (or at its id, when gone), the client (null) outside. */
function placeOf(/** @type {Peer | null} */ p, /** @type {RingPlaces} */ places) {
  return p ? (places.nodes.get(p.id) ?? angleOf(p.id, places.bits)) : null
}

/** The way one message travels on the ring as drawn. */
function chordOf(/** @type {Message} */ m, /** @type {RingPlaces} */ places) {
  return messageChord(placeOf(m.from, places), placeOf(m.to, places), R - places.r - 2)
}

/**
 * The replay on the ring, in its own layer.
 * @param {SVGGElement} layer
 */
export function createReplayDrawing(layer) {
  /** @type {Chord[][]} each row's chords, its first message's first */
  let chords = []
  /** @type {SVGElement[][]} */
  let paths = []
  /** @type {readonly { messages: readonly Message[] }[]} */
  let shown = []
  let shownFor = ''
  /** @type {RingPlaces} */
  let places = { bits: 0, r: 0, nodes: new Map() }
  /** @type {SVGElement | null} */
  let dot = null
  /** @type {SVGElement | null} */
  let halo = null
  let current = -1

  /** The client's mark outside the circle, when the trace has a client. */
  function drawClient() {
    const [x, y] = CLIENT_POINT
    const g = svg('g', { class: 'client-mark' }, layer)
    svg('rect', { x: fmt(x - 34), y: fmt(y - 15), width: 68, height: 30, rx: 8 }, g)
    svg('text', { x: fmt(x), y: fmt(y + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, g, 'client')
  }

  return {
    /**
     * Draws a replay's chords, a group per row (all hidden until `step` shows them); again only when
     * the rows or the ring as drawn changed.
     * @param {readonly { messages: readonly Message[] }[]} rows
     * @param {RingPlaces} ring
     */
    show(rows, ring) {
      const messages = rows.flatMap((row) => row.messages)
      const parties = new Map(messages.flatMap((m) => [m.from, m.to]).filter((p) => p !== null).map((p) => [p.id, p]))
      const gone = [...parties].filter(([id]) => !ring.nodes.has(id)).map(([, p]) => p)
      const key = `${ring.bits}|${ring.r}|${[...ring.nodes].map(([a, angle]) => `${a}@${angle.toFixed(4)}`).join(',')}`
      if (rows === shown && key === shownFor) return
      places = ring
      shown = rows
      shownFor = key
      clear(layer)
      current = -1
      if (messages.some((m) => m.from === null || m.to === null)) drawClient()
      // A party no longer on the ring (it crashed or left): where it was, dashed.
      for (const p of gone) {
        const [x, y] = point(angleOf(p.id, ring.bits), R)
        svg('circle', { class: 'replay-ghost', cx: fmt(x), cy: fmt(y), r: ring.r, 'data-port': p.port }, layer)
        const [lx, ly] = point(angleOf(p.id, ring.bits), R - ring.r - 18)
        svg('text', { class: 'replay-ghost-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, layer, `@${p.port} gone`)
      }
      chords = rows.map((row) => row.messages.map((m) => chordOf(m, ring)))
      paths = chords.map((row, i) => row.map((c) => svg('path', { class: 'replay-chord future', d: `M ${pt(c.start)} ${c.d}`, 'data-step': i }, layer)))
      halo = svg('circle', { id: 'replay-halo', r: ring.r + 9, cx: 0, cy: 0, class: 'hidden' }, layer)
      dot = svg('circle', { id: 'replay-dot', r: 9, cx: 0, cy: 0, class: 'hidden' }, layer)
    },

    /**
     * Message `index` on its way: `travel` from 0 (at its sender) to 1 (arrived).
     * @param {number} index
     * @param {number} travel
     */
    step(index, travel) {
      const c = chords[index]?.[0]
      const m = shown[index]?.messages[0]
      if (!c || !m || !dot || !halo) return
      if (index !== current) {
        paths.forEach((row, i) =>
          row.forEach((p) => {
            p.setAttribute('class', `replay-chord ${i < index ? 'past' : i === index ? 'current' : 'future'}`)
            if (i === index) p.setAttribute('marker-end', 'url(#arrow-replay)')
            else p.removeAttribute('marker-end')
          }),
        )
        // The current chords above the others.
        for (const path of paths[index] ?? []) layer.insertBefore(path, halo)
        current = index
        const label = partyLabeller([])
        dot.setAttribute('class', outcomeOf(m))
        dot.dataset.step = String(index)
        dot.dataset.from = label(m.from)
        dot.dataset.to = label(m.to)
        halo.setAttribute('class', '')
        // Round the receiver: the node itself on the circle, or the client's mark.
        const to = placeOf(m.to, places)
        const [hx, hy] = to === null ? CLIENT_POINT : point(to, R)
        halo.setAttribute('cx', fmt(hx))
        halo.setAttribute('cy', fmt(hy))
        halo.setAttribute('r', fmt(m.to ? places.r + 9 : 42))
      }
      const [x, y] = along(c, travel)
      dot.setAttribute('cx', fmt(x))
      dot.setAttribute('cy', fmt(y))
      dot.dataset.travel = travel.toFixed(2)
      halo.classList.toggle('arrived', travel >= 1)
    },

    clear() {
      clear(layer)
      chords = []
      paths = []
      shown = []
      shownFor = ''
      dot = null
      halo = null
      current = -1
    },
  }
}

/**
 * The live maintenance traffic, in its own layer: each message a faint chord that draws itself from
 * sender to receiver and fades, a batch spread over a second in the order its messages were sent.
 * @param {SVGGElement} layer
 */
export function createLiveTraffic(layer) {
  return {
    /**
     * @param {readonly Message[]} messages new ones, in time order
     * @param {RingPlaces} places
     */
    add(messages, places) {
      if (messages.length === 0) return
      const first = Math.min(...messages.map((m) => m.start))
      const last = Math.max(...messages.map((m) => m.start))
      const scale = last > first ? Math.min(1, LIVE_SPREAD_MS / (last - first)) : 1
      for (const m of messages) {
        const c = chordOf(m, places)
        const path = svg('path', { class: `traffic task-${m.task ?? 'client'}`, d: `M ${pt(c.start)} ${c.d}`, pathLength: 1, 'data-task': m.task ?? '' }, layer)
        // Through the CSSOM, not a style attribute: the page's Content-Security-Policy forbids inline styles.
        path.style.animationDelay = `${Math.round((m.start - first) * scale)}ms`
        path.addEventListener('animationend', () => path.remove())
      }
      while (layer.childElementCount > MAX_LIVE_CHORDS) layer.firstElementChild?.remove()
    },
    clear() {
      clear(layer)
    },
  }
}
