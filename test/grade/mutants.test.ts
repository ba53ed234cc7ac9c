// Deliberately broken copies of the lab node, each made by one text change to src/lab/lab-node.ts and
// each caught by the grader test named beside it. A search string that is no longer in the file fails
// loudly, so a mutant never silently stops testing anything when the lab node changes.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { assertNoneLeft, ROOT, runGrade, shown, testById, writeModule } from './_support.js'

interface Mutant {
  name: string
  search: string
  replace: string
  /** The grader test that must fail on it, and what its explanation must say. */
  caughtBy: string
  says: RegExp
}

const MUTANTS: readonly Mutant[] = [
  {
    name: "findNode off by one at the interval's end",
    search: 'while (!inRange(id, current.id, view.successor.id)) {',
    replace: 'while (!inRange(id, current.id, (view.successor.id + 1n) % SIZE)) {',
    caughtBy: '2.findnode',
    says: /its owner .* \(the last node at or before the key\)/,
  },
  {
    name: 'a JOIN that skips one rewiring PUT',
    search: "  await call(succ, 'PUT', '/predecessor', json(joiner))\n",
    replace: '',
    caughtBy: '2.join',
    says: /predecessor is .*, expected/,
  },
  {
    name: 'content passing that keeps the moved keys on the predecessor',
    search: "  for (const e of moving) await call(pred, 'DELETE', `/delete?key=${hex(e.key)}&value=${encodeURIComponent(e.value)}`)\n",
    replace: '',
    caughtBy: 'bonus.join-content',
    says: /held by its owner .* only[\s\S]*also held by/,
  },
  {
    name: 'a LEAVE that drops its content',
    search: "  if (entries.length > 0) await call(predecessor, 'POST', '/insert', { entries })\n",
    replace: '',
    caughtBy: 'bonus.leave',
    says: /404 NOT_FOUND/,
  },
  {
    name: "a lookup that answers from the entry node's own store",
    search: "  const found = await call(route.node, 'GET', `/get?key=${hex(key)}`)\n",
    replace: '  const found = { values: store.get(key) ?? [] }\n',
    caughtBy: '3.store-lookup',
    says: /404 NOT_FOUND/,
  },
]

const LAB_NODE = path.join(ROOT, 'src/lab/lab-node.ts')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-mutants-'))

/** The lab node with one change, compiled to JavaScript in the temp dir; refuses a search string found other than once. */
function writeMutant(mutant: Mutant, index: number): string {
  const source = fs.readFileSync(LAB_NODE, 'utf8')
  const found = source.split(mutant.search).length - 1
  assert.equal(found, 1, `mutant "${mutant.name}": its search string is in src/lab/lab-node.ts ${found} times, not once; update the table:\n${mutant.search}`)
  return writeModule(source.replace(mutant.search, () => mutant.replace), path.join(dir, `mutant-${index}.mjs`))
}

describe('broken copies of the lab node are each caught by their test', () => {
  for (const [index, mutant] of MUTANTS.entries()) {
    test(`${mutant.name}: ${mutant.caughtBy} fails`, async () => {
      const file = writeMutant(mutant, index)
      const run = await runGrade({ NODE: `node ${file} --host {host} --port {port} --join {join} --secret-file {secret}`, TESTS: mutant.caughtBy })
      assert.equal(run.code, 1, shown(run))
      const entry = testById(run, mutant.caughtBy)
      assert.equal(entry.status, 'failed', shown(run))
      assert.match(entry.output, mutant.says, entry.output)
      assertNoneLeft(run)
    })
  }
})
