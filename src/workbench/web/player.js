// @ts-check
// The replay: a trace laid out as the terminal and the SVG writer lay it out (render/sequence-layout.js:
// broadcasts folded, maintenance only when the trace is nothing else), played row by row. It keeps
// three views on the same step of the timeline (replay.js): the card's controls and details
// (replay-controls.js), the sequence diagram (sequence.js) and the dot on the ring (traffic.js). The
// clock is requestAnimationFrame, running only while playing.
import { rowParties, sequenceLayout } from '../render/sequence-layout.js'
import { byId } from './dom.js'
import { ReplayControls } from './replay-controls.js'
import { isAtEnd, regrow, seek, startReplay, stepBy, stepTiming, tick, togglePlaying, travelOf } from './replay.js'
import { SequenceDiagram } from './sequence.js'

/** @typedef {import('./api.js').Message} Message */
/** @typedef {import('./replay.js').ReplayState} ReplayState */
/** @typedef {import('../render/sequence-layout.js').SequenceLayout} SequenceLayout */
/** @typedef {import('./traffic.js').ReplayDrawing} ReplayDrawing */
/** @typedef {import('./traffic.js').RingPlaces} RingPlaces */
/** @typedef {{ title: string, traceId: string | null, messages: Message[], maintenance?: boolean }} Replay maintenance: draw the maintenance rounds' messages too (a model checker's counterexample is made of them) */

const HINT = 'Store or look up a value, or add, leave or crash a node: its messages are replayed here one by one, on the ring and in the sequence diagram.'

/** Calls `onFrame` with the time since the last frame, every animation frame while running. */
class AnimationClock {
  #frame = 0
  #lastTime = 0

  constructor(/** @type {(dtMs: number) => void} */ onFrame) {
    this.onFrame = onFrame
  }

  start() {
    if (this.#frame) return
    this.#lastTime = performance.now()
    this.#frame = requestAnimationFrame((now) => this.#tick(now))
  }

  #tick(/** @type {number} */ now) {
    this.#frame = 0
    const dt = Math.min(100, now - this.#lastTime)
    this.#lastTime = now
    this.onFrame(dt)
  }

  stop() {
    if (this.#frame) cancelAnimationFrame(this.#frame)
    this.#frame = 0
  }
}

export class Player {
  /** @type {Replay | null} */
  #replay = null
  /** @type {SequenceLayout | null} */
  #layout = null
  /** The layout's rows as the ring draws them (the same array while the layout stays: the drawing redraws on a new one). */
  /** @type {import('../render/trace-rows.js').TraceRow[]} */
  #ringRows = []
  /** @type {ReplayState} */
  #state = startReplay(0)
  #timing = stepTiming(0)
  #shownStep = -1
  #clock = new AnimationClock((dt) => this.#apply(tick(this.#state, dt, this.#timing)))
  #controls = new ReplayControls({
    toggle: () => this.#apply(togglePlaying(this.#state, this.#timing)),
    seek: (index) => this.#apply(seek(this.#state, index, this.#timing)),
    step: (delta) => this.#apply(stepBy(this.#state, delta, this.#timing)),
    active: () => this.#replay !== null,
  })
  #sequence = new SequenceDiagram(byId('sequence-lanes', SVGSVGElement), byId('sequence', SVGSVGElement), byId('sequence-box', HTMLElement), (index) =>
    this.#apply(seek(this.#state, index, this.#timing)),
  )

  /**
   * @param {ReplayDrawing} drawing the replay's layer on the ring
   * @param {() => RingPlaces | null} places the ring as drawn now (null before the first picture)
   */
  constructor(drawing, places) {
    this.drawing = drawing
    this.places = places
  }

  /** Plays a new replay from its first row. */
  load(/** @type {Replay} */ next) {
    this.#clock.stop()
    this.#replay = next
    this.#show(sequenceLayout(next.messages, { maintenance: next.maintenance === true }))
    this.#controls.reset(next.title, this.#layout?.rows.length ?? 0, next.traceId ?? '')
    this.drawing.clear()
    if (this.#layout?.rows.length) this.#apply(startReplay(this.#layout.rows.length))
    else this.#controls.empty('empty')
  }

  /** The same trace with more messages (late log entries): the row on screen stays on screen. */
  update(/** @type {Message[]} */ messages) {
    if (!this.#replay || !this.#layout || messages.length <= this.#replay.messages.length) return
    const before = spansOf(this.#layout)
    this.#replay = { ...this.#replay, messages }
    this.#show(sequenceLayout(messages, { maintenance: this.#replay.maintenance === true }))
    this.#controls.reset(this.#replay.title, this.#layout.rows.length, this.#replay.traceId ?? '')
    this.#apply(regrow(this.#state, before, spansOf(this.#layout)))
  }

  /** Says what is coming (a repair being watched, a trace being fetched) without a replay yet. */
  waiting(/** @type {string} */ text) {
    this.#clock.stop()
    this.#replay = null
    this.#layout = null
    this.#state = startReplay(0)
    this.#controls.reset(text, 0, '')
    this.#controls.empty('waiting')
    this.#sequence.clear()
    this.drawing.clear()
  }

  /** No replay: the hint. */
  clear() {
    this.waiting(HINT)
    this.#controls.empty('empty')
  }

  /** The trace on screen (for a refetch), or null. */
  get traceId() {
    return this.#replay ? this.#replay.traceId : null
  }

  /** The ring was drawn again (nodes came or went): the replay's chords follow it. */
  redraw() {
    const places = this.places()
    if (!this.#layout || !places) return
    this.drawing.show(this.#ringRows, places)
    this.drawing.step(this.#state.index, travelOf(this.#state, this.#timing))
  }

  #show(/** @type {SequenceLayout} */ layout) {
    this.#layout = layout
    this.#ringRows = layout.rows.map((r) => r.row)
    this.#timing = stepTiming(layout.rows.length)
    this.#shownStep = -1
    this.#sequence.show(layout)
  }

  /** A new state from a button, the slider, the diagram or the clock. */
  #apply(/** @type {ReplayState} */ next) {
    this.#state = next
    this.#showStep()
    this.redraw()
    if (this.#state.playing) this.#clock.start()
  }

  /** Everything that shows the step: only when it changed (the dot moves every frame). */
  #showStep() {
    const layout = this.#layout
    const row = layout?.rows[this.#state.index]
    if (!layout || !row) return
    const state = this.#state
    this.#controls.showPlaying(state.playing ? 'playing' : isAtEnd(state, this.#timing) ? 'ended' : 'paused')
    if (state.index === this.#shownStep) return
    this.#shownStep = state.index
    const { route, status, duration, summary, task, outcome } = row.row
    this.#controls.showRow(state.index, layout.rows.length, { route, parties: rowParties(layout, row), status, failed: outcome !== 'ok', duration, task: task ?? '', summary })
    this.#sequence.highlight(state.index)
  }
}

/** The span of each row's first message: what regrow follows across a trace that grew. */
function spansOf(/** @type {SequenceLayout} */ layout) {
  return layout.rows.map((r) => r.row.messages[0]?.spanId ?? '')
}
