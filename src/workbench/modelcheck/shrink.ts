// Replaying a run with every rule checked, and shrinking a counterexample: steps are deleted one at a
// time, last first, and a deletion is kept whenever the shorter run still breaks the same rule (it is
// cut at the step where it breaks it). Breadth-first search already finds a shortest run to a broken
// state; shrinking removes what the end of a run (maintenance converging) did not need, and a run's
// detours when the search stopped at a state limit.
import { converge } from './converge.js'
import { checkState, type Finding } from './rules.js'
import type { Counterexample } from './search.js'
import { World, type WorldOptions } from './world.js'

export interface RunOutcome {
  world: World
  finding?: Finding
  /** A choice the run named was not possible where it came. */
  impossible?: string
}

/** Maintenance rounds a run's end gets: enough for a ring of five to settle several times over. */
export const CONVERGE_ROUNDS = 12

/** Runs choices on a fresh ring, checking after every step, then (with `end`) maintenance alone on. */
export async function runChoices(options: WorldOptions, choices: readonly string[], end: boolean): Promise<RunOutcome> {
  const world = new World(options)
  const first = checkState(world)
  if (first) return { world, finding: first }
  for (const choice of choices) {
    try {
      await world.apply(choice)
    } catch (error) {
      if (error instanceof RangeError) return { world, impossible: choice }
      throw error
    }
    const finding = checkState(world)
    if (finding) return { world, finding }
  }
  if (!end) return { world }
  const finding = await converge(world, { rounds: CONVERGE_ROUNDS })
  return finding ? { world, finding } : { world }
}

/**
 * A shorter run that breaks the same rule. A break found while maintenance ran on is first written out
 * as the steps that led to it (they are the run's own choices now), unless it is the end's own failure.
 */
export async function shrink(options: WorldOptions, counterexample: Counterexample): Promise<Counterexample> {
  const rule = counterexample.finding.rule
  let best = counterexample
  if (best.converge && rule !== 'Converges' && rule !== 'LookupAgrees') {
    const outcome = await runChoices(options, best.choices, true)
    if (outcome.finding?.rule === rule) best = { choices: outcome.world.taken.slice(0, outcome.finding.step), converge: false, finding: outcome.finding }
  }
  for (let changed = true; changed; ) {
    changed = false
    for (let i = best.choices.length - 1; i >= 0; i--) {
      const shorter = [...best.choices.slice(0, i), ...best.choices.slice(i + 1)]
      const outcome = await runChoices(options, shorter, best.converge)
      if (outcome.finding?.rule !== rule) continue
      // Broken within the run's own steps: the run ends there; broken only as maintenance ran on: the run stays as it is.
      const within = outcome.finding.step <= shorter.length
      const cut = within ? outcome.world.taken.slice(0, outcome.finding.step) : shorter
      if (cut.length >= best.choices.length) continue
      best = { choices: cut, converge: !within, finding: outcome.finding }
      changed = true
      i = Math.min(i, best.choices.length)
    }
  }
  return best
}
