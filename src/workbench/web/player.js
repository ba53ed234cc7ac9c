// @ts-check
// The replay card: play/pause, the slider over the messages, the current message's route, parties,
// status, duration and summary, the sequence diagram, and the dot on the ring, all kept on the same
// step of the timeline (replay.js). The clock is requestAnimationFrame, running only while playing.
// #replay carries data-state, data-step and data-count, so a test can wait for a step, not a duration.
import { byId, clear, html } from './dom.js'
import { describeMessage, isAtEnd, regrow, seek, startReplay, stepBy, stepTiming, tick, togglePlaying, travelOf } from './replay.js'
import { createSequence } from './sequence.js'

/** @typedef {import('./replay.js').Message} Message */
/** @typedef {import('./replay.js').ReplayState} ReplayState */
/** @typedef {import('./api.js').Peer} Peer */
/** @typedef {ReturnType<typeof import('./traffic.js').createReplayDrawing>} ReplayDrawing */
/** @typedef {{ title: string, traceId: string | null, messages: Message[], lanes: (Peer | null)[] }} Replay */

const HINT = 'Store or look up a value, or add, leave or crash a node: its messages are replayed here one by one, on the ring and in the sequence diagram.'

/**
 * @param {ReplayDrawing} drawing the replay's layer on the ring
 * @param {() => { bits: number, r: number, nodes: ReadonlySet<string> } | null} geometry the ring as drawn now: its id width, node radius and nodes (null before the first picture)
 */
export function createPlayer(drawing, geometry) {
  const card = byId('replay', HTMLElement)
  const title = byId('replay-title', HTMLElement)
  const play = byId('replay-play', HTMLButtonElement)
  const slider = byId('replay-slider', HTMLInputElement)
  const position = byId('replay-position', HTMLOutputElement)
  const details = byId('replay-message', HTMLElement)
  const sequence = createSequence(byId('sequence-lanes', SVGSVGElement), byId('sequence', SVGSVGElement), byId('sequence-box', HTMLElement), (index) => apply(seek(state, index, timing)))

  /** @type {Replay | null} */
  let replay = null
  /** @type {ReplayState} */
  let state = startReplay(0)
  let timing = stepTiming(0)
  let shownStep = -1
  let frame = 0
  let lastTime = 0

  /** The ring's layer, drawn for the ring as it is now. */
  function drawOnRing() {
    const g = geometry()
    if (!replay || !g) return
    drawing.show(replay.messages, g.bits, g.r, g.nodes)
    drawing.step(state.index, travelOf(state, timing))
  }

  /** Everything that shows the step: only when it changed (the dot moves every frame). */
  function showStep() {
    if (!replay) return
    const m = replay.messages[state.index]
    const count = replay.messages.length
    card.dataset.state = state.playing ? 'playing' : isAtEnd(state, timing) ? 'ended' : 'paused'
    play.textContent = state.playing ? 'Pause' : 'Play'
    play.setAttribute('aria-label', state.playing ? 'Pause the replay' : isAtEnd(state, timing) ? 'Play the replay again from the first message' : 'Play the replay from this message')
    if (state.index === shownStep || !m) return
    shownStep = state.index
    card.dataset.step = String(state.index)
    slider.value = String(state.index)
    const d = describeMessage(m)
    position.textContent = `${state.index + 1} / ${count}`
    slider.setAttribute('aria-valuetext', `message ${state.index + 1} of ${count}: ${d.route}, ${d.parties}`)
    clear(details)
    const row = (/** @type {string} */ term, /** @type {string} */ value, /** @type {string} */ id, /** @type {string} */ cls = '') => {
      details.appendChild(html('dt', {}, term))
      details.appendChild(html('dd', { id, class: cls || undefined }, value))
    }
    row('route', d.route, 'replay-route', 'mono')
    row('from → to', d.parties, 'replay-parties')
    row('status', d.status, 'replay-status', m.status !== null && m.status < 400 ? '' : 'error-text')
    row('took', d.duration, 'replay-duration')
    if (d.task) row('task', d.task, 'replay-task')
    row('summary', d.summary, 'replay-summary')
    sequence.highlight(state.index)
  }

  /** A new state from a button, the slider, the diagram or the clock. */
  function apply(/** @type {ReplayState} */ next) {
    state = next
    showStep()
    drawOnRing()
    if (state.playing && !frame) {
      lastTime = performance.now()
      frame = requestAnimationFrame(onFrame)
    }
  }

  function onFrame(/** @type {number} */ now) {
    frame = 0
    const dt = Math.min(100, now - lastTime)
    lastTime = now
    apply(tick(state, dt, timing))
  }

  function stop() {
    if (frame) cancelAnimationFrame(frame)
    frame = 0
  }

  play.addEventListener('click', () => apply(togglePlaying(state, timing)))
  slider.addEventListener('input', () => apply(seek(state, Number(slider.value), timing)))
  // The slider's own keys move by one; these step from anywhere in the card, even while playing.
  card.addEventListener('keydown', (event) => {
    if (!replay || event.target === slider || event.target instanceof HTMLInputElement) return
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault()
      apply(stepBy(state, event.key === 'ArrowRight' ? 1 : -1, timing))
    }
  })

  /** The controls for a replay of `count` messages (or none). */
  function controls(/** @type {number} */ count) {
    play.disabled = count === 0
    slider.disabled = count === 0
    slider.max = String(Math.max(0, count - 1))
    card.dataset.count = String(count)
  }

  return {
    /** Plays a new replay from its first message. */
    load(/** @type {Replay} */ next) {
      stop()
      replay = next
      timing = stepTiming(next.messages.length)
      shownStep = -1
      card.dataset.trace = next.traceId ?? ''
      title.textContent = next.title
      controls(next.messages.length)
      drawing.clear()
      sequence.show(next.messages, next.lanes)
      if (next.messages.length === 0) {
        clear(details)
        position.textContent = '–'
        card.dataset.state = 'empty'
        card.dataset.step = ''
        return
      }
      apply(startReplay(next.messages.length))
    },

    /** The same trace with more messages (late log entries): the message on screen stays on screen. */
    update(/** @type {Message[]} */ messages, /** @type {(Peer | null)[]} */ lanes) {
      if (!replay || messages.length <= replay.messages.length) return
      const before = replay.messages.map((m) => m.spanId)
      replay = { ...replay, messages, lanes }
      timing = stepTiming(messages.length)
      shownStep = -1
      controls(messages.length)
      sequence.show(messages, lanes)
      apply(regrow(state, before, messages.map((m) => m.spanId)))
    },

    /** Says what is coming (a repair being watched, a trace being fetched) without a replay yet. */
    waiting(/** @type {string} */ text) {
      stop()
      replay = null
      state = startReplay(0)
      title.textContent = text
      controls(0)
      clear(details)
      position.textContent = '–'
      sequence.clear()
      drawing.clear()
      card.dataset.state = 'waiting'
      card.dataset.step = ''
      card.dataset.trace = ''
    },

    /** No replay: the hint. */
    clear() {
      this.waiting(HINT)
      card.dataset.state = 'empty'
    },

    /** The trace on screen (for a refetch), or null. */
    get traceId() {
      return replay ? replay.traceId : null
    },

    /** The ring was drawn again (nodes came or went): the replay's chords follow it. */
    redraw: drawOnRing,
  }
}
