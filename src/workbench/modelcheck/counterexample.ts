// A counterexample as a file: the run's settings and choices (what make modelcheck REPLAY= needs to
// run it again), the rule it breaks, the ring at that moment, and its messages in the shape /api/trace
// answers (traceId, messages, lanes), so the web view's replay opens it like any trace.
import fs from 'node:fs'
import { ToolError } from '../../node/errors.js'
import { messageJson, type Message } from '../../node/trace/messages.js'
import { partiesInOrder } from '../render/message-format.js'
import { asArray, asInteger, asObject, asString, type Json } from '../../node/wire.js'
import { SEEDED_BUGS, type SeededBug, type Variant, type VariantName } from './protocol-node.js'
import { ringLines } from './report.js'
import type { Finding, Rule } from './rules.js'
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenarios.js'
import type { Counterexample } from './search.js'
import { runChoices } from './shrink.js'
import { sigcommVariant } from './sigcomm-node.js'
import { todayVariant } from './today-node.js'
import type { World, WorldOptions } from './world.js'

const FORMAT = 'chord-lab modelcheck counterexample 1'

export const VARIANTS: Record<VariantName, Variant> = { today: todayVariant, sigcomm: sigcommVariant }

/** What a counterexample file holds besides its messages. */
export interface CounterexampleFile {
  variant: VariantName
  scenario: ScenarioName
  nodes: number
  replicas: number
  loss: boolean
  bug?: SeededBug
  counterexample: Counterexample
}

export function worldOptions(file: Omit<CounterexampleFile, 'counterexample'>, record = false): WorldOptions {
  return {
    variant: VARIANTS[file.variant],
    scenario: SCENARIOS[file.scenario],
    nodes: file.nodes,
    replicas: file.replicas,
    loss: file.loss,
    ...(file.bug ? { bug: file.bug } : {}),
    record,
  }
}

/** Runs a counterexample again with every message logged: the world where it breaks, and what it breaks. */
export async function materialize(file: CounterexampleFile): Promise<{ world: World; finding?: Finding; impossible?: string }> {
  const { counterexample } = file
  return runChoices(worldOptions(file, true), counterexample.choices, counterexample.converge)
}

export function counterexampleJson(file: CounterexampleFile, world: World, finding: Finding): Json {
  const messages: Message[] = world.trace.messages(finding.step)
  const { counterexample } = file
  return {
    traceId: world.trace.traceId,
    title: `${finding.rule} broken after ${finding.step} steps (${file.variant}, ${file.scenario}, ${file.nodes} nodes): ${finding.message}`,
    messages: messages.map(messageJson),
    lanes: partiesInOrder(messages) as unknown as Json,
    // Its messages are maintenance rounds' for the most part: the web view's replay draws them all.
    maintenance: true,
    unreachable: [],
    modelcheck: {
      format: FORMAT,
      variant: file.variant,
      scenario: file.scenario,
      nodes: file.nodes,
      replicas: file.replicas,
      loss: file.loss,
      bug: file.bug ?? null,
      choices: counterexample.choices,
      converge: counterexample.converge,
      finding: { rule: finding.rule, message: finding.message, step: finding.step },
      steps: world.taken.slice(0, finding.step),
      ring: ringLines(world),
    },
  }
}

export function writeCounterexample(path: string, json: Json): void {
  fs.writeFileSync(path, `${JSON.stringify(json, null, 1)}\n`)
}

const bad = (file: string, message: string) => new ToolError('BAD_ARGUMENT', `${file} is no counterexample of make modelcheck: ${message}`)

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const text = asString(value, field)
  if (!allowed.includes(text as T)) throw new RangeError(`${field} must be one of ${allowed.join(', ')}`)
  return text as T
}

export function readCounterexample(path: string): CounterexampleFile {
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch (error) {
    throw new ToolError('BAD_ARGUMENT', `cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    const section = asObject(asObject(JSON.parse(text), 'file').modelcheck, 'modelcheck')
    if (section.format !== FORMAT) throw new RangeError(`format must be "${FORMAT}"`)
    const finding = asObject(section.finding, 'finding')
    const bug = section.bug === null || section.bug === undefined ? undefined : oneOf(section.bug, SEEDED_BUGS, 'bug')
    return {
      variant: oneOf(section.variant, ['today', 'sigcomm'] as const, 'variant'),
      scenario: oneOf(section.scenario, SCENARIO_NAMES, 'scenario'),
      nodes: asInteger(section.nodes, 'nodes', 2, 5),
      replicas: asInteger(section.replicas, 'replicas', 1, 16),
      loss: section.loss === true,
      ...(bug ? { bug } : {}),
      counterexample: {
        choices: asArray(section.choices, 'choices').map((c, i) => asString(c, `choices[${i}]`)),
        converge: section.converge === true,
        finding: { rule: asString(finding.rule, 'finding.rule') as Rule, message: asString(finding.message, 'finding.message'), step: asInteger(finding.step, 'finding.step', 0, 1_000_000) },
      },
    }
  } catch (error) {
    throw bad(path, (error as Error).message)
  }
}
