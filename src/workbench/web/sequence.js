// @ts-check
// The replay's sequence diagram, drawn in an <svg> from the layout the terminal and the SVG writer
// draw too (render/sequence-layout.js), at the places render/sequence-geometry.js gives: one lane per
// party, one arrow per row in time order; the current row highlighted, the ones still to come faint;
// a click on a row goes to it.
import { arrowEnd, PAGE, pageGeometry } from '../render/sequence-geometry.js'
import { rowParties } from '../render/sequence-layout.js'
import { clear, svg } from './dom.js'
import { fmt } from './geometry.js'

/** @typedef {import('../render/sequence-layout.js').SequenceLayout} SequenceLayout */
/** @typedef {import('../render/sequence-geometry.js').SequenceGeometry} SequenceGeometry */

/** The height of the lanes' names above the diagram. */
const HEAD_HEIGHT = 26
const { rowHeight: ROW_HEIGHT, selfLoop: SELF_LOOP } = PAGE

export class SequenceDiagram {
  /** @type {SVGElement[]} */
  #rows = []
  /** @type {SequenceGeometry | null} */
  #geometry = null

  /**
   * The diagram in `element` (an <svg> inside a scrolling box), the lanes' names in `head` (an <svg>
   * that stays at the top of the box as it scrolls); a click on a row seeks there.
   * @param {SVGSVGElement} head
   * @param {SVGSVGElement} element
   * @param {HTMLElement} scroller the box that scrolls the diagram
   * @param {(index: number) => void} onSeek
   */
  constructor(head, element, scroller, onSeek) {
    this.head = head
    this.element = element
    this.scroller = scroller
    this.onSeek = onSeek
  }

  /** Draws a new diagram; nothing is highlighted until `highlight`. */
  show(/** @type {SequenceLayout} */ layout) {
    const { head, element } = this
    const body = /** @type {SVGGElement} */ (element.querySelector('g.sequence-body') ?? svg('g', { class: 'sequence-body' }, element))
    clear(body)
    const geometry = pageGeometry(layout, this.scroller.clientWidth || 420)
    this.#geometry = geometry
    for (const [target, height] of /** @type {const} */ ([[element, geometry.height], [head, HEAD_HEIGHT]])) {
      target.setAttribute('viewBox', `0 0 ${fmt(geometry.width)} ${fmt(height)}`)
      target.setAttribute('width', fmt(geometry.width))
      target.setAttribute('height', fmt(height))
    }
    clear(head)
    layout.lanes.forEach((lane, i) => {
      const x = /** @type {number} */ (geometry.laneX[i])
      svg('line', { class: 'lifeline', x1: fmt(x), y1: 0, x2: fmt(x), y2: fmt(geometry.height - 6) }, body)
      svg('text', { class: `lane-name${lane.kind === 'node' ? '' : ` ${lane.kind}`}`, x: fmt(x), y: 17, 'text-anchor': 'middle', 'data-lane': lane.key }, head, lane.label)
    })
    this.#rows = layout.rows.map((row, index) => {
      const at = /** @type {import('../render/sequence-geometry.js').RowGeometry} */ (geometry.rows[index])
      const g = svg('g', { class: `seq-row future ${row.row.outcome}`, 'data-step': index, 'data-span': row.row.messages[0]?.spanId, 'data-from': row.from, 'data-to': row.to }, body)
      svg('rect', { class: 'seq-band', x: 0, y: fmt(at.y - ROW_HEIGHT + 10), width: fmt(geometry.width), height: ROW_HEIGHT }, g)
      svg('text', { class: 'seq-number', x: 4, y: fmt(at.y + 4) }, g, String(index + 1))
      const d = at.self ? `M ${fmt(at.x1)} ${fmt(at.y - 5)} h ${SELF_LOOP} v 10 h ${-SELF_LOOP + 4}` : `M ${fmt(at.x1)} ${fmt(at.y)} L ${fmt(arrowEnd(at, 4))} ${fmt(at.y)}`
      svg('path', { class: 'seq-arrow', d, 'marker-end': 'url(#seq-head)' }, g)
      svg('text', { class: 'seq-label', x: fmt(at.labelX), y: fmt(at.y - 6), 'text-anchor': at.anchor }, g, row.label)
      svg('title', {}, g, `${index + 1}. ${rowParties(layout, row)}: ${row.summary}`)
      g.addEventListener('click', () => this.onSeek(index))
      return g
    })
  }

  /** The row on screen: highlighted, those before it plain, those after it faint; scrolled into view. */
  highlight(/** @type {number} */ index) {
    this.#rows.forEach((g, i) => {
      g.classList.toggle('current', i === index)
      g.classList.toggle('past', i < index)
      g.classList.toggle('future', i > index)
      g.querySelector('.seq-arrow')?.setAttribute('marker-end', i === index ? 'url(#seq-head-current)' : 'url(#seq-head)')
    })
    const row = this.#geometry?.rows[index]
    if (!row) return
    // Scroll the box, never the page (the rows start below the lanes' names, which stay in view).
    const top = row.y - ROW_HEIGHT * 1.5
    const bottom = row.y + ROW_HEIGHT + HEAD_HEIGHT
    const { scroller } = this
    if (top < scroller.scrollTop) scroller.scrollTop = Math.max(0, top)
    else if (bottom > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = bottom - scroller.clientHeight
  }

  clear() {
    const body = this.element.querySelector('g.sequence-body')
    if (body) clear(body)
    this.#rows = []
    clear(this.head)
    this.element.setAttribute('height', '0')
    this.head.setAttribute('height', '0')
  }
}
