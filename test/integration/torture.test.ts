// make torture with a fixed seed loses nothing: clients and the seeded nemesis (joins, leaves, crashes of
// at most r-1 adjacent nodes, a slow node, lost calls, partitions) on a ring of its own, then every value
// read back, after a drop phase whose lookups must succeed (≥ 99 %, none NOT_FOUND). Run as a user runs
// it, with short maintenance periods so it is over in seconds.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCaptured } from '../helpers/run-captured.js'

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/torture.js')

test('make torture SECONDS=12 SEED=20261201: nothing acknowledged lost, no delete undone, every process stopped', async (t) => {
  const run = await runCaptured(process.execPath, [SCRIPT], {
    ...process.env,
    SECONDS: '12',
    SEED: '20261201',
    STABILIZE_MS: '200',
    CHECK_PREDECESSOR_MS: '200',
    FINGER_MS: '600',
    NO_COLOR: '1',
  })
  const summary = run.stdout.split('\n').find((line) => line.includes('seed 20261201:')) ?? ''
  t.diagnostic(summary)
  t.diagnostic(run.stdout.split('\n').find((line) => line.startsWith('• nemesis')) ?? '')
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`)
  assert.match(summary, /seed 20261201: \d+ acknowledged, \d+ found, 0 lost, \d+ indeterminate/)
  assert.match(summary, /\d+ deletes, 0 undone/)
  // The drop phase: 10 % of node-to-node calls lost, and lookups of values that must be there still succeed.
  const drop = run.stdout.split('\n').find((line) => line.includes('drop phase, ')) ?? ''
  t.diagnostic(drop)
  const figures = /: (\d+) of (\d+) lookups of stored values succeeded .* (\d+) NOT_FOUND/.exec(drop)
  assert.ok(figures, `the drop phase's line: ${drop}`)
  assert.equal(figures[3], '0', 'no lookup of a value that is there answered NOT_FOUND')
  assert.ok(Number(figures[1]) >= 0.99 * Number(figures[2]), `≥ 99 % of the drop phase's lookups succeed: ${drop}`)
  const dir = /ring in (\S+)/.exec(run.stdout)?.[1]
  assert.ok(dir, 'the run says where its ring lived')
  assert.ok(!fs.existsSync(dir), 'its private state is removed')
})
