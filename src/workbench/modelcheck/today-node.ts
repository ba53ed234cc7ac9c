// Today's protocol as the model checker runs it: a ChordNode, the very class the node processes run
// (src/node/protocol), over the checker's network, its handlers, maintenance rounds, join, leave and
// client operations called exactly as the server, the scheduler and the tools call them. Nothing of
// the protocol is copied here; this only reads the node's state for the invariants and the hash.
import { isDhtError } from '../../node/errors.js'
import type { RpcName } from '../../node/api/rpcs.js'
import type { Transport } from '../../node/api/transport.js'
import { defaultNodeConfig } from '../../node/config.js'
import { ChordNode, type TaskName } from '../../node/protocol/chord-node.js'
import type { NodeState } from '../../node/protocol/node-state.js'
import type { CallScope, NodeStatus, Peer, StoredRecord } from '../../node/protocol/types.js'
import { IdSpace, successorIndex } from '../../node/ring.js'
import type { NodeView } from '../../tools/ring-invariants.js'
import { ManualClock } from '../sim/manual-clock.js'
import { peerText, type NodeOptions, type ProtocolNode, type SeededBug, type Variant } from './protocol-node.js'

/** The checker's clock never moves: versions still order writes (by their counter), and no tombstone expires. */
const CHECK_EPOCH_MS = Date.UTC(2026, 0, 1)

/** A ChordNode whose state the checker may read (and, for a seeded bug, bend). */
class CheckedChordNode extends ChordNode {
  get internals(): NodeState {
    return this.context.state
  }
}

class TodayNode implements ProtocolNode {
  readonly chord: CheckedChordNode
  readonly #bug: SeededBug | undefined

  constructor(self: Peer, transport: Transport, options: NodeOptions) {
    const config = defaultNodeConfig({ bits: options.bits, replicas: options.replicas })
    this.chord = new CheckedChordNode(self, new IdSpace(options.bits), transport, config, () => {}, { clock: new ManualClock(CHECK_EPOCH_MS) })
    this.#bug = options.bug
  }

  get self(): Peer {
    return this.chord.self
  }

  get status(): NodeStatus {
    return this.chord.status
  }

  answers(): boolean {
    return this.chord.status !== 'stopped'
  }

  handle(rpc: RpcName, request: unknown, scope: CallScope): Promise<unknown> {
    const state = this.chord.internals
    const handlers = this.chord.within(scope) as unknown as Record<string, (request: unknown) => Promise<unknown>>
    const candidate = rpc === 'notify' ? (request as { candidate: Peer }).candidate : rpc === 'neighborsAndNotify' ? (request as { notify: Peer }).notify : undefined
    const bug = this.#bug
    // Seeded bugs, each bending one rule where the message arrives (the protocol's own code is untouched):
    // notify takes the candidate whatever the predecessor is (the handler then finds it is its predecessor already) ...
    if (bug === 'notify-any' && candidate && candidate.id !== state.self.id) state.predecessor = candidate
    // ... or never replaces a predecessor it has (the notify is not handled at all) ...
    if (bug === 'notify-keeps' && candidate && state.predecessor && candidate.id !== state.predecessor.id) {
      if (rpc === 'notify') return Promise.resolve({ predecessor: state.predecessor })
      const { notify: _ignored, ...neighbors } = request as { notify: Peer }
      return handlers.neighbors!.call(handlers, neighbors)
    }
    // ... or the keys a node is handed are acknowledged and dropped.
    if (bug === 'handoff-dropped' && rpc === 'insert' && (request as { role: string }).role === 'handoff') return Promise.resolve({ inserted: (request as { records: unknown[] }).records.length })
    return handlers[rpc]!.call(handlers, request)
  }

  runTask(name: string, scope: CallScope): Promise<unknown> {
    return this.chord.runTask(name as TaskName, scope)
  }

  join(bootstrap: Peer, scope: CallScope): Promise<unknown> {
    return this.chord.within(scope).joinVia(bootstrap)
  }

  leave(scope: CallScope): Promise<unknown> {
    return this.chord.within(scope).leave()
  }

  store(value: string, scope: CallScope): Promise<unknown> {
    return this.chord.within(scope).storeValue(value)
  }

  remove(value: string, scope: CallScope): Promise<unknown> {
    return this.chord.within(scope).deleteValue(value)
  }

  async lookup(value: string, scope: CallScope): Promise<boolean> {
    try {
      await this.chord.within(scope).lookupValue(value)
      return true
    } catch (error) {
      if (isDhtError(error, 'NOT_FOUND')) return false
      throw error
    }
  }

  records(value: string): StoredRecord[] {
    return this.chord.store.records(this.chord.space.hash(value)).filter((r) => r.value === value)
  }

  view(): NodeView {
    const chord = this.chord
    return {
      self: chord.self,
      status: chord.status,
      predecessor: chord.predecessor,
      successors: chord.successors,
      keys: chord.store.liveRecords().map((r) => r.key),
      fingers: chord.fingers.distinct(),
    }
  }

  digest(): string {
    const state = this.chord.internals
    const fingers = Array.from({ length: state.fingers.size }, (_, i) => peerText(state.fingers.get(i))).join(',')
    const records = state.store
      .allRecords()
      .map((r) => `${r.value}:${r.version}:${r.deleted ? 'd' : 'l'}`)
      .sort()
      .join(',')
    // Whether fix_fingers would audit one finger or refresh them all; whether check_predecessor would ping.
    const fingersChecked = state.fingersCheckedAt === state.changes
    return [state.status, peerText(state.predecessor), state.successors.map(peerText).join(','), fingers, records, state.predecessorHeardFrom, fingersChecked, state.anyUnreachable].join('|')
  }
}

export const todayVariant: Variant = {
  name: 'today',
  tasks: ['stabilize', 'check_predecessor', 'fix_fingers', 'retry_unreachable'],
  // retry_unreachable merges rings that a false suspicion (lost calls) split apart.
  repairTasks: ['check_predecessor', 'stabilize', 'retry_unreachable'],
  leaves: true,
  content: true,
  bugs: ['notify-any', 'notify-keeps', 'handoff-dropped'],
  create: (self, transport, options) => new TodayNode(self, transport, options),
  converge(ring, options) {
    const ids = ring.map((node) => node.self.id)
    const space = new IdSpace(options.bits)
    ring.forEach((node, i) => {
      const state = (node as TodayNode).chord.internals
      const n = ring.length
      state.status = 'ready'
      state.predecessor = n === 1 ? null : ring[(i - 1 + n) % n]!.self
      const after = Array.from({ length: n - 1 }, (_, k) => ring[(i + 1 + k) % n]!.self)
      state.setSuccessors(after[0] ?? state.self, after.slice(1))
      for (let f = 0; f < state.fingers.size; f++) {
        const finger = ring[successorIndex(ids, space.fingerStart(state.self.id, f))]!.self
        state.fingers.set(f, finger.id === state.self.id ? undefined : finger)
      }
      // As after a whole refresh that found the table right: fix_fingers audits one finger a round.
      state.fingersCheckedAt = state.changes
    })
  },
}
