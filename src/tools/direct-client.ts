// The tools' client that knows the ring: it keeps a copy of the membership (the network state's nodes,
// what one node's /nodeinfo names, and a one-hop node's whole table) and sends a lookup, store or delete
// straight to the node it believes owns the key, in one exchange instead of one per hop. A node that
// does not own the key answers MOVED with the owner it knows; the copy takes that node in and the client
// asks it, a few times at most. When the copy is empty, or stale beyond a few redirects, or names a node
// that does not answer, the operation is routed through any node as before, and the copy is refreshed.
// The owner decides by its own successor pointer, so a stale copy costs time, never a wrong answer.
import { isDhtError, isPeerFailure, ToolError } from '../node/errors.js'
import type { RouteMode } from '../node/settings.js'
import type { PeerJson } from '../node/wire.js'
import type { CallOptions, DirectReply, RingClient, ValueReply } from './ring-client.js'
import { RingMembers } from './ring-members.js'

export type DirectKind = 'lookup' | 'store' | 'delete'

export interface DirectResult extends ValueReply {
  /** direct: answered by the owner, after `redirects` MOVED answers; routed: findNode through `asked`. */
  route: 'direct' | 'routed'
  redirects: number
  /** The node the request went to first. */
  asked: PeerJson
}

export interface DirectOptions {
  /** Where the copy starts, and starts again on a refresh: the nodes the network state lists. */
  seeds: () => readonly PeerJson[]
  routeMode: RouteMode
  /** MOVED answers followed before routing instead (default 3). */
  maxRedirects?: number
  random?: () => number
}

const MAX_REDIRECTS = 3
/** A copy found stale is refreshed at most this often (a ring in churn would otherwise be read on every miss). */
const REFRESH_EVERY_MS = 1000
/** Entries a routed operation tries when the one it picked does not answer. */
const ROUTED_ATTEMPTS = 3

export class DirectClient {
  readonly members = new RingMembers()
  /** Operations answered by the owner, MOVED answers followed, operations routed instead. */
  readonly counts = { direct: 0, redirects: 0, routed: 0 }
  readonly #maxRedirects: number
  readonly #random: () => number
  #refreshing: Promise<void> | undefined
  #refreshedAt = -Infinity

  constructor(
    readonly client: RingClient,
    readonly options: DirectOptions,
  ) {
    this.#maxRedirects = options.maxRedirects ?? MAX_REDIRECTS
    this.#random = options.random ?? Math.random
  }

  lookup(value: string, call: CallOptions = {}): Promise<DirectResult> {
    return this.#run('lookup', value, call)
  }

  store(value: string, call: CallOptions = {}): Promise<DirectResult> {
    return this.#run('store', value, call)
  }

  deleteValue(value: string, call: CallOptions = {}): Promise<DirectResult> {
    return this.#run('delete', value, call)
  }

  /**
   * Reads the membership again: the seeds, then what the first of them to answer knows (its successors,
   * predecessor and fingers; in a one-hop ring its table of every node). Nodes no longer named stay
   * until they fail to answer: a node only dropped from a table may still own its keys.
   */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => {
      this.#refreshing = undefined
      this.#refreshedAt = performance.now()
    })
    return this.#refreshing
  }

  async #read(): Promise<void> {
    const seeds = this.options.seeds()
    for (const seed of seeds) this.members.add(seed)
    // From a random seed on, so many tools at once do not all ask the same node.
    const start = Math.floor(this.#random() * seeds.length)
    const order = [...seeds.slice(start), ...seeds.slice(0, start)]
    for (const at of order.slice(0, ROUTED_ATTEMPTS)) {
      try {
        const info = await this.client.nodeInfo(at)
        const { wire } = this.client
        for (const peer of [info.self, ...info.successors, ...(info.predecessor ? [info.predecessor] : []), ...info.fingers.map((f) => f.node)]) this.members.add(wire.peer(peer))
        if (this.options.routeMode === 'onehop') for (const peer of await this.client.members(at)) this.members.add(peer)
        return
      } catch (error) {
        // A copy that cannot be read fails no operation: the seeds are in it, and MOVED answers fill it in.
        if (isPeerFailure(error)) this.members.remove(at)
      }
    }
  }

  async #run(kind: DirectKind, value: string, call: CallOptions): Promise<DirectResult> {
    // The lab node has no /value: every operation is routed.
    if (this.client.impl === 'lab') return this.#routed(kind, value, call, 0)
    if (this.members.size === 0) await this.refresh()
    let target = this.members.ownerOf(this.client.wire.space.hash(value))
    const asked = target
    let redirects = 0
    while (target) {
      let answer: DirectReply<ValueReply>
      try {
        answer = await this.#direct(kind, target, value, call)
      } catch (error) {
        if (isPeerFailure(error)) {
          this.members.remove(target)
          // A delete that may have happened is not sent again: a second would answer NOT_FOUND.
          if (kind === 'delete') throw error
          break
        }
        if (isDhtError(error, 'NOT_READY')) break
        throw error
      }
      if (!answer.moved) {
        this.counts.direct++
        return { ...answer.reply, route: 'direct', redirects, asked: asked! }
      }
      this.counts.redirects++
      this.members.add(answer.owner)
      // By id: a virtual node may name another of its own process (VNODES=v), which is a node to go to.
      const same = answer.owner.id === target.id
      if (same || redirects >= this.#maxRedirects) break
      target = answer.owner
      redirects++
    }
    this.#refreshSoon()
    return this.#routed(kind, value, call, redirects)
  }

  #direct(kind: DirectKind, at: PeerJson, value: string, call: CallOptions): Promise<DirectReply<ValueReply>> {
    if (kind === 'lookup') return this.client.readValue(at, value, call)
    if (kind === 'store') return this.client.writeValue(at, value, call)
    return this.client.removeValue(at, value, call)
  }

  /** The operation through a node of the copy (or a seed), which routes it; another node when that one does not answer. */
  async #routed(kind: DirectKind, value: string, call: CallOptions, redirects: number): Promise<DirectResult> {
    for (let attempt = 1; ; attempt++) {
      const seeds = this.options.seeds()
      const entry = this.members.any(this.#random) ?? seeds[Math.floor(this.#random() * seeds.length)]
      if (!entry) throw new ToolError('NO_RING', 'no node of the ring is known to send the request to')
      try {
        const reply = kind === 'lookup' ? await this.client.lookup(entry, value, call) : kind === 'store' ? await this.client.store(entry, value, call) : await this.client.deleteValue(entry, value, call)
        this.counts.routed++
        return { ...reply, route: 'routed', redirects, asked: entry }
      } catch (error) {
        if (!isPeerFailure(error) || kind === 'delete' || attempt >= ROUTED_ATTEMPTS) throw error
        this.members.remove(entry)
      }
    }
  }

  #refreshSoon(): void {
    if (this.#refreshing || performance.now() - this.#refreshedAt < REFRESH_EVERY_MS) return
    void this.refresh().catch(() => undefined)
  }
}

/** How an operation reached its node, for the tools' one line: "straight to the owner", "routed through @5001, 2 hops". */
export function reachedBy(result: DirectResult): string {
  const redirects = result.redirects > 0 ? ` after ${result.redirects} redirect${result.redirects === 1 ? '' : 's'}` : ''
  if (result.route === 'direct') return `straight to the owner${redirects}`
  return `routed through @${result.asked.port}${redirects}, ${result.hops} hop${result.hops === 1 ? '' : 's'}`
}
