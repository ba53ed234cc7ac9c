// The ring's content checked across nodes, by version: no value may be live on one node and deleted on
// another once the ring has settled (replica sync and read repair reconcile that within a few rounds,
// so while it lasts it is settling), and no tombstone may be kept past its grace period (then the nodes'
// expiry has stopped: broken). Pure, like ring-invariants.ts and ring-classification.ts: views in, findings out.
import type { Peer } from '../node/protocol/types.js'
import { versionTime } from '../node/protocol/version-clock.js'
import type { Id, IdSpace } from '../node/ring.js'
import type { Finding } from './ring-classification.js'
import { preview } from '../node/text.js'

/** One record a node holds: a live value, or the tombstone of a deleted one. */
export interface RecordView {
  key: Id
  value: string
  version: number
  deleted: boolean
}

export interface ContentView {
  self: Peer
  records: RecordView[]
}

export interface VersionCheckOptions {
  /** The ring's tombstone grace period. */
  graceMs: number
  /** The checker's clock, in epoch milliseconds. */
  now: number
  /** How much later than the grace period a tombstone may still be seen: expiry runs once per stabilize. */
  slackMs: number
}

export function checkVersions(views: readonly ContentView[], space: IdSpace, options: VersionCheckOptions): Finding[] {
  const short = (id: Id): string => space.toHex(id).slice(0, 8)
  const names = (peers: Peer[]): string => `[${peers.map((p) => short(p.id)).join(', ')}]`
  const out: Finding[] = []
  const byValue = new Map<string, { key: Id; value: string; live: Peer[]; deleted: Peer[] }>()
  const expiredBefore = options.now - options.graceMs - options.slackMs
  for (const view of views) {
    const expired = view.records.filter((r) => r.deleted && versionTime(r.version) < expiredBefore)
    if (expired.length > 0) {
      const oldest = Math.min(...expired.map((r) => versionTime(r.version)))
      out.push({
        kind: 'tombstone',
        severity: 'broken',
        node: view.self,
        key: expired[0]!.key,
        message: `${short(view.self.id)} keeps ${expired.length} tombstone${expired.length === 1 ? '' : 's'} past the ${options.graceMs / 1000} s grace period (oldest deleted ${Math.round((options.now - oldest) / 1000)} s ago)`,
      })
    }
    for (const record of view.records) {
      const id = `${record.key}:${record.value}`
      let entry = byValue.get(id)
      if (!entry) byValue.set(id, (entry = { key: record.key, value: record.value, live: [], deleted: [] }))
      ;(record.deleted ? entry.deleted : entry.live).push(view.self)
    }
  }
  for (const entry of byValue.values()) {
    if (entry.live.length === 0 || entry.deleted.length === 0) continue
    out.push({
      kind: 'conflict',
      severity: 'settling',
      key: entry.key,
      message: `"${preview(entry.value, 24)}" (key ${short(entry.key)}) is deleted on ${names(entry.deleted)} but live on ${names(entry.live)}`,
    })
  }
  return out
}
