// The news a node has heard lately, so an announcement that reaches it twice (over two paths) is passed
// on once. Kept apart from announcements.ts so the context that owns one needs none of the spreading.
import type { Announcement } from './types.js'

/** Announcements remembered, so one heard twice (over two paths) is passed on once. */
const REMEMBERED = 256

export class AnnouncementLog {
  /** Made when the first news arrives. */
  #seen: Set<string> | undefined

  /** True the first time this news is heard. */
  first(news: Announcement): boolean {
    const id = `${news.kind}:${news.node.id}:${news.version}`
    const seen = (this.#seen ??= new Set())
    if (seen.has(id)) return false
    if (seen.size >= REMEMBERED) seen.delete(seen.values().next().value!)
    seen.add(id)
    return true
  }
}
