// The one-hop routing table: every node of the ring as this node knows it (Gupta, Liskov and Rodrigues,
// "One Hop Lookups for Peer-to-Peer Overlays", 2003; Dynamo's full membership). Each entry is a node,
// alive or gone, with the version of the news that said so; tables merge newest-wins (a node gone wins a
// tie), so news of joins and failures spreads like any other versioned write. Plain data: the node's
// announcements and stabilize feed it, and routing reads the owner of a key from it in one step.
import { createHash } from 'node:crypto'
import { ownerIndex, type Id } from '../ring.js'
import type { Member, Peer } from './types.js'
import type { Version } from './version-clock.js'

export class MemberTable {
  readonly #members = new Map<Id, Member>()
  #alive: Peer[] | undefined
  #digest: string | undefined

  /** Takes news of one node if it is newer than what we have; true when something changed. */
  apply(member: Member): boolean {
    const current = this.#members.get(member.peer.id)
    const newer = !current || member.version > current.version || (member.version === current.version && !member.alive && current.alive)
    if (!newer) return false
    this.#members.set(member.peer.id, { peer: member.peer, alive: member.alive, version: member.version })
    this.#alive = undefined
    this.#digest = undefined
    return true
  }

  /** Merges another table; answers how many entries changed. */
  merge(members: readonly Member[]): number {
    return members.filter((m) => this.apply(m)).length
  }

  /** The news we hold about one node. */
  get(id: Id): Member | undefined {
    return this.#members.get(id)
  }

  /** The nodes believed alive, in id order. */
  alive(): Peer[] {
    this.#alive ??= [...this.#members.values()].filter((m) => m.alive).map((m) => m.peer).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return this.#alive
  }

  /** The node the table says owns `key` (the last alive node at or before it), if it knows any. */
  ownerOf(key: Id): Peer | undefined {
    const alive = this.alive()
    return alive.length === 0 ? undefined : alive[ownerIndex(alive.map((p) => p.id), key)]
  }

  /** The first alive node at or after `id`: a finger's node, computed without a message. */
  successorOf(id: Id): Peer | undefined {
    const alive = this.alive()
    return alive.find((p) => p.id >= id) ?? alive[0]
  }

  entries(): Member[] {
    return [...this.#members.values()]
  }

  /** Forgets gone nodes whose news is older than `before`, so the table does not grow with every departure. */
  prune(before: Version): void {
    for (const [id, m] of this.#members) {
      if (m.alive || m.version >= before) continue
      this.#members.delete(id)
      this.#digest = undefined
    }
  }

  get size(): number {
    return this.#members.size
  }

  /** A fingerprint of the whole table, so two neighbours compare tables in one field. */
  digest(): string {
    this.#digest ??= createHash('sha1')
      .update(
        [...this.#members.values()]
          .map((m) => `${m.peer.id.toString(16)}:${m.alive ? 1 : 0}:${m.version}`)
          .sort()
          .join('\n'),
      )
      .digest('hex')
    return this.#digest
  }
}
