// The news a node has heard lately, so an announcement that reaches it twice (over two paths) is passed
// on once. Kept apart from announcements.ts so the context that owns one needs none of the spreading.
import type { Id } from '../ring.js'
import type { Announcement } from './types.js'

/** Announcements remembered, so one heard twice (over two paths) is passed on once. */
const REMEMBERED = 256

export class AnnouncementLog {
  /** Made when the first news arrives. */
  #seen: Set<string> | undefined

  /** Nodes heard of as gone (left or failed) and not heard of joining since. */
  #gone: Set<Id> | undefined

  /** True the first time this news is heard. */
  first(news: Announcement): boolean {
    const id = `${news.kind}:${news.node.id}:${news.version}`
    const seen = (this.#seen ??= new Set())
    if (seen.has(id)) return false
    if (seen.size >= REMEMBERED) seen.delete(seen.values().next().value!)
    seen.add(id)
    if (news.kind === 'joined') this.#gone?.delete(news.node.id)
    else {
      const gone = (this.#gone ??= new Set())
      if (gone.size >= REMEMBERED) gone.delete(gone.values().next().value!)
      gone.add(news.node.id)
    }
    return true
  }

  /**
   * Whether news said this node is gone. News travels different paths, so a node that leaves just before
   * its successor crashes may be heard of second: its successor is then no one to take its place.
   */
  isGone(id: Id): boolean {
    return this.#gone?.has(id) ?? false
  }
}
