// What a ring held just before it is stopped (make boot over a running ring, make killall, make reboot):
// its nodes (every virtual node of every process) asked for their content, the distinct values counted and the nodes that did not answer
// counted as such, so a tool says what it stopped instead of destroying it silently.
import { isAlive, type NetworkStateFile, type ProcessRecord } from './network-state.js'
import { plural, portList } from './output.js'
import { RingClient } from './ring-client.js'
import { killRing } from './ring-ops.js'
import { processCount } from './ring-processes.js'

/** A node that holds its tongue this long is counted as not answering: a stop should not wait for long. */
const SURVEY_TIMEOUT_MS = 1000

export interface RingSurvey {
  /** The recorded processes that were running. */
  nodes: ProcessRecord[]
  /** The virtual nodes the answering processes hosted (VNODES=v); absent: one each. */
  virtualNodes?: number
  /** Distinct live values the answering nodes held (each counted once, whatever its copies). */
  values: number
  /** Running processes that did not answer: their values are not counted. */
  silent: number
}

/** Asks every virtual node of every running process of the recorded ring for its content; undefined when no ring runs. */
export async function surveyRing(state: NetworkStateFile): Promise<RingSurvey | undefined> {
  const recorded = state.read()
  const nodes = (recorded?.processes ?? []).filter((p) => isAlive(p.pid))
  if (!recorded || nodes.length === 0) return undefined
  const client = new RingClient(recorded.settings.bits, { secret: state.readSecret(), timeoutMs: Math.min(SURVEY_TIMEOUT_MS, recorded.settings.timeoutMs) })
  const values = new Set<string>()
  let silent = 0
  let virtualNodes = 0
  try {
    await Promise.all(
      nodes.map(async (node) => {
        try {
          // With VNODES=v a process holds its content in v virtual nodes: each is asked by its id.
          const { vnodes } = await client.nodeProcess(node)
          const contents = await Promise.all(vnodes.map((vnode) => client.content(vnode)))
          virtualNodes += vnodes.length
          for (const content of contents) for (const entry of content.entries) values.add(`${entry.key}:${entry.value}`)
        } catch {
          silent++
        }
      }),
    )
  } finally {
    client.close()
  }
  return { nodes, virtualNodes, values: values.size, silent }
}

/**
 * "14 nodes (ports 5000–5013) holding 102 values", and how many did not answer; with virtual nodes
 * "4 processes with 16 virtual nodes on ports 5000–5003 holding 300 values".
 */
export function surveyLine(survey: RingSurvey): string {
  const count = survey.nodes.length
  const virtualNodes = survey.virtualNodes ?? count - survey.silent
  const hosted = virtualNodes > count - survey.silent
  const noun = (n: number) => (hosted ? processCount(n) : plural(n, 'node'))
  const held = survey.silent === count ? '(none answered: what they held is unknown)' : `holding ${plural(survey.values, 'value')}`
  const silent = survey.silent > 0 && survey.silent < count ? ` (${noun(survey.silent)} did not answer: ${survey.silent === 1 ? 'its' : 'their'} values are not counted)` : ''
  const who = hosted ? `${noun(count)} with ${plural(virtualNodes, 'virtual node')}` : noun(count)
  return `${who} on ${count === 1 ? 'port' : 'ports'} ${portList(survey.nodes.map((n) => n.port))} ${held}${silent}`
}

/** Stops the recorded ring (as killRing does), saying first what it held; undefined when none ran. */
export async function stopRing(state: NetworkStateFile): Promise<RingSurvey | undefined> {
  const survey = state.exists() ? await surveyRing(state) : undefined
  await killRing(state)
  return survey
}
