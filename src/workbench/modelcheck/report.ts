// How the model checker reads to people: the progress line, the summary of a search (states, states
// per second, the depth reached, whether the bound was exhausted), and a counterexample: the broken
// rule, the steps, the ring at that moment and the run's messages as the tracer's sequence diagram.
import { pc } from '../../tools/output.js'
import { ringStructure } from '../../tools/zave-invariants.js'
import { sequenceDiagram } from '../terminal/sequence-diagram.js'
import { nameOf, type Finding } from './rules.js'
import type { SearchProgress, SearchResult } from './search.js'
import type { World } from './world.js'

export function progressText(p: SearchProgress): string {
  const rate = p.seconds > 0 ? Math.round(p.states / p.seconds) : 0
  return `depth ${p.depth}: ${p.states} states (${rate}/s), ${p.frontier} on the frontier, ${p.converged} runs ended by maintenance, ${p.seconds.toFixed(1)} s`
}

export function summaryText(result: SearchResult, depth: number): string {
  const rate = result.seconds > 0 ? Math.round(result.states / result.seconds) : 0
  const bound = {
    complete: `the whole reachable space explored (no new state after depth ${result.depth})`,
    depth: `every state within ${depth} steps explored`,
    states: `stopped at the state limit at depth ${result.depth} of ${depth}: not exhausted`,
    violation: `stopped at the first violation, at depth ${result.depth}`,
  }[result.stopped]
  return `${result.states} states, ${result.transitions} transitions, ${rate} states/s, ${result.converged} runs ended by maintenance, ${result.seconds.toFixed(1)} s; ${bound}`
}

/** Each node as the checker sees it: its pointers, which of its successors are gone, its best successor and its place. */
export function ringLines(world: World): string[] {
  const structure = ringStructure(world.views())
  return world.peers.map((peer, place) => {
    const node = world.nodes[place]
    const label = `${nameOf(peer)} (id ${world.space.toHex(peer.id)})`
    if (!node) return `${label}: not started`
    if (world.network.isCrashed(peer)) return `${label}: crashed`
    const view = node.view()
    const gone = (p: { id: bigint }) => (structure.members.has(p.id) ? '' : ' (gone)')
    const successors = view.successors.map((p) => `${nameOf(p)}${gone(p)}`).join(', ')
    const member = structure.members.has(peer.id)
    const best = structure.best.get(peer.id)
    const place_ = !member ? 'not a member' : structure.ringMembers.has(peer.id) ? `ring member, best successor ${best ? nameOf(best) : 'none'}` : `appendage, best successor ${best ? nameOf(best) : 'none'}`
    return `${label}: ${view.status}, predecessor ${view.predecessor ? nameOf(view.predecessor) : 'none'}, successors [${successors}]; ${place_}`
  })
}

/** The counterexample: what broke, the steps (the last is where), the ring then, and the messages. */
export function counterexampleLines(world: World, finding: Finding, width: number): string[] {
  const steps = world.taken.slice(0, finding.step)
  const digits = String(steps.length).length
  const lines = [pc.bold(`${finding.rule} broken after ${finding.step} step${finding.step === 1 ? '' : 's'}: ${finding.message}`), '', pc.bold('the steps (each: the checker\'s choice, then the protocol runs until it waits on the network again)')]
  steps.forEach((step, i) => lines.push(`  ${String(i + 1).padStart(digits)}  ${i + 1 === finding.step ? pc.red(`${step}   ← ${finding.rule} breaks here`) : step}`))
  lines.push('', pc.bold('the ring then'), ...ringLines(world).map((line) => `  ${line}`))
  const messages = world.trace.messages(finding.step)
  lines.push('', pc.bold('the messages (time in steps: +7.0 is step 7, when the receiver handled it)'))
  lines.push(...sequenceDiagram(messages, { width, maintenance: true }))
  return lines
}
