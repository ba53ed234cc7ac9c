// @ts-check
// The sequence diagram of a replay, drawn in an <svg> where sequence-layout.js puts its parts: one lane
// per party, one arrow per message in time order; the current message highlighted, the ones still to
// come faint; a click on a row goes to that message.
import { clear, svg } from './dom.js'
import { fmt } from './geometry.js'
import { describeMessage } from './replay.js'
import { SELF_LOOP, sequenceLayout } from './sequence-layout.js'

/** @typedef {import('./replay.js').Message} Message */
/** @typedef {import('./replay.js').Peer} Peer */

/** The height of the lanes' names above the diagram. */
const HEAD_HEIGHT = 26

/**
 * The diagram in `element` (an <svg> inside a scrolling box), the lanes' names in `head` (an <svg> that
 * stays at the top of the box as it scrolls); a click on a row seeks there.
 * @param {SVGSVGElement} head
 * @param {SVGSVGElement} element
 * @param {HTMLElement} scroller the box that scrolls the diagram
 * @param {(index: number) => void} onSeek
 */
export function createSequence(head, element, scroller, onSeek) {
  /** @type {SVGElement[]} */
  let rowEls = []
  let layout = sequenceLayout([], [], 0)

  return {
    /**
     * Draws a new diagram; nothing is highlighted until `highlight`.
     * @param {readonly Message[]} messages
     * @param {readonly (Peer | null)[]} lanes
     */
    show(messages, lanes) {
      const body = /** @type {SVGGElement} */ (element.querySelector('g.sequence-body') ?? svg('g', { class: 'sequence-body' }, element))
      clear(body)
      layout = sequenceLayout(messages, lanes, scroller.clientWidth || 420)
      element.setAttribute('viewBox', `0 0 ${fmt(layout.width)} ${fmt(layout.height)}`)
      element.setAttribute('width', fmt(layout.width))
      element.setAttribute('height', fmt(layout.height))
      clear(head)
      head.setAttribute('viewBox', `0 0 ${fmt(layout.width)} ${HEAD_HEIGHT}`)
      head.setAttribute('width', fmt(layout.width))
      head.setAttribute('height', String(HEAD_HEIGHT))
      for (const lane of layout.lanes) {
        svg('line', { class: 'lifeline', x1: fmt(lane.x), y1: 0, x2: fmt(lane.x), y2: fmt(layout.height - 6) }, body)
        svg('text', { class: `lane-name${lane.client ? ' client' : ''}`, x: fmt(lane.x), y: 17, 'text-anchor': 'middle', 'data-lane': lane.key }, head, lane.name)
      }
      rowEls = layout.rows.map((row) => {
        const m = /** @type {Message} */ (messages[row.index])
        const g = svg('g', { class: `seq-row future ${row.status}`, 'data-step': row.index, 'data-span': m.spanId }, body)
        svg('rect', { class: 'seq-band', x: 0, y: fmt(row.y - layout.rowHeight + 10), width: fmt(layout.width), height: layout.rowHeight }, g)
        svg('text', { class: 'seq-number', x: 4, y: fmt(row.y + 4) }, g, String(row.index + 1))
        const d = row.self
          ? `M ${fmt(row.x1)} ${fmt(row.y - 5)} h ${SELF_LOOP} v 10 h ${-SELF_LOOP + 4}`
          : `M ${fmt(row.x1)} ${fmt(row.y)} L ${fmt(row.x2 + (row.x2 > row.x1 ? -4 : 4))} ${fmt(row.y)}`
        svg('path', { class: 'seq-arrow', d, 'marker-end': 'url(#seq-head)' }, g)
        svg('text', { class: 'seq-label', x: fmt(row.labelX), y: fmt(row.y - 6), 'text-anchor': row.anchor }, g, row.label)
        svg('title', {}, g, `${row.index + 1}. ${describeMessage(m).parties}: ${m.summary}`)
        g.addEventListener('click', () => onSeek(row.index))
        return g
      })
    },

    /** The message on screen: highlighted, those before it plain, those after it faint; scrolled into view. */
    highlight(/** @type {number} */ index) {
      rowEls.forEach((g, i) => {
        g.classList.toggle('current', i === index)
        g.classList.toggle('past', i < index)
        g.classList.toggle('future', i > index)
        g.querySelector('.seq-arrow')?.setAttribute('marker-end', i === index ? 'url(#seq-head-current)' : 'url(#seq-head)')
      })
      const row = layout.rows[index]
      if (!row) return
      // Scroll the box, never the page (the rows start below the lanes' names, which stay in view).
      const top = row.y - layout.rowHeight * 1.5
      const bottom = row.y + layout.rowHeight + HEAD_HEIGHT
      if (top < scroller.scrollTop) scroller.scrollTop = Math.max(0, top)
      else if (bottom > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = bottom - scroller.clientHeight
    },

    clear() {
      const body = element.querySelector('g.sequence-body')
      if (body) clear(body)
      rowEls = []
      clear(head)
      element.setAttribute('height', '0')
      head.setAttribute('height', '0')
    },
  }
}
