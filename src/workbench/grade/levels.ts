// The levels make grade knows, in the handout's order, and the ones LEVELS= picks.
import { GRADE_LEVELS, type GradeLevel } from '../../settings.js'
import { BEYOND } from './beyond.js'
import { BONUS } from './bonus.js'
import type { Level } from './grade-test.js'
import { PART_1 } from './part1.js'
import { PART_2 } from './part2.js'
import { PART_3 } from './part3.js'

export const LEVELS: Readonly<Record<GradeLevel, Level>> = { '1': PART_1, '2': PART_2, '3': PART_3, bonus: BONUS, beyond: BEYOND }

/** LEVELS=3,1 → Part 1 then Part 3: the handout's order, each once. */
export function chosenLevels(list: string): Level[] {
  const names = new Set(list.split(',').map((name) => name.trim()))
  return GRADE_LEVELS.filter((name) => names.has(name)).map((name) => LEVELS[name])
}
