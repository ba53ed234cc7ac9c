// @ts-check
// The replay card's controls and what it says about the row on screen: the play/pause button, the
// slider over the rows, the position, the row's route, parties, status, duration and summary; and the
// card's data-state, data-step and data-count, so that a test can wait for a step, not a duration.
import { byId, clear, html } from './dom.js'

/** @typedef {import('./replay.js').ReplayState} ReplayState */
/** @typedef {import('./replay.js').StepTiming} StepTiming */
/** @typedef {{ route: string, parties: string, status: string, failed: boolean, duration: string, task: string, summary: string }} RowDetails */

/** What the user asks of the replay: play or pause, a row of the slider, one row back or forward. */
export class ReplayControls {
  card = byId('replay', HTMLElement)
  #title = byId('replay-title', HTMLElement)
  #play = byId('replay-play', HTMLButtonElement)
  #slider = byId('replay-slider', HTMLInputElement)
  #position = byId('replay-position', HTMLOutputElement)
  #details = byId('replay-message', HTMLElement)

  /**
   * @param {{ toggle: () => void, seek: (index: number) => void, step: (delta: number) => void, active: () => boolean }} actions
   */
  constructor(actions) {
    this.#play.addEventListener('click', () => actions.toggle())
    this.#slider.addEventListener('input', () => actions.seek(Number(this.#slider.value)))
    // The slider's own keys move by one; these step from anywhere in the card, even while playing.
    this.card.addEventListener('keydown', (event) => {
      if (!actions.active() || event.target === this.#slider || event.target instanceof HTMLInputElement) return
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        event.preventDefault()
        actions.step(event.key === 'ArrowRight' ? 1 : -1)
      }
    })
  }

  /** A replay of `count` rows (or none) under `title`. */
  reset(/** @type {string} */ title, /** @type {number} */ count, /** @type {string} */ traceId) {
    this.#title.textContent = title
    this.#play.disabled = count === 0
    this.#slider.disabled = count === 0
    this.#slider.max = String(Math.max(0, count - 1))
    this.card.dataset.count = String(count)
    this.card.dataset.trace = traceId
  }

  /** Nothing to show: `state` is 'empty' or 'waiting'. */
  empty(/** @type {'empty' | 'waiting'} */ state) {
    clear(this.#details)
    this.#position.textContent = '–'
    this.card.dataset.state = state
    this.card.dataset.step = ''
  }

  /** Playing, paused or ended, on the button and the card. */
  showPlaying(/** @type {'playing' | 'paused' | 'ended'} */ state) {
    this.card.dataset.state = state
    this.#play.textContent = state === 'playing' ? 'Pause' : 'Play'
    this.#play.setAttribute('aria-label', state === 'playing' ? 'Pause the replay' : state === 'ended' ? 'Play the replay again from the first message' : 'Play the replay from this message')
  }

  /** Row `index` of `count`: the slider, the position and the row's details. */
  showRow(/** @type {number} */ index, /** @type {number} */ count, /** @type {RowDetails} */ row) {
    this.card.dataset.step = String(index)
    this.#slider.value = String(index)
    this.#position.textContent = `${index + 1} / ${count}`
    this.#slider.setAttribute('aria-valuetext', `message ${index + 1} of ${count}: ${row.route}, ${row.parties}`)
    const details = this.#details
    clear(details)
    const item = (/** @type {string} */ term, /** @type {string} */ value, /** @type {string} */ id, /** @type {string} */ cls = '') => {
      details.appendChild(html('dt', {}, term))
      details.appendChild(html('dd', { id, class: cls || undefined }, value))
    }
    item('route', row.route, 'replay-route', 'mono')
    item('from → to', row.parties, 'replay-parties')
    item('status', row.status, 'replay-status', row.failed ? 'error-text' : '')
    item('took', row.duration, 'replay-duration')
    if (row.task) item('task', row.task, 'replay-task')
    item('summary', row.summary, 'replay-summary')
  }
}
