// What a graded test is: an id, a name, its points, its own time limit and the function that runs it
// against a context the runner gives it (a probe, rings of fresh nodes, a seeded generator).
import type { GradeLevel } from '../../node/settings.js'
import type { SeededRandom } from '../sim/random.js'
import type { GradedRing } from './graded-ring.js'
import type { Probe } from './probe.js'

export interface TestContext {
  readonly probe: Probe
  readonly random: SeededRandom
  /** How long pointers and content may take to come right after a change (a node that stabilizes needs some). */
  readonly settleMs: number
  /** A new ring of this test's own; when the test fails, its members' pointers are shown. */
  ring(): GradedRing
  /** Says what the test is doing now: the progress line, and the reason when it runs out of time. */
  step(text: string): void
}

export interface GradeTest {
  /** Stable and short: `2.join`, `bonus.leave`; the tests and grade.json's tags name tests by it. */
  id: string
  name: string
  points: number
  timeoutMs: number
  run(t: TestContext): Promise<void>
}

export interface Level {
  key: GradeLevel
  title: string
  tests: readonly GradeTest[]
}
