// The choices the checker has in a state, as lines of text: a message in flight to deliver (or lose),
// a node's maintenance task to fire, and the scenario's events that may happen now. Text, so a run is
// its list of lines: replayed, shrunk, written to a file and read by people.
import type { Peer } from '../../node/protocol/types.js'
import { memberViews } from '../../tools/zave-invariants.js'
import type { NodeView } from '../../tools/ring-invariants.js'
import type { Flight } from './network.js'
import type { ProtocolNode, Variant } from './protocol-node.js'
import type { Scenario } from './scenarios.js'

export type OperationStatus = 'running' | 'done' | 'failed' | undefined

/** How far a value's store and delete have got. */
export interface ValueProgress {
  store: OperationStatus
  delete: OperationStatus
}

/** What the choices are made of: the world as choices.ts needs to see it. */
export interface ChoiceWorld {
  options: { variant: Variant; scenario: Scenario }
  peers: readonly Peer[]
  nodes: ReadonlyArray<ProtocolNode | undefined>
  values: readonly string[]
  tasks: readonly string[]
  running: ReadonlySet<string>
  operations: ReadonlyMap<string, unknown>
  crashes: number
  live(): ProtocolNode[]
  views(): NodeView[]
  entry(): ProtocolNode | undefined
  valueProgress(value: string): ValueProgress
}

export type Choice =
  | { kind: 'deliver'; label: string; nth: number }
  | { kind: 'lose'; label: string; nth: number }
  | { kind: 'task'; task: string; port: number }
  | { kind: 'event'; verb: string; subject: string }

/** A message as choices name it: which way it goes, between whom, and its RPC. */
export function flightLabel(flight: Flight): string {
  return flight.kind === 'request'
    ? `request @${flight.caller.port}→@${flight.callee.port} ${flight.rpc}`
    : `reply @${flight.callee.port}→@${flight.caller.port} ${flight.rpc}`
}

export function parseChoice(text: string): Choice {
  const flight = /^(deliver|lose) (.+?)(?: #(\d+))?$/.exec(text)
  if (flight) return { kind: flight[1] === 'lose' ? 'lose' : 'deliver', label: flight[2]!, nth: Number(flight[3] ?? 1) - 1 }
  const task = /^([a-z_]+) @(\d+)$/.exec(text)
  if (task && !['join', 'leave', 'crash'].includes(task[1]!)) return { kind: 'task', task: task[1]!, port: Number(task[2]) }
  const event = /^(join|leave|crash|store|delete|lookup) (@\d+|".*")$/.exec(text)
  if (event) return { kind: 'event', verb: event[1]!, subject: event[2]! }
  throw new RangeError(`"${text}" is no choice the checker knows`)
}

/** Each maintenance task of each node that runs them (joined, not stopped), unless a round of it is in progress. */
export function taskChoices(world: ChoiceWorld): string[] {
  const out: string[] = []
  for (const node of world.live()) {
    if (node.status !== 'ready' && node.status !== 'leaving') continue
    for (const task of world.tasks) {
      const key = `${task} @${node.self.port}`
      if (!world.running.has(key)) out.push(key)
    }
  }
  return out
}

/** The scenario's events that may happen now. */
export function eventChoices(world: ChoiceWorld): string[] {
  const { scenario, variant } = world.options
  const count = world.peers.length
  const out: string[] = []
  const entry = world.entry()
  for (const place of scenario.joiners(count)) {
    if (!world.nodes[place] && entry) out.push(`join @${world.peers[place]!.port}`)
  }
  if (variant.leaves) {
    for (const place of scenario.leavers(count)) {
      const node = world.nodes[place]
      const label = `leave @${world.peers[place]!.port}`
      if (node && node.status === 'ready' && !world.operations.has(label) && world.live().includes(node)) out.push(label)
    }
  }
  if (world.crashes < scenario.crashes) {
    const views = world.views()
    for (const node of world.live()) if (crashAllowed(views, node.self)) out.push(`crash @${node.self.port}`)
  }
  if (variant.content && entry) {
    for (const value of world.values) {
      const progress = world.valueProgress(value)
      if (progress.store === undefined) out.push(`store ${JSON.stringify(value)}`)
      else if (progress.store === 'done' && progress.delete === undefined) out.push(`delete ${JSON.stringify(value)}`)
    }
  }
  return out
}

/**
 * Zave's failure rule: a node may fail only if every other member that lists it keeps another member in
 * its successor list (the guarantee is for failures the successor lists can mask). And, in the spirit of
 * her stable base, two members remain besides it: a ring of one has no list to fall back on, so the
 * node that joins it and fails at once (even before it is linked in) would leave it no successor.
 */
export function crashAllowed(views: readonly NodeView[], failing: Peer): boolean {
  const members = [...memberViews(views).values()].filter((v) => v.self.id !== failing.id)
  if (members.length < 2) return false
  const alive = new Set(members.map((v) => v.self.id))
  return members.every((v) => !v.successors.some((p) => p.id === failing.id) || v.successors.some((p) => p.id !== failing.id && alive.has(p.id)))
}
