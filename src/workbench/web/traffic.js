// @ts-check
// Messages on the identifier circle: a replay's chords (the ones already sent thin, the current one
// bold with its dot travelling from sender to receiver), and the live maintenance traffic as faint
// chords that draw themselves and fade, each in its own layer so neither disturbs the other.
import { clear, svg } from './dom.js'
import { along, angleOf, CLIENT_POINT, fmt, messageChord, point, pt, RING_RADIUS as R } from './geometry.js'
import { partyName } from './replay.js'

/** @typedef {import('./replay.js').Message} Message */
/** @typedef {import('./api.js').Peer} Peer */
/** @typedef {import('./geometry.js').Chord} Chord */

/** Live chords on screen at most: the oldest go first. */
const MAX_LIVE_CHORDS = 240
/** A batch of live messages is spread over this long, in the order they were sent. */
const LIVE_SPREAD_MS = 1000

/** The way one message travels on a ring of `bits`-bit ids whose nodes have radius r. */
function chordOf(/** @type {Message} */ m, /** @type {number} */ bits, /** @type {number} */ r) {
  const angle = (/** @type {Peer | null} */ p) => (p ? angleOf(p.id, bits) : null)
  return messageChord(angle(m.from), angle(m.to), R - r - 2)
}

/**
 * The replay on the ring, in its own layer.
 * @param {SVGGElement} layer
 */
export function createReplayDrawing(layer) {
  /** @type {Chord[]} */
  let chords = []
  /** @type {SVGElement[]} */
  let paths = []
  /** @type {readonly Message[]} */
  let shown = []
  let shownFor = ''
  /** @type {SVGElement | null} */
  let dot = null
  /** @type {SVGElement | null} */
  let halo = null
  let current = -1
  let bits = 0
  let nodeR = 0

  /** The client's mark outside the circle, when the trace has a client. */
  function drawClient() {
    const [x, y] = CLIENT_POINT
    const g = svg('g', { class: 'client-mark' }, layer)
    svg('rect', { x: fmt(x - 34), y: fmt(y - 15), width: 68, height: 30, rx: 8 }, g)
    svg('text', { x: fmt(x), y: fmt(y + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, g, 'client')
  }

  return {
    /**
     * Draws a replay's chords (all hidden until `step` shows them); again only when the messages or
     * the ring's geometry changed.
     * @param {readonly Message[]} messages
     * @param {number} ringBits
     * @param {number} r the nodes' radius
     * @param {ReadonlySet<string>} present the nodes on the ring now ("host:port"): the others are drawn as gone
     */
    show(messages, ringBits, r, present) {
      const parties = new Map(messages.flatMap((m) => [m.from, m.to]).filter((p) => p !== null).map((p) => [`${p.host}:${p.port}`, p]))
      const gone = [...parties].filter(([address]) => !present.has(address)).map(([, p]) => p)
      const key = `${ringBits}|${r}|${gone.map((p) => p.port).join(',')}`
      if (messages === shown && key === shownFor) return
      bits = ringBits
      nodeR = r
      shown = messages
      shownFor = key
      clear(layer)
      current = -1
      if (messages.some((m) => m.from === null || m.to === null)) drawClient()
      // A party no longer on the ring (it crashed or left): where it was, dashed.
      for (const p of gone) {
        const [x, y] = point(angleOf(p.id, bits), R)
        svg('circle', { class: 'replay-ghost', cx: fmt(x), cy: fmt(y), r, 'data-port': p.port }, layer)
        const [lx, ly] = point(angleOf(p.id, bits), R - r - 18)
        svg('text', { class: 'replay-ghost-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, layer, `@${p.port} gone`)
      }
      chords = messages.map((m) => chordOf(m, bits, r))
      paths = chords.map((c, i) => svg('path', { class: 'replay-chord future', d: `M ${pt(c.start)} ${c.d}`, 'data-step': i }, layer))
      halo = svg('circle', { id: 'replay-halo', r: r + 9, cx: 0, cy: 0, class: 'hidden' }, layer)
      dot = svg('circle', { id: 'replay-dot', r: 9, cx: 0, cy: 0, class: 'hidden' }, layer)
    },

    /**
     * Message `index` on its way: `travel` from 0 (at its sender) to 1 (arrived).
     * @param {number} index
     * @param {number} travel
     */
    step(index, travel) {
      const c = chords[index]
      const m = shown[index]
      if (!c || !m || !dot || !halo) return
      if (index !== current) {
        paths.forEach((p, i) => {
          p.setAttribute('class', `replay-chord ${i < index ? 'past' : i === index ? 'current' : 'future'}`)
          if (i === index) p.setAttribute('marker-end', 'url(#arrow-replay)')
          else p.removeAttribute('marker-end')
        })
        // The current chord above the others.
        const path = paths[index]
        if (path) layer.insertBefore(path, halo)
        current = index
        dot.setAttribute('class', m.status === null || m.status >= 500 ? 'failed' : m.status >= 400 ? 'refused' : 'ok')
        dot.dataset.step = String(index)
        dot.dataset.from = partyName(m.from)
        dot.dataset.to = partyName(m.to)
        halo.setAttribute('class', '')
        // Round the receiver: the node itself on the circle, or the client's mark.
        const [hx, hy] = m.to ? point(angleOf(m.to.id, bits), R) : CLIENT_POINT
        halo.setAttribute('cx', fmt(hx))
        halo.setAttribute('cy', fmt(hy))
        halo.setAttribute('r', fmt(m.to ? nodeR + 9 : 42))
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
     * @param {number} bits
     * @param {number} r
     */
    add(messages, bits, r) {
      if (messages.length === 0) return
      const first = Math.min(...messages.map((m) => m.start))
      const last = Math.max(...messages.map((m) => m.start))
      const scale = last > first ? Math.min(1, LIVE_SPREAD_MS / (last - first)) : 1
      for (const m of messages) {
        const c = chordOf(m, bits, r)
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
