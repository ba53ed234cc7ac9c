// Chord as the SIGCOMM 2001 paper published it (Stoica et al., Figure 7), for the model checker to run
// beside today's protocol: a joiner that sets its predecessor to nil and asks for its successor,
// stabilize that takes its successor's predecessor whenever it lies between (without asking it
// anything), notify that takes a candidate nearer than its predecessor (or any, when it has none), and
// check_predecessor (from the later journal version) forgetting a predecessor that does not answer. By
// default one successor and no list (R=1); with R=r, the paper's section 6 successor list: stabilize
// copies its successor's list behind it, and a successor that does not answer gives way to the next
// entry. No fingers: lookups walk successors. It speaks the node API's own RPCs (neighbors for
// "successor.predecessor", notify, routeStep for find_successor, ping), so its messages are drawn like
// any other.
import { DhtError } from '../../node/errors.js'
import type { RpcName } from '../../node/api/rpcs.js'
import { RemotePeer, type Transport } from '../../node/api/transport.js'
import type { CallScope, NodeStatus, Peer, RouteStep, StoredRecord } from '../../node/protocol/types.js'
import { between, betweenRightIncl } from '../../node/ring.js'
import type { NodeView } from '../../tools/ring-invariants.js'
import { peerText, type NodeOptions, type ProtocolNode, type SeededBug, type Variant } from './protocol-node.js'

class SigcommNode implements ProtocolNode {
  readonly self: Peer
  status: NodeStatus = 'joining'
  predecessor: Peer | null = null
  /** Empty until it has joined; at most r long. */
  successors: Peer[] = []
  readonly #transport: Transport
  readonly #bug: SeededBug | undefined
  readonly #maxHops: number
  readonly #length: number

  constructor(self: Peer, transport: Transport, options: NodeOptions) {
    this.self = self
    this.#transport = transport
    this.#bug = options.bug
    this.#maxHops = 2 ** options.bits
    this.#length = options.replicas
  }

  answers(): boolean {
    return this.status !== 'stopped'
  }

  #remote(peer: Peer, scope: CallScope): RemotePeer {
    return new RemotePeer(this.#transport.within?.(scope) ?? this.#transport, peer)
  }

  async handle(rpc: RpcName, request: unknown): Promise<unknown> {
    switch (rpc) {
      case 'ping':
        return undefined
      case 'neighbors':
        return { predecessor: this.predecessor, successors: [...this.successors] }
      case 'notify':
        this.#notify((request as { candidate: Peer }).candidate)
        return { predecessor: this.predecessor }
      case 'routeStep':
        return this.#routeStep((request as { key: bigint }).key)
      default:
        throw new DhtError('BAD_REQUEST', `${rpc} is not part of the SIGCOMM 2001 protocol`)
    }
  }

  /** n.notify(n'): if predecessor is nil or n' ∈ (predecessor, n), predecessor = n'. */
  #notify(candidate: Peer): void {
    if (this.#bug === 'notify-keeps' && this.predecessor) return
    if (this.#bug === 'notify-any' || !this.predecessor || between(candidate.id, this.predecessor.id, this.self.id)) this.predecessor = candidate
  }

  /** One step of find_successor(id): the successor, when id ∈ (n, successor]; else the next node to ask. */
  #routeStep(key: bigint): RouteStep {
    const successor = this.successors[0]
    if (!successor) throw new DhtError('NOT_READY', 'not joined yet')
    if (betweenRightIncl(key, this.self.id, successor.id)) return { kind: 'owner', holders: [this.self], ownerSuccessor: successor }
    return { kind: 'next', candidates: [successor], successors: [successor] }
  }

  async runTask(name: string, scope: CallScope): Promise<unknown> {
    if (this.status !== 'ready') return undefined
    if (name === 'stabilize') return this.#stabilize(scope)
    if (name === 'check_predecessor') return this.#checkPredecessor(scope)
    throw new RangeError(`the SIGCOMM 2001 protocol has no task ${name}`)
  }

  /**
   * x = successor.predecessor; if x ∈ (n, successor), successor = x; successor.notify(n). With a list, the
   * first entry that answers is the successor (the ones before it are dropped) and its list follows it.
   */
  async #stabilize(scope: CallScope): Promise<void> {
    for (const successor of [...this.successors]) {
      let x: Peer | null
      let itsList: Peer[]
      if (successor.id === this.self.id) {
        x = this.predecessor
        itsList = []
      } else {
        try {
          ;({ predecessor: x, successors: itsList } = await this.#remote(successor, scope).neighbors())
        } catch {
          if (this.successors.length > 1) this.successors = this.successors.filter((p) => p.id !== successor.id)
          continue // the next entry, if the list has one; with one successor there is nothing else to try
        }
      }
      const takes = x !== null && between(x.id, this.self.id, successor.id)
      const list = [...(takes && x ? [x] : []), successor, ...itsList].filter((p) => p.id !== this.self.id)
      this.successors = this.#trim(list.length > 0 ? list : [this.self])
      const now = this.successors[0]!
      if (now.id === this.self.id) this.#notify(this.self)
      else await this.#remote(now, scope).notify({ candidate: this.self }).catch(() => undefined)
      return
    }
  }

  /** At most r entries, each once. */
  #trim(list: readonly Peer[]): Peer[] {
    const out: Peer[] = []
    for (const p of list) if (out.length < this.#length && !out.some((q) => q.id === p.id)) out.push(p)
    return out
  }

  async #checkPredecessor(scope: CallScope): Promise<void> {
    const predecessor = this.predecessor
    if (!predecessor || predecessor.id === this.self.id) return
    try {
      await this.#remote(predecessor, scope).ping()
    } catch {
      if (this.predecessor?.id === predecessor.id) this.predecessor = null
    }
  }

  /** n.join(n'): predecessor = nil; successor = n'.find_successor(n). */
  async join(bootstrap: Peer, scope: CallScope): Promise<unknown> {
    this.predecessor = null
    try {
      let at = bootstrap
      for (let hop = 0; hop <= this.#maxHops; hop++) {
        const step = await this.#remote(at, scope).routeStep({ key: this.self.id, mode: 'linear' })
        if (step.kind === 'owner') {
          this.successors = [step.ownerSuccessor]
          this.status = 'ready'
          return step.ownerSuccessor
        }
        if (!step.candidates[0]) break
        at = step.candidates[0]
      }
      throw new DhtError('ROUTE_FAILED', 'find_successor found no successor')
    } catch (error) {
      this.status = 'stopped'
      throw error
    }
  }

  leave(): Promise<unknown> {
    return Promise.reject(new DhtError('BAD_REQUEST', 'the SIGCOMM 2001 protocol has no leave'))
  }

  store(): Promise<unknown> {
    return Promise.reject(new DhtError('BAD_REQUEST', 'the SIGCOMM 2001 model stores no values'))
  }

  remove(): Promise<unknown> {
    return this.store()
  }

  lookup(): Promise<boolean> {
    return Promise.reject(new DhtError('BAD_REQUEST', 'the SIGCOMM 2001 model stores no values'))
  }

  records(): StoredRecord[] {
    return []
  }

  view(): NodeView {
    return { self: this.self, status: this.status, predecessor: this.predecessor, successors: [...this.successors], keys: [] }
  }

  digest(): string {
    return [this.status, peerText(this.predecessor), this.successors.map(peerText).join(',')].join('|')
  }
}

export const sigcommVariant: Variant = {
  name: 'sigcomm',
  tasks: ['stabilize', 'check_predecessor'],
  repairTasks: ['check_predecessor', 'stabilize'],
  leaves: false,
  content: false,
  bugs: ['notify-any', 'notify-keeps'],
  create: (self, transport, options) => new SigcommNode(self, transport, options),
  converge(ring, options) {
    ring.forEach((node, i) => {
      const sigcomm = node as SigcommNode
      const n = ring.length
      sigcomm.status = 'ready'
      const after = Array.from({ length: Math.max(1, Math.min(options.replicas, n - 1)) }, (_, k) => ring[(i + 1 + k) % n]!.self)
      sigcomm.successors = after
      sigcomm.predecessor = n === 1 ? null : ring[(i - 1 + n) % n]!.self
    })
  },
}
