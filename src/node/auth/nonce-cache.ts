// The nonces a server has accepted, each kept only until the request that carried it would be refused
// as too old anyway: so the cache is bounded by the signature window, not by a count that an attacker
// could push a remembered nonce out of. Kept in buckets of a few seconds by expiry; a whole bucket goes at once.

const BUCKET_MS = 5_000

export class NonceCache {
  /** Expiry bucket (expiry / BUCKET_MS, rounded down) → the nonces expiring in it. */
  readonly #buckets = new Map<number, Set<string>>()
  #size = 0

  get size(): number {
    return this.#size
  }

  /** Remembers `nonce` until `expiresAt`; false when it is remembered already (a replay). */
  claim(nonce: string, expiresAt: number, now: number): boolean {
    this.#forgetExpired(now)
    for (const bucket of this.#buckets.values()) if (bucket.has(nonce)) return false
    const index = Math.floor(expiresAt / BUCKET_MS)
    let bucket = this.#buckets.get(index)
    if (!bucket) this.#buckets.set(index, (bucket = new Set()))
    bucket.add(nonce)
    this.#size++
    return true
  }

  /** Drops the buckets whose every nonce has expired (a bucket ends where the next begins). */
  #forgetExpired(now: number): void {
    for (const [index, bucket] of this.#buckets) {
      if ((index + 1) * BUCKET_MS <= now) {
        this.#size -= bucket.size
        this.#buckets.delete(index)
      }
    }
  }
}
