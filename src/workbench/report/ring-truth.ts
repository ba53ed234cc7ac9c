// What a ring's pointers should be, computed from its member list alone, and a poll that waits until
// every live node's successor and finger table match it (the ring has converged).
import type { RingClient } from '../../tools/ring-client.js'
import type { ProcessRecord } from '../../tools/network-state.js'
import { errorMessage } from '../../node/errors.js'
import { ownerIndex, successorIndex, type Id, type IdSpace } from '../../node/ring.js'

export class RingTruth {
  readonly space: IdSpace
  /** Member ids, ascending. */
  readonly ids: Id[]

  constructor(space: IdSpace, ids: Id[]) {
    this.space = space
    this.ids = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  static of(space: IdSpace, processes: ProcessRecord[]): RingTruth {
    return new RingTruth(
      space,
      processes.map((p) => space.parseHex(p.id) ?? space.nodeId(p.host, p.port)),
    )
  }

  /** First member at or after `id`, clockwise. */
  successorOf(id: Id): Id {
    return this.ids[successorIndex(this.ids, id)]!
  }

  /** The lab's owner of a key: the member whose range [self, successor) holds it, i.e. the last member at or before it. */
  ownerOf(key: Id): Id {
    return this.ids[ownerIndex(this.ids, key)]!
  }

  /** The next member clockwise after `id` (itself in a ring of one). */
  next(id: Id): Id {
    for (const x of this.ids) if (x > id) return x
    return this.ids[0]!
  }

  /** Finger rows as FingerTable.distinct() reports them: each distinct node once, with its first index. */
  fingerRows(n: Id): Array<{ index: number; node: Id }> {
    const rows: Array<{ index: number; node: Id }> = []
    let previous: Id | undefined
    for (let i = 0; i < this.space.bits; i++) {
      const node = this.successorOf(this.space.fingerStart(n, i))
      if (node === previous) continue
      previous = node
      rows.push({ index: i, node })
    }
    return rows
  }
}

export interface ConvergenceCheck {
  /** Nodes whose successor and whole finger table are right. */
  correct: number
  total: number
  /** Sum over nodes of distinct fingers reported (to see tables still filling in). */
  fingerRows: number
  errors: string[]
}

/** Asks every node for its pointers and compares them with the truth. */
export async function checkConvergence(client: RingClient, processes: ProcessRecord[]): Promise<ConvergenceCheck> {
  const truth = RingTruth.of(client.wire.space, processes)
  const errors: string[] = []
  let fingerRows = 0
  const verdicts = await Promise.all(
    processes.map(async (p) => {
      try {
        const info = await client.nodeInfo(p)
        fingerRows += info.fingers.length
        if (info.successor.id !== truth.next(info.self.id)) return false
        const expected = truth.fingerRows(info.self.id)
        return expected.length === info.fingers.length && expected.every((row, i) => row.index === info.fingers[i]!.index && row.node === info.fingers[i]!.node.id)
      } catch (error) {
        errors.push(`${p.port}: ${errorMessage(error)}`)
        return false
      }
    }),
  )
  return { correct: verdicts.filter(Boolean).length, total: processes.length, fingerRows, errors }
}

export interface Convergence {
  converged: boolean
  /** From the call to the first check that found every node right (or to the timeout). */
  ms: number
  last: ConvergenceCheck
  polls: number
}

/** Polls every `pollMs` until every node's pointers are right, or `timeoutMs` has passed. */
export async function waitConverged(client: RingClient, processes: ProcessRecord[], options: { pollMs: number; timeoutMs: number }): Promise<Convergence> {
  const started = performance.now()
  let polls = 0
  for (;;) {
    const last = await checkConvergence(client, processes)
    polls++
    const ms = performance.now() - started
    if (last.correct === last.total) return { converged: true, ms, last, polls }
    if (ms >= options.timeoutMs) return { converged: false, ms, last, polls }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs))
  }
}
