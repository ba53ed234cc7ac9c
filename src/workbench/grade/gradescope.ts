// grade.json in the Gradescope autograder format that course autograders read: the score, and one
// entry per test with its name, score, max_score and the failure's explanation as its output.
import fs from 'node:fs'
import { failureLines, scoreOf } from './report.js'
import type { TestResult } from './runner.js'

export interface GradescopeTest {
  name: string
  score: number
  max_score: number
  status: 'passed' | 'failed'
  output: string
  tags: string[]
}

export interface GradescopeResults {
  score: number
  execution_time: number
  output: string
  tests: GradescopeTest[]
  /** Not read by Gradescope's table; what was graded and how, for whoever keeps the file. */
  extra_data: { command: string; levels: string[]; seed: number; pids: number[] }
}

export function gradescopeResults(results: readonly TestResult[], seconds: number, run: GradescopeResults['extra_data']): GradescopeResults {
  const score = scoreOf(results)
  return {
    score: score.earned,
    execution_time: Math.round(seconds),
    output: `${score.earned}/${score.possible} points, ${score.passed} of ${score.total} tests passed`,
    tests: results.map((r) => ({
      name: `${r.level.title} · ${r.test.name}`,
      score: r.passed ? r.test.points : 0,
      max_score: r.test.points,
      status: r.passed ? 'passed' : 'failed',
      output: r.passed ? 'passed' : failureLines(r).join('\n'),
      tags: [r.test.id],
    })),
    extra_data: run,
  }
}

export function writeGradeJson(file: string, results: GradescopeResults): void {
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
}
