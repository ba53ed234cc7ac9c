// make grade [IMPL=lab | NODE='<command>'] [LEVELS=1,2,3,bonus,beyond] [TESTS=2.join]: grade a node program level by
// level of the handout. Each test starts its own nodes (ports from the OS, a private directory for logs
// and the cluster secret) and kills them when it ends, also on Ctrl-C. Prints a table and every
// failure's explanation, writes grade.json (Gradescope's format) and exits 0 only if every test passed.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { toolEnvironment } from '../src/tools/environment.js'
import { failLine, info, ok, pc, runTool, StatusLine, warn } from '../src/tools/output.js'
import { ToolError } from '../src/node/errors.js'
import { SETTINGS } from '../src/node/settings.js'
import { checkTemplate, defaultTemplate, entryPoint } from '../src/workbench/grade/command.js'
import { gradescopeResults, writeGradeJson } from '../src/workbench/grade/gradescope.js'
import { chosenLevels } from '../src/workbench/grade/levels.js'
import { printReport, scoreOf } from '../src/workbench/grade/report.js'
import { GradeRun } from '../src/workbench/grade/runner.js'

const READY_TIMEOUT_MS = 10_000
const REQUEST_TIMEOUT_MS = 5_000
const SETTLE_MS = 5_000

runTool(async () => {
  const { args } = toolEnvironment()
  const cwd = process.cwd()
  const command = args.given('nodeCommand')
  const impl = args.given('impl')
  if (command !== undefined && impl !== undefined) throw new ToolError('BAD_ARGUMENT', 'give IMPL= or NODE=, not both: NODE= is the whole command')
  const template = command ?? defaultTemplate(impl ?? 'full', cwd)
  checkTemplate(template)
  if (command === undefined && !fs.existsSync(entryPoint(impl ?? 'full'))) {
    throw new ToolError('BAD_ARGUMENT', `${path.relative(cwd, entryPoint(impl ?? 'full'))} does not exist: IMPL=${impl ?? 'full'} has no node to grade in this build`)
  }
  const levelList = args.given('levels') ?? SETTINGS.levels.default
  const levels = chosenLevels(levelList, args.given('gradeTests'))
  const seed = args.integer('seed')

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-grade-'))
  const secret = randomBytes(24).toString('hex')
  const secretFile = path.join(dir, 'secret')
  fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 })
  info(`grading ${levels.map((l) => l.title).join(', ')} (seed ${seed}); each node starts as:`)
  console.log(`  ${template}`)

  const status = new StatusLine()
  const started = Date.now()
  const run = new GradeRun({
    levels,
    template,
    cwd,
    dir,
    secret,
    secretFile,
    host: '127.0.0.1',
    readyTimeoutMs: READY_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    settleMs: SETTLE_MS,
    seed,
    onProgress: (line) => status.update(`${line} (${((Date.now() - started) / 1000).toFixed(0)} s)`, line.split(':')[0]),
    onResult: (result) => {
      status.end()
      const line = `${result.level.title} · ${result.test.name} (${(result.ms / 1000).toFixed(1)} s)`
      if (result.passed) ok(line)
      else failLine(`${line}: ${result.failure?.seen.split('\n')[0] ?? ''}`)
    },
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      status.end()
      warn(`${signal}: stopping every node the grader started…`)
      void run.abort().finally(() => process.exit(130))
    })
  }

  const results = await run.run()
  const seconds = (Date.now() - started) / 1000
  status.end()
  printReport(results, seconds)
  const file = path.join(cwd, 'grade.json')
  writeGradeJson(file, gradescopeResults(results, seconds, { command: template, levels: levels.map((l) => l.key), seed, pids: run.pids }))
  const score = scoreOf(results)
  console.log()
  info(`wrote ${path.relative(cwd, file) || file} (Gradescope's format)`)
  if (score.passed === score.total) {
    fs.rmSync(dir, { recursive: true, force: true })
    ok(pc.bold(`every test passed: ${score.earned}/${score.possible}`))
    return
  }
  info(`the nodes' logs are kept in ${dir}`)
  throw new ToolError('GRADE_FAILED', `${score.total - score.passed} of ${score.total} tests failed: ${score.earned}/${score.possible}`)
})
