// make modelcheck [NODES=3 DEPTH=12 SCENARIO=join-crash VARIANT=today|sigcomm STATES=n LOSS=1 BUG=rule R=r]:
// every interleaving of a small ring's messages, maintenance rounds and events within DEPTH steps,
// explored on the protocol's own code, Zave's invariants and the content rules checked after every
// step, and maintenance alone run on from the end of each run. A violation is shrunk, printed as a
// sequence diagram with the ring at that moment, and written as a file that make modelcheck REPLAY=
// runs again and the web view's replay opens. Exits 1 when a rule is broken.
import fs from 'node:fs'
import path from 'node:path'
import { ToolError } from '../src/node/errors.js'
import { SETTINGS } from '../src/node/settings.js'
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, runTool, StatusLine, warn } from '../src/tools/output.js'
import { counterexampleJson, materialize, readCounterexample, VARIANTS, worldOptions, writeCounterexample, type CounterexampleFile } from '../src/workbench/modelcheck/counterexample.js'
import { counterexampleLines, progressText, summaryText } from '../src/workbench/modelcheck/report.js'
import { SCENARIOS } from '../src/workbench/modelcheck/scenarios.js'
import { search } from '../src/workbench/modelcheck/search.js'
import { CONVERGE_ROUNDS, shrink } from '../src/workbench/modelcheck/shrink.js'
import { terminalWidth } from '../src/workbench/terminal/trace-print.js'

runTool(async () => {
  const tool = toolEnvironment()
  const { args } = tool
  const replayFile = args.given('replayFile')
  if (replayFile) return replay(path.resolve(replayFile))

  const variant = args.given('variant') ?? SETTINGS.variant.default
  const scenario = SCENARIOS[args.given('scenario') ?? SETTINGS.scenario.default]
  const nodes = args.integer('nodes')
  const depth = args.integer('depth')
  // The paper's Figure 7 keeps one successor; R=r gives it section 6's successor list of r.
  const replicas = args.given('replicas') ?? (variant === 'sigcomm' ? 1 : SETTINGS.replicas.default)
  const loss = args.switch('loss')
  const bug = args.given('bug')
  if (!scenario.variants.includes(variant)) throw new ToolError('BAD_ARGUMENT', `SCENARIO=${scenario.name} needs what VARIANT=${variant} has not (it runs with VARIANT=${scenario.variants.join(' or ')})`)
  if (nodes < scenario.minNodes) throw new ToolError('BAD_ARGUMENT', `SCENARIO=${scenario.name} needs NODES=${scenario.minNodes} or more`)
  if (bug && !VARIANTS[variant].bugs.includes(bug)) throw new ToolError('BAD_ARGUMENT', `BUG=${bug} is not a rule of VARIANT=${variant} (it has ${VARIANTS[variant].bugs.join(', ')})`)

  const file: Omit<CounterexampleFile, 'counterexample'> = { variant, scenario: scenario.name, nodes, replicas, loss, ...(bug ? { bug } : {}) }
  const options = worldOptions(file)
  info(`modelcheck: ${variant === 'today' ? "today's protocol" : 'the SIGCOMM 2001 protocol'}, ${scenario.name} (${scenario.summary}), ${nodes} nodes, r = ${replicas}, depth ${depth}${loss ? ', messages may be lost' : ''}${bug ? `, seeded bug ${bug}` : ''}`)
  const status = new StatusLine()
  const result = await search({
    world: options,
    depth,
    maxStates: args.integer('maxStates'),
    convergeRounds: CONVERGE_ROUNDS,
    onProgress: (progress) => status.update(progressText(progress), `depth ${progress.depth}`),
  })
  status.end()
  if (!result.counterexample) {
    ok(`no rule broken: ${summaryText(result, depth)}`)
    return
  }
  info(summaryText(result, depth))
  info(`${result.counterexample.finding.rule} broken; shrinking the run (${result.counterexample.choices.length} steps${result.counterexample.converge ? ', then maintenance' : ''})…`)
  const shrunk = await shrink(options, result.counterexample)
  const full: CounterexampleFile = { ...file, counterexample: shrunk }
  const { world, finding } = await materialize(full)
  if (!finding) throw new Error('the shrunk counterexample did not break its rule again: the run is not deterministic')
  console.log('')
  for (const line of counterexampleLines(world, finding, terminalWidth())) console.log(line)
  console.log('')
  fs.mkdirSync(tool.stateDir, { recursive: true })
  const written = path.join(tool.stateDir, `modelcheck-${variant}-${scenario.name}.json`)
  writeCounterexample(written, counterexampleJson(full, world, finding))
  info(`wrote ${written}: make modelcheck REPLAY=${path.relative(process.cwd(), written)} runs it again; the web view's replay opens it (make web, Open a trace file)`)
  throw new ToolError('RING_BROKEN', `${finding.rule} broken after ${finding.step} steps: ${finding.message}`)
})

async function replay(file: string): Promise<void> {
  const recorded = readCounterexample(file)
  const { world, finding, impossible } = await materialize(recorded)
  const expected = recorded.counterexample.finding
  if (impossible) throw new ToolError('BAD_ARGUMENT', `${file} no longer replays: "${impossible}" is not possible where it comes (the protocol changed since)`)
  if (!finding) {
    ok(`${file}: the run no longer breaks any rule (it broke ${expected.rule} after ${expected.step} steps when it was written)`)
    return
  }
  console.log('')
  for (const line of counterexampleLines(world, finding, terminalWidth())) console.log(line)
  console.log('')
  const same = finding.rule === expected.rule && finding.step === expected.step
  if (!same) warn(`when it was written, the run broke ${expected.rule} after ${expected.step} steps`)
  throw new ToolError('RING_BROKEN', `replayed ${path.relative(process.cwd(), file)}: ${same ? 'the same violation, ' : ''}${finding.rule} broken after ${finding.step} steps: ${finding.message}`)
}
