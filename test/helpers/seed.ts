// The integration tests' randomness, replayable. One seed per run: TEST_SEED=n, else one picked at
// random. Every test reports it (t.diagnostic, next to the test's result) and a failing test's error
// message names it too, so a failure is replayed with TEST_SEED=n. Each test draws from its own generator, seeded from the run's seed and the test's
// name, so a test replays the same alone (--test-name-pattern) as among the others. Importing this
// module installs that per-test seeding for the whole test file.
import { randomInt } from 'node:crypto'
import { afterEach, beforeEach } from 'node:test'
import { SeededRandom } from '../../src/workbench/sim/random.js'

const MAX_SEED = 2 ** 32 - 1

/** TEST_SEED when set (a whole number from 0 to 2^32 - 1), else a fresh random seed. */
export function seedFrom(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return randomInt(0, 2 ** 31)
  const seed = Number(text)
  if (!/^\d+$/.test(text.trim()) || seed > MAX_SEED) throw new Error(`TEST_SEED must be a whole number from 0 to ${MAX_SEED}, got "${text}"`)
  return seed
}

export const TEST_SEED = seedFrom(process.env.TEST_SEED)

/** How a failure message names the seed. */
export const replayHint = `seed ${TEST_SEED}, replay with TEST_SEED=${TEST_SEED}`

/** FNV-1a over the test's name, mixed with the run's seed: each test its own stream. */
function testSeed(name: string): number {
  let hash = (0x811c9dc5 ^ TEST_SEED) >>> 0
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0
  return hash
}

let current = new SeededRandom(TEST_SEED)

/** The generator of the test that is running (outside any test: one seeded with TEST_SEED itself). */
export function testRandom(): SeededRandom {
  return current
}

beforeEach((t) => {
  if (!('diagnostic' in t)) return // a suite, not a test
  current = new SeededRandom(testSeed(t.fullName))
  t.diagnostic(replayHint)
})

afterEach((t) => {
  // context.error (Node 20.12 and later): a failed test's error, whose cause is what the test threw.
  const failure = (t as { error?: unknown }).error
  const thrown = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure
  if (thrown instanceof Error) nameTheSeed(thrown)
})

/** Adds the seed to an error's message (and to its stack, which reporters print). */
function nameTheSeed(error: Error): void {
  if (error.message.includes(replayHint)) return
  // The stack is read first: V8 formats it on first read, from the message as it is then.
  const { message, stack } = error
  error.message = `${message} (${replayHint})`
  if (stack?.includes(message)) error.stack = stack.replace(message, error.message)
}
