// The grade as people read it: a table (level, test, pass or fail, points), the score, and for every
// failure what was expected, what was seen, the request and its answer, the ring at that moment and any
// node that died. The same failure text goes into grade.json for the course's autograder.
import pc from 'picocolors'
import type { TestResult } from './runner.js'

export interface Score {
  earned: number
  possible: number
  passed: number
  total: number
}

export function scoreOf(results: readonly TestResult[]): Score {
  return {
    earned: results.reduce((sum, r) => sum + (r.passed ? r.test.points : 0), 0),
    possible: results.reduce((sum, r) => sum + r.test.points, 0),
    passed: results.filter((r) => r.passed).length,
    total: results.length,
  }
}

/** A failure's explanation, plain text, one line per part; nested lines (the ring, a log) indented. */
export function failureLines(result: TestResult): string[] {
  const failure = result.failure
  if (!failure) return []
  const block = (label: string, text: string) => {
    const [first, ...rest] = text.split('\n')
    return [`${label.padEnd(9)} ${first}`, ...rest.map((line) => `          ${line}`)]
  }
  return [
    ...block('expected', failure.expected),
    ...block('seen', failure.seen),
    ...(failure.request ? block('request', failure.request) : []),
    ...(failure.answer ? block('answer', failure.answer) : []),
    ...(failure.ring.length > 0 ? block('ring', `in id order, each node's predecessor and successor:\n${failure.ring.map((line) => `  ${line}`).join('\n')}`) : []),
    ...failure.crashed.flatMap((line) => block('crashed', line)),
  ]
}

const pass = (text: string) => pc.green(text)
const failed = (text: string) => pc.red(text)

/** Prints the table, the score line and every failure's explanation. */
export function printReport(results: readonly TestResult[], seconds: number, print: (line: string) => void = console.log): void {
  const rows = results.map((r) => ({
    level: r.level.title,
    test: `${r.test.name} [${r.test.id}]`,
    result: r.passed ? '✔ pass' : '✘ fail',
    points: `${r.passed ? r.test.points : 0}/${r.test.points}`,
    passed: r.passed,
  }))
  const width = (pick: (row: (typeof rows)[number]) => string, title: string) => Math.max(title.length, ...rows.map((row) => pick(row).length))
  const levelWidth = width((r) => r.level, 'level')
  const testWidth = width((r) => r.test, 'test')
  print('')
  print(pc.bold(`${'level'.padEnd(levelWidth)}  ${'test'.padEnd(testWidth)}  result  points`))
  for (const row of rows) {
    const colour = row.passed ? pass : failed
    print(`${row.level.padEnd(levelWidth)}  ${row.test.padEnd(testWidth)}  ${colour(row.result)}  ${row.points.padStart(6)}`)
  }
  const score = scoreOf(results)
  print('')
  const line = `score ${score.earned}/${score.possible} · ${score.passed} of ${score.total} tests passed · ${seconds.toFixed(1)} s`
  print(pc.bold(score.passed === score.total ? pass(line) : failed(line)))
  for (const result of results.filter((r) => !r.passed)) {
    print('')
    print(failed(`✘ ${result.level.title} · ${result.test.name} [${result.test.id}]`))
    for (const text of failureLines(result)) print(`  ${text.replace(/✔/g, pass('✔')).replace(/✘/g, failed('✘'))}`)
  }
}
