// make grade IMPL=lab: the lab-sized node passes Parts 1–3 and the bonus track, and fails Beyond for
// the reasons a node without stabilization, copies or deletes must: a crash loses what the crashed node
// owned and leaves the ring broken, there is no DELETE, and joins at once may cross.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertNoneLeft, runGrade, shown, testById } from './_support.js'

test('the lab node passes Parts 1-3 and Bonus and fails Beyond for its reasons', async () => {
  const run = await runGrade({ IMPL: 'lab' })
  assert.equal(run.code, 1, shown(run))
  assert.ok(run.grade, 'grade.json written')
  const handout = run.grade.tests.filter((t) => /^(1|2|3|bonus)\./.test(t.tags[0]!))
  assert.equal(handout.length, 14)
  for (const entry of handout) assert.equal(entry.status, 'passed', `${entry.name}:\n${entry.output}`)

  const crash = testById(run, 'beyond.crash')
  assert.equal(crash.status, 'failed')
  assert.match(crash.output, /1 adjacent node .*1 copy/, crash.output)
  assert.match(crash.output, /wrong|not found/, crash.output)
  const deletes = testById(run, 'beyond.deletes')
  assert.equal(deletes.status, 'failed')
  assert.match(deletes.output, /DELETE .*\n.*(405|404)/, deletes.output)
  // Joins at once cross only when they overlap in time; when they do, the pointers say so.
  const concurrent = testById(run, 'beyond.concurrent-joins')
  if (concurrent.status === 'failed') assert.match(concurrent.output, /predecessor and successor/, concurrent.output)
  assert.equal(testById(run, 'beyond.hostile').status, 'passed', testById(run, 'beyond.hostile').output)
  assertNoneLeft(run)
})
