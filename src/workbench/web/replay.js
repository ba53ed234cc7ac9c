// @ts-check
// The replay's timeline, pure and unit-tested (test/unit/web-replay.test.ts): which row of a trace's
// diagram (a message, or a folded broadcast: render/trace-rows.ts) is on screen, how far its dot has
// travelled, playing or paused. The page (player.js) only feeds it clock ticks and the user's slider
// and buttons; what a row says comes from the render modules the terminal and the SVG writer share.

/**
 * Where the replay is: message `index` of `count`, `elapsedMs` into its step (the dot travels, then
 * rests at the receiver), whether the clock moves it on, and whether it stopped because it got to
 * the end (rather than by the user's pause).
 * @typedef {{ count: number, index: number, elapsedMs: number, playing: boolean, ended: boolean }} ReplayState
 */
/** @typedef {{ travelMs: number, holdMs: number }} StepTiming */

/** A replay lasts about this long at most: a long one (a repair) goes faster, never below MIN_TRAVEL_MS a message. */
const REPLAY_BUDGET_MS = 24_000
const MAX_TRAVEL_MS = 800
const MIN_TRAVEL_MS = 180
/** After its dot arrives, a message stays on screen this share of its travel time before the next one. */
const HOLD_SHARE = 0.45

/**
 * How long each message takes: a short trace at a pace that can be followed, a long one faster.
 * @param {number} count
 * @returns {StepTiming}
 */
export function stepTiming(count) {
  const step = REPLAY_BUDGET_MS / Math.max(1, count)
  const travelMs = Math.round(Math.max(MIN_TRAVEL_MS, Math.min(MAX_TRAVEL_MS, step / (1 + HOLD_SHARE))))
  return { travelMs, holdMs: Math.round(travelMs * HOLD_SHARE) }
}

const stepMs = (/** @type {StepTiming} */ t) => t.travelMs + t.holdMs

/**
 * A new replay at its first message, playing (when there is anything to play).
 * @param {number} count
 * @returns {ReplayState}
 */
export function startReplay(count) {
  return { count, index: 0, elapsedMs: 0, playing: count > 0, ended: false }
}

/**
 * The clock moved on by `dtMs`: the dot travels, and after its hold the next message starts; past the
 * last one the replay stops there, its dot arrived.
 * @param {ReplayState} state
 * @param {number} dtMs
 * @param {StepTiming} timing
 * @returns {ReplayState}
 */
export function tick(state, dtMs, timing) {
  if (!state.playing || state.count === 0) return state
  const step = stepMs(timing)
  let { index, elapsedMs } = state
  elapsedMs += Math.max(0, dtMs)
  while (elapsedMs >= step && index < state.count - 1) {
    elapsedMs -= step
    index++
  }
  if (index === state.count - 1 && elapsedMs >= step) return { ...state, index, elapsedMs: step, playing: false, ended: true }
  return { ...state, index, elapsedMs }
}

/**
 * The slider: message `index` (clamped), shown arrived, and paused so it stays.
 * @param {ReplayState} state
 * @param {number} index
 * @param {StepTiming} timing
 * @returns {ReplayState}
 */
export function seek(state, index, timing) {
  if (state.count === 0) return state
  const clamped = Math.max(0, Math.min(state.count - 1, Math.round(index)))
  return { ...state, index: clamped, elapsedMs: timing.travelMs, playing: false, ended: false }
}

/**
 * One message back or forward.
 * @param {ReplayState} state
 * @param {number} delta
 * @param {StepTiming} timing
 */
export function stepBy(state, delta, timing) {
  return seek(state, state.index + delta, timing)
}

/**
 * Play / pause. Play at the end starts again from the first message; play on a message the user
 * stepped to lets its dot travel again from its sender.
 * @param {ReplayState} state
 * @param {StepTiming} timing
 * @returns {ReplayState}
 */
export function togglePlaying(state, timing) {
  if (state.count === 0) return state
  if (state.playing) return { ...state, playing: false }
  if (isAtEnd(state, timing)) return { ...state, index: 0, elapsedMs: 0, playing: true, ended: false }
  return { ...state, elapsedMs: state.elapsedMs >= timing.travelMs ? 0 : state.elapsedMs, playing: true, ended: false }
}

/** The last message is shown with its dot arrived. */
export function isAtEnd(/** @type {ReplayState} */ state, /** @type {StepTiming} */ timing) {
  return state.count > 0 && state.index === state.count - 1 && state.elapsedMs >= timing.travelMs
}

/**
 * How far the current message's dot is from its sender (0) to its receiver (1), eased.
 * @param {ReplayState} state
 * @param {StepTiming} timing
 */
export function travelOf(state, timing) {
  const t = Math.max(0, Math.min(1, state.elapsedMs / timing.travelMs))
  return t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t)
}

/**
 * The same replay over a trace that grew (late log entries came in): the message on screen stays on
 * screen at its new place, or the nearest place when it is gone.
 * @param {ReplayState} state
 * @param {readonly string[]} oldSpans the span ids in the old order
 * @param {readonly string[]} newSpans the span ids in the new order
 * @returns {ReplayState}
 */
export function regrow(state, oldSpans, newSpans) {
  const current = oldSpans[state.index]
  const found = current === undefined ? -1 : newSpans.indexOf(current)
  const index = found >= 0 ? found : Math.max(0, Math.min(newSpans.length - 1, state.index))
  const count = newSpans.length
  // A replay that had got to the end plays on into the messages that came after it.
  const resume = state.ended && index < count - 1
  return { count, index: count === 0 ? 0 : index, elapsedMs: state.elapsedMs, playing: count > 0 && (state.playing || resume), ended: state.ended && !resume }
}
