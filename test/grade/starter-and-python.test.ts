// make grade on what a student starts from and on another language: the untouched starter kit
// (make starter) passes Part 1 and fails everything else with NOT_IMPLEMENTED as its reason, and the
// Python example (standard library only) passes Parts 1 to 3.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { runCaptured } from '../helpers/run-captured.js'
import { assertNoneLeft, ROOT, runGrade, shown, writeModule } from './_support.js'

test('the untouched starter kit passes Part 1 and fails the rest with NOT_IMPLEMENTED', async () => {
  const kit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-kit-')), 'my-node')
  const made = await runCaptured(process.execPath, [path.join(ROOT, 'dist/scripts/starter.js')], { ...process.env, DIR: kit })
  assert.equal(made.code, 0, shown(made))
  // Compiled as it is, so each node starts in a blink (the kit's own way, with tsx, is test/lab's to check).
  const node = writeModule(fs.readFileSync(path.join(kit, 'lab-node.ts'), 'utf8'), path.join(path.dirname(kit), 'lab-node.mjs'))
  const run = await runGrade({ NODE: `node ${node} --host {host} --port {port} --join {join} --secret-file {secret}` })
  assert.equal(run.code, 1, shown(run))
  assert.ok(run.grade, 'grade.json written')
  for (const entry of run.grade.tests) {
    if (entry.tags[0]!.startsWith('1.')) assert.equal(entry.status, 'passed', `${entry.name}:\n${entry.output}`)
    else {
      assert.equal(entry.status, 'failed', entry.name)
      assert.match(entry.output.split('\n').slice(0, 2).join('\n'), /NOT_IMPLEMENTED/, `${entry.name}:\n${entry.output}`)
    }
  }
  assert.equal(run.grade.score, 20)
  assertNoneLeft(run)
})

test('the Python example passes Parts 1 to 3', async () => {
  const run = await runGrade({
    NODE: `python3 ${path.join(ROOT, 'examples/python/chord_node.py')} --host {host} --port {port} --join {join} --secret-file {secret}`,
    LEVELS: '1,2,3',
  })
  assert.equal(run.code, 0, shown(run))
  assert.equal(run.grade?.score, 70, shown(run))
  assert.equal(run.grade?.tests.length, 10)
  assertNoneLeft(run)
})
