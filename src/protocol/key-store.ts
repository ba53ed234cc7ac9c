// A node's local content: values grouped by key. Several values may share a key (a small id space
// makes collisions common), and one never overwrites another.
import { createHash } from 'node:crypto'
import { betweenLeftIncl, type Id } from '../ring.js'
import type { Entry } from './types.js'

export class KeyStore {
  readonly #byKey = new Map<Id, Set<string>>()
  /** Bumped by every change, so a fingerprint is computed once per range until the content changes. */
  #version = 0
  readonly #digests = new Map<string, { version: number; digest: string }>()

  /** Adds the value under its key; false when it was already there. */
  insert({ key, value }: Entry): boolean {
    let values = this.#byKey.get(key)
    if (!values) this.#byKey.set(key, (values = new Set()))
    if (values.has(value)) return false
    values.add(value)
    this.#version++
    return true
  }

  get(key: Id): string[] {
    return [...(this.#byKey.get(key) ?? [])]
  }

  /** Removes one value, or every value of the key when value is undefined; returns how many went. */
  delete(key: Id, value?: string): number {
    const values = this.#byKey.get(key)
    if (!values) return 0
    this.#version++
    if (value === undefined) {
      this.#byKey.delete(key)
      return values.size
    }
    if (!values.delete(value)) return 0
    if (values.size === 0) this.#byKey.delete(key)
    return 1
  }

  get keyCount(): number {
    return this.#byKey.size
  }

  get valueCount(): number {
    let count = 0
    for (const values of this.#byKey.values()) count += values.size
    return count
  }

  keys(): Id[] {
    return [...this.#byKey.keys()]
  }

  entries(): Entry[] {
    return this.#collect(() => true)
  }

  /** Entries whose key lies in [from, to); from == to means the whole ring. */
  entriesIn(from: Id, to: Id): Entry[] {
    return this.#collect((key) => betweenLeftIncl(key, from, to))
  }

  /** Entries whose key lies outside [from, to). */
  entriesOutside(from: Id, to: Id): Entry[] {
    return this.#collect((key) => !betweenLeftIncl(key, from, to))
  }

  /** Makes [from, to) hold exactly these entries, leaving the rest of the store alone. */
  replaceRange(from: Id, to: Id, entries: Entry[]): void {
    this.#version++
    for (const key of this.keys()) if (betweenLeftIncl(key, from, to)) this.#byKey.delete(key)
    for (const entry of entries) if (betweenLeftIncl(entry.key, from, to)) this.insert(entry)
  }

  /** A fingerprint of [from, to), so a replica can skip a transfer when nothing changed. */
  digest(from: Id, to: Id): string {
    const range = `${from}:${to}`
    const cached = this.#digests.get(range)
    if (cached?.version === this.#version) return cached.digest
    const digest = digestOf(this.entriesIn(from, to))
    if (this.#digests.size > 16) this.#digests.clear() // ranges change with the ring; keep only recent ones
    this.#digests.set(range, { version: this.#version, digest })
    return digest
  }

  #collect(keep: (key: Id) => boolean): Entry[] {
    const out: Entry[] = []
    for (const [key, values] of this.#byKey) {
      if (!keep(key)) continue
      for (const value of values) out.push({ key, value })
    }
    return out
  }
}

export function digestOf(entries: Entry[]): string {
  const lines = entries.map((e) => `${e.key.toString(16)}:${JSON.stringify(e.value)}`).sort()
  return createHash('sha1').update(lines.join('\n')).digest('hex')
}
