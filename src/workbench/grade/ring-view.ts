// The ring as it should be and as it is: the truth computed from the running nodes' ids (who owns a key,
// each node's successor and predecessor, a key's holders), the pointers each node reports through GET
// /successor and GET /predecessor, and the two side by side for a failure's explanation.
import { ownerIndex } from '../../node/ring.js'
import type { Probe } from './probe.js'
import { isGradeFailure, nodeField, nodeOrNullField, jsonObject, shortNode, type NodeRef } from './verdict.js'

export class TrueRing {
  /** The nodes in id order. */
  readonly sorted: NodeRef[]
  readonly #ids: bigint[]

  constructor(nodes: readonly NodeRef[]) {
    this.sorted = [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    this.#ids = this.sorted.map((n) => BigInt(`0x${n.id}`))
  }

  get size(): number {
    return this.sorted.length
  }

  /** The node owning `key` (hex): the last node at or before it, wrapping round. */
  owner(key: string): NodeRef {
    return this.sorted[ownerIndex(this.#ids, BigInt(`0x${key}`))]!
  }

  #index(node: NodeRef): number {
    const at = this.sorted.findIndex((n) => n.id === node.id)
    if (at < 0) throw new RangeError(`${shortNode(node)} is not in this ring`)
    return at
  }

  successorOf(node: NodeRef): NodeRef {
    return this.sorted[(this.#index(node) + 1) % this.size]!
  }

  predecessorOf(node: NodeRef): NodeRef {
    return this.sorted[(this.#index(node) - 1 + this.size) % this.size]!
  }

  /** The nodes a key may live on with `copies` copies: its owner and the owner's copies-1 predecessors. */
  holders(key: string, copies: number): NodeRef[] {
    const owner = this.owner(key)
    const out = [owner]
    for (let node = owner; out.length < Math.min(copies, this.size); ) {
      node = this.predecessorOf(node)
      out.push(node)
    }
    return out
  }
}

export interface Pointers {
  node: NodeRef
  predecessor?: NodeRef | null
  successor?: NodeRef
  /** What went wrong reading them: no answer, an answer that is not a node. */
  problem?: string
}

/** Every node's predecessor and successor, as it answers GET /predecessor and GET /successor. */
export async function observeRing(probe: Probe, nodes: readonly NodeRef[]): Promise<Pointers[]> {
  return Promise.all(
    nodes.map(async (node): Promise<Pointers> => {
      const [succ, pred] = await Promise.all([probe.get(node, '/successor'), probe.get(node, '/predecessor')])
      try {
        const successor = nodeField(jsonObject(succ, 'GET /successor').successor, 'successor', succ)
        const predecessor = nodeOrNullField(jsonObject(pred, 'GET /predecessor').predecessor, 'predecessor', pred)
        return { node, successor, predecessor }
      } catch (error) {
        if (!isGradeFailure(error)) throw error
        return { node, problem: `${error.seen} (expected ${error.expected})` }
      }
    }),
  )
}

/** What is wrong with the pointers against the truth, one line per wrong pointer. */
export function pointerProblems(observed: readonly Pointers[], truth: TrueRing): string[] {
  const problems: string[] = []
  for (const seen of observed) {
    const name = shortNode(seen.node)
    if (seen.problem) {
      problems.push(`${name}: ${seen.problem}`)
      continue
    }
    const successor = truth.successorOf(seen.node)
    const predecessor = truth.predecessorOf(seen.node)
    if (seen.successor?.id !== successor.id) problems.push(`${name}: successor is ${nameOf(seen.successor)}, expected ${shortNode(successor)}`)
    if (seen.predecessor?.id !== predecessor.id) problems.push(`${name}: predecessor is ${nameOf(seen.predecessor)}, expected ${shortNode(predecessor)}`)
  }
  return problems
}

/** The ring in id order, one line per node: its predecessor and successor, each ✔ or ✘ with what it should be. */
export function ringPicture(observed: readonly Pointers[], truth: TrueRing): string[] {
  const byId = new Map(observed.map((p) => [p.node.id, p]))
  return truth.sorted.map((node) => {
    const seen = byId.get(node.id)
    if (!seen) return `${shortNode(node)}  (not asked)`
    if (seen.problem) return `${shortNode(node)}  ✘ ${seen.problem}`
    const mark = (got: NodeRef | null | undefined, want: NodeRef) => (got?.id === want.id ? `${nameOf(got)} ✔` : `${nameOf(got)} ✘ expected ${shortNode(want)}`)
    return `${shortNode(node)}  pred ${mark(seen.predecessor, truth.predecessorOf(node))}   succ ${mark(seen.successor, truth.successorOf(node))}`
  })
}

function nameOf(node: NodeRef | null | undefined): string {
  return node ? shortNode(node) : 'null'
}
