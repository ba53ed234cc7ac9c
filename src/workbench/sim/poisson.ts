// Poisson processes on simulated time: events at a given rate with exponential gaps, as the Chord
// paper's churn (joins and failures) and its stream of lookups arrive.
import type { SeededRandom } from './random.js'
import type { Timeline } from './timeline.js'

/** An exponential gap, in ms, between events arriving at `perSecond`. */
export function exponentialGapMs(random: SeededRandom, perSecond: number): number {
  return (-Math.log(1 - random.next()) / perSecond) * 1000
}

/**
 * Runs `action` at the times of a Poisson process of rate `perSecond`, from now until `untilMs`
 * (simulated time). Each process should have its own random stream, so adding one shifts no other.
 */
export function poissonProcess(timeline: Timeline, random: SeededRandom, perSecond: number, untilMs: number, action: () => void): void {
  if (!(perSecond > 0)) return
  const next = () => {
    const at = timeline.time + exponentialGapMs(random, perSecond)
    if (at > untilMs) return
    timeline.at(at, () => {
      action()
      next()
    })
  }
  next()
}
