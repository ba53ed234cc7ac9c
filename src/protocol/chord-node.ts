// One Chord node: its pointers, its content, and every protocol step (join, findNode, store,
// lookup, leave, stabilize, notify, fix_fingers, check_predecessor, replica sync). It reaches other
// nodes only through a Transport, so the same code runs between processes and in one process.
//
// Ownership follows the lab: a node owns the keys from its own id up to, not including, its
// successor's id. Copies of a key live on its owner and the owner's r-1 predecessors, which is
// exactly where the key's range goes when the owner fails or leaves.
import type { NodeConfig, RouteMode } from '../config.js'
import { DhtError, errorMessage, isDhtError, isPeerFailure } from '../errors.js'
import { between, betweenLeftIncl, type Id, type IdSpace } from '../ring.js'
import { preview } from '../text.js'
import { FingerTable } from './finger-table.js'
import { digestOf, KeyStore } from './key-store.js'
import { RemotePeer, type RemoteNode } from './remote.js'
import type {
  Entry,
  InsertRole,
  JoinResult,
  KeyRange,
  Neighbors,
  NodeInfo,
  NodeStatus,
  Peer,
  RangeAnswer,
  RouteStep,
  Transport,
} from './types.js'
import { sameNode } from './types.js'

/** How many candidates a routing step offers; the extra ones are for routing around a failed peer. */
const ROUTE_CANDIDATES = 3
/** How far one stabilize may walk back along predecessor pointers. */
const STABILIZE_WALK_LIMIT = 32
/** How many times a STORE re-routes when the ring moved under it (a join or a failure). */
const STORE_ATTEMPTS = 4

export interface RouteResult {
  owner: Peer
  ownerSuccessor: Peer
  /** The owner first, then its predecessor, which holds a copy (just the owner when it inherited the key). */
  holders: Peer[]
  hops: number
  /** Every node the route visited, from the asking node to the owner. */
  path: Peer[]
  /** The owner's successor failed and it has not noticed yet: it holds the key's copy and will own it after stabilize. */
  inherited: boolean
  /** The owner's values for the key, when asked for (withValues) and the owner answered the route itself. */
  values?: string[]
}

export interface ValueResult {
  key: Id
  value: string
  node: Peer
  hops: number
  path: Peer[]
}

export type Logger = (line: string) => void

export class ChordNode implements RemoteNode {
  readonly self: Peer
  readonly space: IdSpace
  readonly config: NodeConfig
  readonly store = new KeyStore()
  readonly fingers: FingerTable
  readonly #transport: Transport
  readonly #log: Logger
  #predecessor: Peer | null = null
  /** Set by the predecessor's notify, cleared by check_predecessor: a live predecessor costs no ping. */
  #predecessorHeardFrom = false
  /** The successor's fingerprint of our replica range, from the last stabilize; used once by replica sync. */
  #successorDigest: (KeyRange & { digest: string }) | undefined
  /** Never empty: [self] while alone. Distinct nodes, nearest first, at most r long. */
  #successors: Peer[]
  #status: NodeStatus = 'ready'
  #timers: NodeJS.Timeout[] = []
  #busy = new Set<string>()

  constructor(self: Peer, space: IdSpace, transport: Transport, config: NodeConfig, log: Logger = () => {}) {
    this.self = self
    this.space = space
    this.config = config
    this.fingers = new FingerTable(self, space)
    this.#transport = transport
    this.#log = log
    this.#successors = [self]
  }

  get successor(): Peer {
    return this.#successors[0] ?? this.self
  }

  get successors(): Peer[] {
    return [...this.#successors]
  }

  get predecessor(): Peer | null {
    return this.#predecessor
  }

  get status(): NodeStatus {
    return this.#status
  }

  // ---------------------------------------------------------------- reads

  async nodeInfo(): Promise<NodeInfo> {
    return {
      self: this.self,
      status: this.#status,
      predecessor: this.#predecessor,
      successor: this.successor,
      successors: this.successors,
      fingers: this.fingers.distinct(),
      keys: this.store.keyCount,
      values: this.store.valueCount,
      bits: this.space.bits,
      replicas: this.config.replicas,
      routeMode: this.config.routeMode,
    }
  }

  async ping(): Promise<void> {}

  async neighbors(digestOf?: KeyRange): Promise<Neighbors> {
    const neighbors: Neighbors = { predecessor: this.#predecessor, successors: this.successors }
    if (digestOf && this.#status === 'ready' && digestOf.from === this.self.id && this.#holds(digestOf.to)) {
      neighbors.digest = this.store.digest(digestOf.from, digestOf.to)
    }
    return neighbors
  }

  // ---------------------------------------------------------------- routing (findNode)

  /** One step of iterative routing, answered by this node for a route someone else is driving. */
  async routeStep(key: Id, mode: RouteMode, withValues = false): Promise<RouteStep> {
    return this.#routeStep(key, mode, withValues)
  }

  #routeStep(key: Id, mode: RouteMode, withValues = false): RouteStep {
    const list = this.#successors
    // This node owns [self, successor).
    if (betweenLeftIncl(key, this.self.id, this.successor.id)) {
      const holders = this.#predecessor ? [this.self, this.#predecessor] : [this.self]
      const step: RouteStep = { kind: 'owner', holders: holders.slice(0, this.config.replicas), ownerSuccessor: this.successor }
      return withValues ? { ...step, values: this.store.get(key) } : step
    }
    // Successors at or before the key: each is a step forward that cannot overshoot it. (Not owning the
    // key, our first successor lies there, so the list is empty only when that successor was forgotten.)
    const forward = list.filter((p) => p.id === key || between(p.id, this.self.id, key))
    if (mode === 'linear') return { kind: 'next', candidates: forward.slice(0, ROUTE_CANDIDATES), successors: list }
    // Only the owner's own successor pointer is authoritative, so the route always ends at the owner.
    // On the way: the closest preceding nodes we know, fingers and successors alike, nearest the key first.
    const seen = new Set<Id>()
    const candidates = [...this.fingers.preceding(key), ...forward]
      .filter((p) => !seen.has(p.id) && seen.add(p.id))
      .sort((a, b) => (this.space.distance(a.id, key) < this.space.distance(b.id, key) ? -1 : 1))
      .slice(0, ROUTE_CANDIDATES)
    // Fall back on the successors: each is always a step forward, and unlike fingers they are kept
    // right by leave and stabilize, so fingers that point at departed or failed nodes never strand a route.
    for (const p of forward) if (!candidates.some((q) => sameNode(q, p))) candidates.push(p)
    return { kind: 'next', candidates, successors: list }
  }

  /**
   * findNode: iterative routing driven by this node. Each step asks the current node for the owner or
   * for better nodes to try; a node that does not answer is routed around through the alternatives.
   */
  async findOwner(key: Id, mode: RouteMode = this.config.routeMode, options: { withValues?: boolean } = {}): Promise<RouteResult> {
    const withValues = options.withValues === true
    const path: Peer[] = [this.self]
    // Alternatives still untried at each step, so a dead node costs a detour rather than the lookup.
    const pending: Alternatives[] = []
    const failed = new Set<Id>()
    // A node asked once answers the same way again: never ask it twice in one lookup.
    const asked = new Set<Id>()
    for (;;) {
      const current = path[path.length - 1]!
      let step: RouteStep | undefined
      try {
        step = sameNode(current, this.self) ? this.#routeStep(key, mode, withValues) : await this.#transport.routeStep(current, key, mode, withValues)
      } catch (error) {
        if (!isPeerFailure(error)) throw error
        failed.add(current.id)
        this.#forget(current)
      }
      asked.add(current.id)
      if (step?.kind === 'owner') {
        const owner = step.holders[0]!
        return { owner, ownerSuccessor: step.ownerSuccessor, holders: step.holders, hops: path.length - 1, path, inherited: false, ...(step.values ? { values: step.values } : {}) }
      }
      if (step) {
        if (path.length > this.config.maxHops) {
          throw new DhtError('ROUTE_FAILED', `route to ${this.space.toHex(key)} exceeded ${this.config.maxHops} hops`)
        }
        pending.push({ from: current, options: step.candidates.filter((p) => !sameNode(p, current)), successors: step.successors, pathLength: path.length })
      }
      const next = this.#nextHop(key, pending, failed, asked)
      if (!next) throw new DhtError('ROUTE_FAILED', `no live route to ${this.space.toHex(key)}: every candidate failed`)
      path.length = next.pathLength
      if ('heir' in next) {
        // Every node between `heir` and the key has failed: until stabilize catches up, the key is the heir's.
        return { owner: next.heir, ownerSuccessor: next.successor, holders: [next.heir], hops: path.length - 1, path, inherited: true }
      }
      path.push(next.peer)
    }
  }

  /** The next candidate to ask, from the latest step that still has one, or the node that inherited the key. */
  #nextHop(key: Id, pending: Alternatives[], failed: Set<Id>, asked: Set<Id>): NextHop | undefined {
    while (pending.length > 0) {
      const top = pending[pending.length - 1]!
      const peer = top.options.shift()
      if (peer) {
        if (!failed.has(peer.id) && !asked.has(peer.id)) return { peer, pathLength: top.pathLength }
        continue
      }
      // Out of candidates: if the asked node's first live successor lies past the key, the asked node owns it now.
      const successor = top.successors.find((p) => !failed.has(p.id) && !sameNode(p, top.from))
      if (!successor || betweenLeftIncl(key, top.from.id, successor.id)) {
        return { heir: top.from, successor: successor ?? top.from, pathLength: top.pathLength }
      }
      pending.pop()
    }
    return undefined
  }

  // ---------------------------------------------------------------- pointers (the lab's rewiring, Chord's notify)

  /** PUT /successor. If the new successor sits inside our range, the keys from it onwards are its now: hand them over. */
  async setSuccessor(successor: Peer): Promise<void> {
    if (!sameNode(successor, this.successor)) await this.#mustAnswer(successor, 'successor')
    await this.#adoptSuccessor(successor, [])
  }

  async setPredecessor(predecessor: Peer | null): Promise<void> {
    if (predecessor && !sameNode(predecessor, this.#predecessor)) await this.#mustAnswer(predecessor, 'predecessor')
    this.#predecessor = predecessor && !sameNode(predecessor, this.self) ? predecessor : null
  }

  /** notify: `candidate` thinks it might be our predecessor. */
  async notify(candidate: Peer): Promise<void> {
    if (sameNode(candidate, this.self)) return
    if (sameNode(candidate, this.#predecessor)) {
      // A notify is proof of life: check_predecessor need not ping it this period.
      this.#predecessorHeardFrom = true
      return
    }
    const current = this.#predecessor
    if (current && !between(candidate.id, current.id, this.self.id)) return
    await this.#mustAnswer(candidate, 'candidate predecessor')
    this.#predecessor = candidate
    this.#predecessorHeardFrom = true
  }

  /** We link to no node we cannot reach: a request naming a node that does not exist changes nothing. */
  async #mustAnswer(peer: Peer, role: string): Promise<void> {
    if (sameNode(peer, this.self)) return
    try {
      await this.#transport.ping(peer)
    } catch (error) {
      if (!isPeerFailure(error)) throw error
      throw new DhtError('BAD_REQUEST', `${role} ${peer.host}:${peer.port} does not answer`)
    }
  }

  async #adoptSuccessor(successor: Peer, itsSuccessors: Peer[]): Promise<void> {
    const old = this.successor
    if (!sameNode(successor, this.self) && !sameNode(successor, old) && between(successor.id, this.self.id, old.id)) {
      // Our range shrinks to [self, successor): [successor, old) moves to the newcomer before it is linked in.
      const moving = this.store.entriesIn(successor.id, old.id)
      if (moving.length > 0) {
        await this.#transport.insert(successor, moving, 'handoff', 1)
        this.#log(`handed ${moving.length} values to new successor ${this.#short(successor)}`)
        // With one copy per key the lab's delete follows; with more we keep them as a replica.
        if (this.config.replicas === 1) for (const e of moving) this.store.delete(e.key, e.value)
      }
    }
    this.#successors = this.#successorList(successor, itsSuccessors)
  }

  /** [successor, ...its successors], without us or repeats, at most r long. */
  #successorList(successor: Peer, itsSuccessors: Peer[]): Peer[] {
    if (sameNode(successor, this.self)) return [this.self]
    const list: Peer[] = [successor]
    for (const p of itsSuccessors) {
      if (list.length >= this.config.replicas) break
      if (sameNode(p, this.self)) break
      if (!list.some((q) => sameNode(q, p))) list.push(p)
    }
    return list
  }

  // ---------------------------------------------------------------- JOIN and LEAVE

  /** POST /join, handled by any node: find the joiner's place, rewire around it, let its predecessor hand keys over. */
  async join(joiner: Peer): Promise<JoinResult> {
    if (sameNode(joiner, this.self)) throw idTaken(joiner, this.space)
    await this.#mustAnswer(joiner, 'joiner')
    const route = await this.findOwner(joiner.id)
    const predecessor = route.owner
    if (sameNode(predecessor, joiner)) throw idTaken(joiner, this.space)
    // The owner may not have noticed yet that its successor failed (the route says it inherited the key, or
    // the successor it names does not answer). Then its first live successor becomes the joiner's, and the
    // owner first skips the failed ones as its stabilize would: their ranges are its own already, so the
    // handoff below gives the joiner all of [joiner, successor), not just the part before the failed node.
    let successor = route.ownerSuccessor
    let skipFailed = route.inherited
    if (!sameNode(successor, predecessor) && !(await this.#firstAnswering([successor]))) {
      const live = await this.#firstAnswering((await this.#node(predecessor).neighbors()).successors)
      if (!live) throw new DhtError('NOT_READY', `no successor of ${this.#short(predecessor)} answers; try again after the next stabilize`)
      successor = live
      skipFailed = true
    }
    await this.#node(joiner).setPredecessor(predecessor)
    await this.#node(joiner).setSuccessor(successor)
    if (skipFailed && !sameNode(successor, predecessor)) await this.#node(predecessor).setSuccessor(successor)
    // The predecessor hands [joiner, successor) over as it takes the joiner as its successor.
    await this.#node(predecessor).setSuccessor(joiner)
    await this.#node(successor).setPredecessor(joiner)
    this.#log(`joined ${this.#short(joiner)} between ${this.#short(predecessor)} and ${this.#short(successor)}`)
    return { predecessor, successor }
  }

  /** Called on a new node: join the ring through `bootstrap`, then build successor list, replicas and fingers. */
  async joinVia(bootstrap: Peer): Promise<JoinResult> {
    this.#status = 'joining'
    try {
      const result = await this.#transport.join(bootstrap, this.self)
      await this.stabilize()
      await this.syncReplicas({ force: true })
      await this.fixFingers()
      this.#status = 'ready'
      return result
    } catch (error) {
      this.#status = 'stopped'
      throw error
    }
  }

  /** LEAVE on request: hand our keys to our predecessor, link predecessor and successor, stop. */
  async leave(): Promise<void> {
    if (sameNode(this.successor, this.self)) throw new DhtError('LAST_NODE', 'this is the last node of the ring; it cannot leave (use make killall)')
    const predecessor = this.#predecessor
    if (!predecessor) throw new DhtError('NOT_READY', 'no predecessor known yet; try again after the next stabilize')
    // Neighbours that failed unnoticed: a failed predecessor cannot take our keys (wait for stabilize and
    // notify to bring the live one); a failed successor's range is ours until stabilize runs, so it goes
    // to the predecessor with ours, and our first successor that answers is linked in its place.
    if (!(await this.#firstAnswering([predecessor]))) throw new DhtError('NOT_READY', 'the predecessor does not answer; try again after the next stabilize')
    const successor = await this.#firstAnswering(this.successors)
    if (!successor || sameNode(successor, this.self)) throw new DhtError('NOT_READY', 'no successor answers; try again after the next stabilize')
    this.#status = 'leaving'
    try {
      const ours = this.store.entriesIn(this.self.id, successor.id)
      if (ours.length > 0) await this.#node(predecessor).insert(ours, 'handoff', 1)
      await this.#node(predecessor).setSuccessor(successor)
      await this.#node(successor).setPredecessor(predecessor)
    } catch (error) {
      this.#status = 'ready'
      throw error
    }
    this.stop()
    this.#status = 'stopped'
    this.#log(`left: handed keys to ${this.#short(predecessor)}`)
  }

  // ---------------------------------------------------------------- STORE, LOOKUP, delete as the coordinator

  /** STORE: findNode(hash(value)) then insert on the owner, which copies it to its predecessors. */
  async storeValue(value: string): Promise<ValueResult> {
    this.#checkValue(value)
    const key = this.space.hash(value)
    let lastError: unknown
    for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
      const route = await this.findOwner(key)
      try {
        await this.#node(route.owner).insert([{ key, value }], route.inherited ? 'handoff' : 'store', this.config.replicas)
        return { key, value, node: route.owner, hops: route.hops, path: route.path }
      } catch (error) {
        lastError = error
        if (isDhtError(error, 'NOT_OWNER')) continue // the ring moved under us: route again
        if (!isPeerFailure(error)) throw error
        this.#forget(route.owner)
        // The owner is gone: the node that inherits its range is the next holder.
        const heir = route.holders[1]
        if (!heir) continue
        try {
          await this.#node(heir).insert([{ key, value }], 'handoff', this.config.replicas)
          return { key, value, node: heir, hops: route.hops, path: route.path }
        } catch (heirError) {
          lastError = heirError
        }
      }
    }
    throw new DhtError('ROUTE_FAILED', `could not store: ${errorMessage(lastError)}`)
  }

  /** LOOKUP: findNode(hash(value)) then get(key) on the owner, or on a copy when the owner does not answer. */
  async lookupValue(value: string): Promise<ValueResult> {
    this.#checkValue(value)
    const key = this.space.hash(value)
    // The owner answers the last routing step with its values, which saves a round trip to get them.
    const route = await this.findOwner(key, this.config.routeMode, { withValues: true })
    const notStored = (holder: Peer) => new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${this.space.toHex(key)}, owner ${this.#short(holder)})`)
    if (route.values) {
      if (!route.values.includes(value)) throw notStored(route.owner)
      return { key, value, node: route.owner, hops: route.hops, path: route.path }
    }
    let lastError: unknown
    for (const holder of route.holders) {
      try {
        const values = await this.#node(holder).get(key)
        if (!values.includes(value)) throw notStored(holder)
        return { key, value, node: holder, hops: route.hops, path: route.path }
      } catch (error) {
        lastError = error
        if (!isPeerFailure(error)) throw error
        this.#forget(holder)
      }
    }
    throw new DhtError('ROUTE_FAILED', `no holder of ${this.space.toHex(key)} answered: ${errorMessage(lastError)}`)
  }

  /** delete(value) through the ring: the owner and its copies drop it. */
  async deleteValue(value: string): Promise<ValueResult & { deleted: number }> {
    this.#checkValue(value)
    const key = this.space.hash(value)
    const route = await this.findOwner(key)
    const deleted = await this.#node(route.owner).delete(key, value, this.config.replicas)
    if (deleted === 0) throw new DhtError('NOT_FOUND', `"${preview(value)}" is not stored (key ${this.space.toHex(key)})`)
    return { key, value, node: route.owner, hops: route.hops, path: route.path, deleted }
  }

  // ---------------------------------------------------------------- content handlers (insert, get, delete)

  /** insert: keep the entries and pass them to our predecessor while copies remain. */
  async insert(entries: Entry[], role: InsertRole, copies: number): Promise<void> {
    if (role === 'store') {
      const stray = entries.find((e) => !betweenLeftIncl(e.key, this.self.id, this.successor.id))
      if (stray) throw new DhtError('NOT_OWNER', `key ${this.space.toHex(stray.key)} is not in this node's range`)
    }
    const added = entries.filter((e) => this.store.insert(e))
    // Stop when nothing was new: the chain has wrapped round a small ring, or a copy was already there.
    if (copies > 1 && added.length > 0) await this.#replicateToPredecessor((p) => p.insert(added, 'replica', copies - 1))
  }

  async get(key: Id): Promise<string[]> {
    return this.store.get(key)
  }

  async delete(key: Id, value: string | undefined, copies: number): Promise<number> {
    const deleted = this.store.delete(key, value)
    if (copies > 1 && deleted > 0) await this.#replicateToPredecessor((p) => p.delete(key, value, copies - 1))
    return deleted
  }

  /** The entries of [from, to), for a predecessor keeping its copy of our range up to date. */
  async rangeEntries(from: Id, to: Id, digest?: string): Promise<RangeAnswer> {
    if (this.#status !== 'ready') throw new DhtError('NOT_READY', `node is ${this.#status}`)
    if (from !== this.self.id || !this.#holds(to)) throw new DhtError('NOT_OWNER', 'range is not held here')
    const entries = this.store.entriesIn(from, to)
    if (digest !== undefined && digest === digestOf(entries)) return { unchanged: true }
    return { unchanged: false, entries }
  }

  async #replicateToPredecessor(send: (predecessor: RemoteNode) => Promise<unknown>): Promise<void> {
    const predecessor = this.#predecessor
    if (!predecessor) return
    // Best effort: a missing copy is restored by the predecessor's next replica sync.
    await send(this.#node(predecessor)).catch((error: unknown) => this.#log(`replica to ${this.#short(predecessor)} failed: ${errorMessage(error)}`))
  }

  // ---------------------------------------------------------------- maintenance (timers only schedule these)

  /** stabilize + notify: learn of a node that slipped in before our successor, refresh the successor list, skip dead ones. */
  async stabilize(): Promise<void> {
    for (const successor of this.successors) {
      if (sameNode(successor, this.self)) {
        // Alone, or everyone else failed: a predecessor that notified us is our way back into a ring.
        const predecessor = this.#predecessor
        if (predecessor) await this.#adoptSuccessor(predecessor, []).catch(() => {})
        return
      }
      let neighbors: Neighbors
      // Ask for the fingerprint of our copy of its range too, so an unchanged replica costs no extra call.
      const copied = this.#replicaRange()
      try {
        neighbors = await this.#transport.neighbors(successor, copied)
      } catch (error) {
        if (!isPeerFailure(error)) throw error
        this.#log(`successor ${this.#short(successor)} failed: ${errorMessage(error)}`)
        this.#forget(successor)
        continue
      }
      // Walk back along predecessor pointers while they point between us and our successor: one step is
      // Chord's stabilize; several let a node whose successors all failed find its true successor at once.
      let next = successor
      for (let walked = 0; walked < STABILIZE_WALK_LIMIT; walked++) {
        const candidate = neighbors.predecessor
        if (!candidate || !between(candidate.id, this.self.id, next.id)) break
        try {
          neighbors = await this.#transport.neighbors(candidate)
          next = candidate
        } catch {
          break // the node in between does not answer: keep the successor we have
        }
      }
      await this.#adoptSuccessor(next, neighbors.successors)
      this.#successorDigest = copied && sameNode(next, successor) && neighbors.digest !== undefined ? { ...copied, digest: neighbors.digest } : undefined
      await this.#transport.notify(next, this.self).catch(() => {})
      return
    }
    // Every successor failed (more than r in a row): the nearest live finger, then the predecessor, takes
    // over; it may skip live nodes, but their notify and the next stabilize rounds pull them back in.
    // Only with nobody left do we stand alone.
    const fallbacks = [...this.fingers.distinct().map((row) => row.node), ...(this.#predecessor ? [this.#predecessor] : [])]
    for (const candidate of fallbacks) {
      try {
        const neighbors = await this.#transport.neighbors(candidate)
        await this.#adoptSuccessor(candidate, neighbors.successors)
        return
      } catch (error) {
        if (!isPeerFailure(error)) throw error
        this.#forget(candidate)
      }
    }
    this.#successors = [this.self]
  }

  /** check_predecessor: forget a predecessor that no longer answers, so notify can replace it. */
  async checkPredecessor(): Promise<void> {
    const predecessor = this.#predecessor
    const heardFrom = this.#predecessorHeardFrom
    this.#predecessorHeardFrom = false
    if (!predecessor || heardFrom) return
    try {
      await this.#transport.ping(predecessor)
    } catch (error) {
      if (!isPeerFailure(error)) throw error
      if (sameNode(this.#predecessor, predecessor)) this.#predecessor = null
    }
  }

  /** fix_fingers: finger i = successor(n + 2^i). Starts that fall before the previous finger share it, so a table costs ~log2 N lookups. */
  async fixFingers(): Promise<void> {
    let previous = this.successor
    for (let i = 0; i < this.fingers.size; i++) {
      const start = this.fingers.start(i)
      if (start === previous.id || between(start, this.self.id, previous.id)) {
        this.fingers.set(i, previous)
        continue
      }
      try {
        const route = await this.findOwner(start)
        previous = route.owner.id === start ? route.owner : route.ownerSuccessor
        this.fingers.set(i, previous)
      } catch (error) {
        this.#log(`finger ${i} not refreshed: ${errorMessage(error)}`)
      }
    }
  }

  /**
   * Replica sync: we hold [self, s_r), our range and our r-1 successors' ranges. Copy [s1, s_r) from our
   * successor, who holds it too, then pass anything we hold outside our share to its owner before dropping it.
   */
  async syncReplicas(options: { force?: boolean } = {}): Promise<void> {
    const successor = this.successor
    const end = this.#holdEnd()
    const copied = this.#replicaRange()
    if (copied) {
      const digest = options.force ? undefined : this.store.digest(copied.from, copied.to)
      const known = this.#successorDigest
      this.#successorDigest = undefined
      // The digest that came with stabilize says our copy is current: nothing to fetch.
      if (digest !== undefined && known && known.from === copied.from && known.to === copied.to && known.digest === digest) {
        await this.#rehomeStrays(end)
        return
      }
      try {
        const answer = await this.#transport.rangeEntries(successor, successor.id, end, digest)
        if (!answer.unchanged) this.store.replaceRange(successor.id, end, answer.entries)
      } catch (error) {
        // A successor still joining, or whose view differs for a moment, is asked again next time.
        if (isPeerFailure(error)) this.#forget(successor)
        else if (!isDhtError(error, 'NOT_READY') && !isDhtError(error, 'NOT_OWNER')) throw error
      }
    }
    await this.#rehomeStrays(end)
  }

  async #rehomeStrays(end: Id): Promise<void> {
    let strays = this.store.entriesOutside(this.self.id, end)
    while (strays.length > 0) {
      const route = await this.findOwner(strays[0]!.key).catch(() => undefined)
      if (!route || sameNode(route.owner, this.self)) return
      const batch = strays.filter((e) => betweenLeftIncl(e.key, route.owner.id, route.ownerSuccessor.id))
      try {
        await this.#node(route.owner).insert(batch, 'handoff', this.config.replicas)
      } catch {
        return // keep them until the owner answers
      }
      for (const e of batch) this.store.delete(e.key, e.value)
      strays = strays.filter((e) => !batch.includes(e))
    }
  }

  /** The part of our holding that is a copy of our successors' ranges, [s1, s_r); undefined with one copy per key. */
  #replicaRange(): KeyRange | undefined {
    const successor = this.successor
    const end = this.#holdEnd()
    if (this.config.replicas <= 1 || sameNode(successor, this.self) || end === successor.id) return undefined
    return { from: successor.id, to: end }
  }

  /** Where the keys we hold end: the r-th successor, or ourselves (the whole ring) when the ring is that small. */
  #holdEnd(): Id {
    const list = this.#successors
    const last = list[this.config.replicas - 1]
    return last && list.length >= this.config.replicas ? last.id : this.self.id
  }

  #holds(to: Id): boolean {
    const end = this.#holdEnd()
    return end === this.self.id || to === end || between(to, this.self.id, end)
  }

  /** Starts the maintenance timers; each task is skipped while its previous run is still going. */
  start(): void {
    const every = (name: string, ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => {
        if (this.#busy.has(name) || this.#status === 'stopped') return
        this.#busy.add(name)
        task()
          .catch((error: unknown) => this.#log(`${name} failed: ${errorMessage(error)}`))
          .finally(() => this.#busy.delete(name))
      }, ms)
      this.#timers.push(timer)
    }
    every('stabilize', this.config.stabilizeIntervalMs, async () => {
      await this.stabilize()
      if (this.#status === 'ready') await this.syncReplicas()
    })
    every('fix_fingers', this.config.fingerIntervalMs, () => this.fixFingers())
    every('check_predecessor', this.config.checkPredecessorIntervalMs, () => this.checkPredecessor())
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers = []
  }

  // ---------------------------------------------------------------- helpers

  /** The first of `peers` that answers a ping; those that do not are forgotten. */
  async #firstAnswering(peers: Peer[]): Promise<Peer | undefined> {
    for (const peer of peers) {
      if (sameNode(peer, this.self)) return peer
      try {
        await this.#transport.ping(peer)
        return peer
      } catch (error) {
        if (!isPeerFailure(error)) throw error
        this.#forget(peer)
      }
    }
    return undefined
  }

  /** A node that failed a call: stop routing through it until it is heard of again. */
  #forget(peer: Peer): void {
    if (sameNode(peer, this.self)) return
    this.fingers.forget(peer.id)
    if (sameNode(this.#predecessor, peer)) this.#predecessor = null
    const rest = this.#successors.filter((p) => !sameNode(p, peer))
    // Never fall back to standing alone while others are known: a node alone claims the whole ring.
    // The nearest finger (or the predecessor) stands in until stabilize finds the true successor.
    this.#successors = rest.length > 0 ? rest : [this.fingers.distinct()[0]?.node ?? this.#predecessor ?? this.self]
  }

  /** The node at `peer`: ourselves directly, anyone else through the transport. */
  #node(peer: Peer): RemoteNode {
    return sameNode(peer, this.self) ? this : new RemotePeer(this.#transport, peer)
  }

  #checkValue(value: string): void {
    if (Buffer.byteLength(value, 'utf8') > this.config.maxValueBytes) {
      throw new DhtError('PAYLOAD_TOO_LARGE', `value is larger than ${this.config.maxValueBytes} bytes`)
    }
  }

  #short(peer: Peer): string {
    return `${this.space.toHex(peer.id).slice(0, 8)}@${peer.port}`
  }
}

interface Alternatives {
  /** The node that offered these. */
  from: Peer
  options: Peer[]
  successors: Peer[]
  /** How long the path was when these were offered: taking one backtracks the path to there. */
  pathLength: number
}

type NextHop = { peer: Peer; pathLength: number } | { heir: Peer; successor: Peer; pathLength: number }

function idTaken(joiner: Peer, space: IdSpace): DhtError {
  return new DhtError('ID_TAKEN', `id ${space.toHex(joiner.id)} of ${joiner.host}:${joiner.port} is already taken by a running node`)
}
