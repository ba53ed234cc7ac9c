// Runs the chosen levels' tests one by one, each on fresh nodes with its own time limit, and turns
// each outcome into a result: passed, or what was expected, what was seen, the request and answer,
// the ring at that moment and any node that died. Whatever a test does, its nodes are killed before
// the next one starts, and abort() kills them from a signal handler.
import { SeededRandom } from '../sim/random.js'
import { GradedRing } from './graded-ring.js'
import type { GradeTest, Level, TestContext } from './grade-test.js'
import { exitedBecause, Launcher } from './launcher.js'
import { answerLine, Probe, requestLine } from './probe.js'
import { observeRing, ringPicture, TrueRing } from './ring-view.js'
import { isGradeFailure, shortNode } from './verdict.js'

export interface FailureReport {
  expected: string
  seen: string
  request?: string
  answer?: string
  /** The ring at the moment of failure: each node's predecessor and successor against the truth. */
  ring: string[]
  /** Nodes that died without the grader killing them, with their last output. */
  crashed: string[]
}

export interface TestResult {
  level: Level
  test: GradeTest
  passed: boolean
  ms: number
  failure?: FailureReport
}

export interface RunOptions {
  levels: readonly Level[]
  template: string
  /** Where node commands run (a template's relative paths are relative to it). */
  cwd: string
  /** The run's private directory: node logs, the secret. */
  dir: string
  secret: string
  secretFile: string
  host: string
  readyTimeoutMs: number
  requestTimeoutMs: number
  settleMs: number
  seed: number
  /** The progress line: which test, what it is doing. */
  onProgress?: (line: string) => void
  /** Each result as soon as it is known. */
  onResult?: (result: TestResult) => void
}

export class GradeRun {
  /** Every process started during the run, so the caller (and its tests) can see none is left. */
  readonly pids: number[] = []
  readonly #options: RunOptions
  readonly #probe: Probe
  #current: Launcher | undefined
  #aborted = false

  constructor(options: RunOptions) {
    this.#options = options
    this.#probe = new Probe({ secret: options.secret, timeoutMs: options.requestTimeoutMs })
  }

  async run(): Promise<TestResult[]> {
    const results: TestResult[] = []
    for (const level of this.#options.levels) {
      for (const test of level.tests) {
        if (this.#aborted) return results
        const result = await this.#runOne(level, test)
        results.push(result)
        this.#options.onResult?.(result)
      }
    }
    return results
  }

  /** Kills the nodes of the test in progress and runs no more tests (Ctrl-C, SIGTERM). */
  async abort(): Promise<void> {
    this.#aborted = true
    await this.#current?.close()
  }

  async #runOne(level: Level, test: GradeTest): Promise<TestResult> {
    const { dir, template, cwd, secretFile, host, readyTimeoutMs, settleMs, seed } = this.#options
    const launcher = new Launcher({ template, cwd, dir, secretFile, host, readyTimeoutMs, probe: this.#probe, onSpawn: (pid) => this.pids.push(pid) })
    this.#current = launcher
    const random = new SeededRandom(seed + hash(test.id))
    const rings: GradedRing[] = []
    let step = 'starting'
    const progress = (text: string) => {
      step = text
      this.#options.onProgress?.(`${level.title} · ${test.name}: ${text}`)
    }
    const context: TestContext = {
      probe: this.#probe,
      random,
      settleMs,
      ring: () => {
        const ring = new GradedRing(launcher, this.#probe, random, settleMs, progress)
        rings.push(ring)
        return ring
      },
      step: progress,
    }
    const started = Date.now()
    progress('starting')
    let timer: NodeJS.Timeout | undefined
    const outcome = test.run(context).then(
      () => undefined,
      (error: unknown) => error,
    )
    const timeout = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`no verdict within ${test.timeoutMs / 1000} s; the test was ${step}`)), test.timeoutMs)
    })
    const error = await Promise.race([outcome, timeout])
    clearTimeout(timer)
    const ms = Date.now() - started
    try {
      if (error === undefined) return { level, test, passed: true, ms }
      return { level, test, passed: false, ms, failure: await this.#explain(error, rings, launcher) }
    } finally {
      await launcher.close()
    }
  }

  /** The failure as the report shows it, with the ring as it is now. */
  async #explain(error: unknown, rings: readonly GradedRing[], launcher: Launcher): Promise<FailureReport> {
    // Nodes that died, unless the failure itself is about that death and shows it already.
    const named = isGradeFailure(error) ? error.seen : ''
    const crashed = launcher
      .crashed()
      .filter((node) => !named.includes(`${shortNode(node)} exited`))
      .map((node) => `${shortNode(node)} (pid ${node.pid}) ${exitedBecause(node)}`)
    const members = rings.flatMap((r) => r.members).filter((node) => !node.exit)
    const ring = members.length > 1 ? ringPicture(await observeRing(this.#probe, members), new TrueRing(members)) : []
    if (isGradeFailure(error)) {
      return {
        expected: error.expected,
        seen: error.seen,
        ...(error.exchange ? { request: requestLine(error.exchange), answer: answerLine(error.exchange) } : {}),
        ring,
        crashed,
      }
    }
    const message = error instanceof Error ? error.message : String(error)
    const timedOut = message.startsWith('no verdict')
    return { expected: timedOut ? 'a verdict within the test\'s time' : 'the test to run to its end', seen: timedOut ? message : `the grader stopped on an error of its own: ${message}`, ring, crashed }
  }
}

/** A small stable number from a test's id, so each test draws its own random sequence from the seed. */
function hash(text: string): number {
  let h = 0
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) >>> 0
  return h
}
