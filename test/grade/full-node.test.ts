// make grade on this project's own node: every level passes, the table and grade.json say so, and no
// process the grader started is left.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertNoneLeft, runGrade, shown } from './_support.js'

test('the full node passes every level, exit 0, grade.json 100/100, nothing left running', async () => {
  const run = await runGrade({})
  assert.equal(run.code, 0, shown(run))
  assert.ok(run.grade, 'grade.json written')
  assert.equal(run.grade.score, 100, shown(run))
  assert.equal(run.grade.tests.length, 18)
  for (const entry of run.grade.tests) {
    assert.equal(entry.status, 'passed', `${entry.name}: ${entry.output}`)
    assert.equal(entry.score, entry.max_score)
  }
  assert.match(run.stdout, /level\s+test\s+result\s+points/)
  assert.match(run.stdout, /score 100\/100 · 18 of 18 tests passed/)
  assertNoneLeft(run)
})
