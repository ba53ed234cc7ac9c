// A node's local content: for each key, its values, each with the version of its last write and whether
// that write was a delete (a tombstone). Several values may share a key (a small id space makes
// collisions common), and one never overwrites another. Copies meet by merging: the newer version wins,
// and at equal versions a delete wins, so every node that has seen the same writes holds the same thing.
import { createHash } from 'node:crypto'
import { betweenLeftIncl, type Id } from '../ring.js'
import type { StoredRecord } from './types.js'
import type { Version } from './version-clock.js'

interface Cell {
  version: Version
  deleted: boolean
  /** The store's change counter when this cell last changed: what a handoff sends again after it switched. */
  seq: number
}

/** Whether `incoming` should replace `current`: newer, or as new and a delete. */
export function isNewer(incoming: Pick<StoredRecord, 'version' | 'deleted'>, current: Pick<StoredRecord, 'version' | 'deleted'> | undefined): boolean {
  if (!current) return true
  return incoming.version > current.version || (incoming.version === current.version && incoming.deleted && !current.deleted)
}

export class KeyStore {
  /** Made on first write: a simulation's millions of nodes mostly hold nothing. */
  #byKey: Map<Id, Map<string, Cell>> = NO_KEYS
  /** Bumped by every change: cells remember it, and fingerprints are cached per range until it moves. */
  #seq = 0
  #live = 0
  #tombstones = 0
  /** UTF-8 bytes of the values held, live and deleted apart (a tombstone keeps its value: the value is its name). */
  #liveBytes = 0
  #tombstoneBytes = 0
  #digests: Map<string, { seq: number; digest: string }> | undefined

  /** The change counter: records changed after a reading of it are those with a larger seq. */
  get seq(): number {
    return this.#seq
  }

  /**
   * Keeps `record` if it is newer than what we hold for its value; true when something changed. A
   * tombstone stamped before `expiredBefore` is past its grace period: it still deletes an older copy,
   * but is not kept (so expired tombstones do not travel back and forth between copies).
   */
  merge(record: StoredRecord, expiredBefore = 0): boolean {
    let values = this.#byKey.get(record.key)
    const current = values?.get(record.value)
    if (!isNewer(record, current)) return false
    if (record.deleted && record.version < expiredBefore) return current !== undefined && this.remove(record.key, record.value)
    if (!values) {
      if (this.#byKey === NO_KEYS) this.#byKey = new Map()
      this.#byKey.set(record.key, (values = new Map()))
    }
    const bytes = Buffer.byteLength(record.value, 'utf8')
    this.#count(current, -1, bytes)
    const cell = { version: record.version, deleted: record.deleted, seq: ++this.#seq }
    values.set(record.value, cell)
    this.#count(cell, +1, bytes)
    return true
  }

  /** The record held for one value, live or deleted. */
  recordOf(key: Id, value: string): StoredRecord | undefined {
    const cell = this.#byKey.get(key)?.get(value)
    return cell ? { key, value, version: cell.version, deleted: cell.deleted } : undefined
  }

  /** The live values of a key. */
  get(key: Id): string[] {
    const out: string[] = []
    for (const [value, cell] of this.#byKey.get(key) ?? []) if (!cell.deleted) out.push(value)
    return out
  }

  /** Every record of a key, tombstones included. */
  records(key: Id): StoredRecord[] {
    return this.#collect((k) => k === key)
  }

  /** Forgets a record altogether, not a delete: it moved to another node (a handoff, a stray re-homed). */
  remove(key: Id, value: string, unchangedSince?: number): boolean {
    const values = this.#byKey.get(key)
    const cell = values?.get(value)
    if (!values || !cell) return false
    // A record written again after it was sent stays: the next round sends the newer one.
    if (unchangedSince !== undefined && cell.seq > unchangedSince) return false
    values.delete(value)
    if (values.size === 0) this.#byKey.delete(key)
    this.#count(cell, -1, Buffer.byteLength(value, 'utf8'))
    this.#seq++
    return true
  }

  /** Drops tombstones stamped before `cutoff`: the grace period in which every copy heard of the delete is over. */
  expireTombstones(cutoff: Version): number {
    if (this.#tombstones === 0) return 0
    let expired = 0
    for (const record of this.#collect(() => true)) {
      if (record.deleted && record.version < cutoff && this.remove(record.key, record.value)) expired++
    }
    return expired
  }

  /** Keys with at least one live value. */
  get keyCount(): number {
    let count = 0
    for (const values of this.#byKey.values()) for (const cell of values.values()) if (!cell.deleted) { count++; break }
    return count
  }

  /** Live values. */
  get valueCount(): number {
    return this.#live
  }

  get tombstoneCount(): number {
    return this.#tombstones
  }

  /** UTF-8 bytes of the values held: live ones, and those tombstones remember. */
  get valueBytes(): { live: number; tombstones: number } {
    return { live: this.#liveBytes, tombstones: this.#tombstoneBytes }
  }

  /** Live entries only: what the node stores, as people and the lab's /content see it. */
  liveRecords(): StoredRecord[] {
    return this.#collect(() => true).filter((r) => !r.deleted)
  }

  /** Every record, tombstones included. */
  allRecords(): StoredRecord[] {
    return this.#collect(() => true)
  }

  /** Records whose key lies in [from, to); from == to means the whole ring. */
  recordsIn(from: Id, to: Id): StoredRecord[] {
    return this.#collect((key) => betweenLeftIncl(key, from, to))
  }

  /** Records whose key lies outside [from, to). */
  recordsOutside(from: Id, to: Id): StoredRecord[] {
    return this.#collect((key) => !betweenLeftIncl(key, from, to))
  }

  /** Records of [from, to) that changed after the counter read `seq`. */
  changedSince(seq: number, from: Id, to: Id): StoredRecord[] {
    return this.#collect((key) => betweenLeftIncl(key, from, to), (cell) => cell.seq > seq)
  }

  /** A fingerprint of [from, to), versions and tombstones included, so a replica can skip a transfer when nothing changed. */
  digest(from: Id, to: Id): string {
    // An empty store's every range has one fingerprint: no hashing, and nothing cached per node.
    if (this.#byKey.size === 0) return EMPTY_DIGEST
    const range = `${from}:${to}`
    const digests = (this.#digests ??= new Map())
    const cached = digests.get(range)
    if (cached?.seq === this.#seq) return cached.digest
    const digest = digestOf(this.recordsIn(from, to))
    if (digests.size > 16) digests.clear() // ranges change with the ring; keep only recent ones
    digests.set(range, { seq: this.#seq, digest })
    return digest
  }

  #count(cell: Cell | undefined, sign: 1 | -1, bytes: number): void {
    if (!cell) return
    if (cell.deleted) {
      this.#tombstones += sign
      this.#tombstoneBytes += sign * bytes
    } else {
      this.#live += sign
      this.#liveBytes += sign * bytes
    }
  }

  #collect(keepKey: (key: Id) => boolean, keepCell: (cell: Cell) => boolean = () => true): StoredRecord[] {
    const out: StoredRecord[] = []
    for (const [key, values] of this.#byKey) {
      if (!keepKey(key)) continue
      for (const [value, cell] of values) if (keepCell(cell)) out.push({ key, value, version: cell.version, deleted: cell.deleted })
    }
    return out
  }
}

/** Every empty store's map of keys, until its first write (nothing is ever added to it). */
const NO_KEYS = new Map<Id, Map<string, Cell>>()

/** The fingerprint of no records. */
const EMPTY_DIGEST = createHash('sha1').update('').digest('hex')

export function digestOf(records: readonly StoredRecord[]): string {
  const lines = records.map((r) => `${r.key.toString(16)}:${JSON.stringify(r.value)}:${r.version}:${r.deleted ? 'd' : 'l'}`).sort()
  return createHash('sha1').update(lines.join('\n')).digest('hex')
}
