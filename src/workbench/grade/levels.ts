// The levels make grade knows, in the handout's order, and the tests LEVELS= and TESTS= pick of them.
import { ToolError } from '../../node/errors.js'
import { GRADE_LEVELS, type GradeLevel } from '../../node/settings.js'
import { BEYOND } from './beyond.js'
import { BONUS } from './bonus.js'
import type { Level } from './grade-test.js'
import { PART_1 } from './part1.js'
import { PART_2 } from './part2.js'
import { PART_3 } from './part3.js'

export const LEVELS: Readonly<Record<GradeLevel, Level>> = { '1': PART_1, '2': PART_2, '3': PART_3, bonus: BONUS, beyond: BEYOND }

/**
 * LEVELS=3,1 → Part 1 then Part 3: the handout's order, each once; with TESTS=, only those tests (an id
 * no chosen level has is refused, naming the ones there are).
 */
export function chosenLevels(levelList: string, testList?: string): Level[] {
  const names = new Set(levelList.split(',').map((name) => name.trim()))
  const levels = GRADE_LEVELS.filter((name) => names.has(name)).map((name) => LEVELS[name])
  if (testList === undefined) return levels
  const wanted = new Set(testList.split(',').map((id) => id.trim()))
  const known = levels.flatMap((level) => level.tests.map((test) => test.id))
  const unknown = [...wanted].filter((id) => !known.includes(id))
  if (unknown.length > 0) throw new ToolError('BAD_ARGUMENT', `TESTS names ${unknown.join(', ')}, which the levels ${[...names].join(',')} do not have; they have ${known.join(', ')}`)
  return levels.map((level) => ({ ...level, tests: level.tests.filter((test) => wanted.has(test.id)) })).filter((level) => level.tests.length > 0)
}
