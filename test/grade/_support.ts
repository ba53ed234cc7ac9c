// Runs the grader as a user would (node dist/scripts/grade.js, the Make target's command) in a
// directory of its own, and reads back what it wrote: its exit code, its output and grade.json. Also
// checks that none of the processes it started is left. Not a test file itself.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import type { GradescopeResults } from '../../src/workbench/grade/gradescope.js'
import { runCaptured, type Captured } from '../helpers/run-captured.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const GRADE_SCRIPT = path.join(ROOT, 'dist/scripts/grade.js')

export interface GradeRunResult extends Captured {
  grade: GradescopeResults | undefined
  dir: string
}

/** Runs make grade's script with these Make arguments in a fresh directory (where grade.json lands). */
export async function runGrade(args: Record<string, string>, options: { cwd?: string } = {}): Promise<GradeRunResult> {
  const dir = options.cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-grade-test-'))
  const env: NodeJS.ProcessEnv = { ...process.env, ...args }
  // Make arguments only: none of the caller's own may leak in.
  for (const name of ['IMPL', 'NODE', 'LEVELS', 'TESTS', 'SEED']) if (!(name in args)) delete env[name]
  const captured = await runCaptured(process.execPath, [GRADE_SCRIPT], env, dir)
  const file = path.join(dir, 'grade.json')
  const grade = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as GradescopeResults) : undefined
  return { ...captured, grade, dir }
}

/** The entry for one test id in grade.json. */
export function testById(run: GradeRunResult, id: string): GradescopeResults['tests'][number] {
  const entry = run.grade?.tests.find((t) => t.tags.includes(id))
  assert.ok(entry, `grade.json has a test ${id}:\n${run.stdout}\n${run.stderr}`)
  return entry
}

/** True while any process of the group `pid` leads is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/** Every process group the grader recorded in grade.json is gone. */
export function assertNoneLeft(run: GradeRunResult): void {
  const pids = run.grade?.extra_data.pids ?? []
  assert.ok(pids.length > 0, 'the grader recorded the processes it started')
  const left = pids.filter(groupAlive)
  for (const pid of left) process.kill(-pid, 'SIGKILL')
  assert.deepEqual(left, [], 'no process the grader started is left')
}

/** The output in one piece, for assertion messages. */
export function shown(run: Captured): string {
  return `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
}

/** TypeScript source compiled to a JavaScript module at `file` (types stripped, nothing checked): a node that starts as fast as a built one. */
export function writeModule(source: string, file: string): string {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } })
  fs.writeFileSync(file, outputText)
  return file
}
