// Versions order the writes of one value: a store makes it live, a delete makes it a tombstone, and the
// newer version wins wherever two copies meet. A version is the writer's clock in milliseconds times 1024
// plus a counter (a hybrid logical clock in one safe integer, good until the year 2248), so versions sort
// by time across nodes sharing a clock, one node never stamps the same version twice, and a node that
// has seen a version stamps later ones above it.

export type Version = number

/** Counter values per millisecond; a burst beyond it borrows from the next millisecond. */
const TICKS_PER_MS = 1024

export class VersionClock {
  readonly #now: () => number
  #last = 0

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** A version newer than every one this clock stamped or saw, and newer than `after`. */
  next(after: Version = 0): Version {
    const version = Math.max(this.#now() * TICKS_PER_MS, this.#last + 1, after + 1)
    this.#last = version
    return version
  }

  /** Remembers a version stamped elsewhere, so our next one is newer (causality across nodes). */
  observe(version: Version): void {
    if (version > this.#last) this.#last = version
  }
}

/** The wall-clock millisecond a version was stamped at (tombstones expire by it). */
export function versionTime(version: Version): number {
  return Math.floor(version / TICKS_PER_MS)
}

/** The first version stamped at or after `ms`: versions below it are older than that moment. */
export function versionAt(ms: number): Version {
  return ms * TICKS_PER_MS
}
