// Signed requests: how a request proves it comes from a holder of the cluster secret without the secret
// ever travelling. The sender signs, with HMAC-SHA-256 keyed by the secret, the method, the path with its
// query, a SHA-256 digest of the body, a timestamp and a nonce; a receiver that shares the secret checks
// the signature, refuses a request older than the window (or dated too far ahead), a nonce it has seen,
// and a body whose digest is not the signed one. So a captured request is worth one delivery, within
// 30 s, to the node it was meant for, and cannot be changed on the way.
//
// AUTH=bearer (the lab node's rings) keeps the old scheme: the secret itself as `authorization: Bearer`.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type http from 'node:http'
import { DhtError } from '../errors.js'
import type { AuthMode } from '../settings.js'
import { NonceCache } from './nonce-cache.js'

export type { AuthMode }

export const SIGNATURE_HEADERS = {
  /** When the request was signed: epoch milliseconds. */
  date: 'x-chord-date',
  /** A value never signed twice: 32 hex digits. */
  nonce: 'x-chord-nonce',
  /** hex HMAC-SHA-256 of the signing string under the cluster secret. */
  signature: 'x-chord-signature',
  /** The body's SHA-256, as RFC 9530 writes it: `sha-256=:<base64>:`. */
  digest: 'content-digest',
} as const

/** How old (or how far ahead of the receiver's clock) a signed request may be. */
export const SIGNATURE_WINDOW_MS = 30_000

const NONCE_PATTERN = /^[0-9a-f]{32}$/
const DATE_PATTERN = /^\d{1,15}$/
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/

/** What a signature covers, besides the time and the nonce. */
export interface SignedParts {
  method: string
  /** The request target exactly as sent: the path and its query (`/store?value=a%20b`). */
  target: string
  /** The body's bytes as sent (none for GET and DELETE). */
  body?: string | Buffer | undefined
}

const digestOf = (body: string | Buffer): string => `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
const EMPTY_BODY_DIGEST = digestOf('')

/** The digest of a body, as the content-digest header carries it. */
export function bodyDigest(body: string | Buffer | undefined): string {
  return body === undefined || body.length === 0 ? EMPTY_BODY_DIGEST : digestOf(body)
}

/**
 * Nonces: this process's random prefix and a counter, so none repeats within the process and two
 * processes share one only by a 64-bit chance; cheaper than fresh randomness per request.
 */
const NONCE_PREFIX = randomBytes(8).toString('hex')
let nonceCount = 0n
function nextNonce(): string {
  nonceCount++
  return NONCE_PREFIX + nonceCount.toString(16).padStart(16, '0')
}

/** The text a signature is made over: one field a line, so no field can be moved into another. */
export function signingString(method: string, target: string, digest: string, date: string, nonce: string): string {
  return `${method.toUpperCase()}\n${target}\n${digest}\n${date}\n${nonce}`
}

function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex')
}

/** The headers that sign one request; `now` and `nonce` are fixed only by tests. */
export function signRequest(secret: string, parts: SignedParts, options: { now?: number; nonce?: string } = {}): Record<string, string> {
  const date = String(options.now ?? Date.now())
  const nonce = options.nonce ?? nextNonce()
  const digest = bodyDigest(parts.body)
  return {
    [SIGNATURE_HEADERS.date]: date,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.digest]: digest,
    [SIGNATURE_HEADERS.signature]: hmac(secret, signingString(parts.method, parts.target, digest, date, nonce)),
  }
}

/** Makes the headers a request carries to prove it holds the secret (the HTTP clients call it per request). */
export type RequestSigner = (parts: SignedParts) => Record<string, string>

/**
 * The signer for a ring: HMAC signatures, or the bearer token on AUTH=bearer rings; none without a
 * secret. Reads go unsigned: only write routes need the secret, and no write route is a GET (the
 * request-signing unit test holds the API to that), so a lookup pays nothing for it.
 */
export function requestSigner(secret: string | undefined, mode: AuthMode): RequestSigner | undefined {
  if (!secret) return undefined
  if (mode === 'bearer') {
    const headers = { authorization: `Bearer ${secret}` }
    return () => headers
  }
  const none = {}
  return (parts) => (parts.method === 'GET' || parts.method === 'HEAD' ? none : signRequest(secret, parts))
}

function refuse(reason: string): DhtError {
  return new DhtError('UNAUTHORIZED', reason)
}

/** What a request's headers proved: the digest its body must have, or nothing more to check (a bearer token). */
export type HeaderProof = { digest: string } | { bearer: true }

export interface VerifierOptions {
  /** AUTH=bearer: `authorization: Bearer <secret>` is accepted too. */
  acceptBearer: boolean
  now?: () => number
  windowMs?: number
}

/**
 * A server's side: checks the headers of a request that needs the secret, then its body. The checks run
 * cheapest and least trusting first, and a nonce is remembered only once the signature is right, so no
 * one without the secret can fill the cache.
 */
export class RequestVerifier {
  readonly #secret: string
  readonly #bearer: Buffer | undefined
  readonly #now: () => number
  readonly #windowMs: number
  readonly #nonces: NonceCache

  constructor(secret: string, options: VerifierOptions) {
    this.#secret = secret
    this.#bearer = options.acceptBearer ? Buffer.from(`Bearer ${secret}`) : undefined
    this.#now = options.now ?? Date.now
    this.#windowMs = options.windowMs ?? SIGNATURE_WINDOW_MS
    this.#nonces = new NonceCache()
  }

  /** Nonces remembered now (bounded by the window: each is forgotten once its request would be too old anyway). */
  get remembered(): number {
    return this.#nonces.size
  }

  /** Checks what the headers say; throws UNAUTHORIZED naming the reason. */
  checkHeaders(method: string, target: string, headers: http.IncomingHttpHeaders): HeaderProof {
    const header = (name: string): string | undefined => {
      const value = headers[name]
      return Array.isArray(value) ? undefined : value
    }
    const signature = header(SIGNATURE_HEADERS.signature)
    const authorization = header('authorization')
    if (signature === undefined) {
      if (authorization !== undefined && this.#bearer) {
        const given = Buffer.from(authorization)
        if (given.length === this.#bearer.length && timingSafeEqual(given, this.#bearer)) return { bearer: true }
        throw refuse(`${method} ${target.split('?')[0]} needs the cluster secret: the bearer token is wrong`)
      }
      const why = authorization !== undefined ? 'a bearer token is not accepted on this ring (AUTH=hmac): sign the request' : 'missing signature'
      throw refuse(`${method} ${target.split('?')[0]} changes the ring and needs a signed request (${SIGNATURE_HEADERS.signature}): ${why}`)
    }
    const date = header(SIGNATURE_HEADERS.date)
    const nonce = header(SIGNATURE_HEADERS.nonce)
    const digest = header(SIGNATURE_HEADERS.digest)
    if (date === undefined || nonce === undefined || digest === undefined) {
      throw refuse(`missing signature: a signed request carries ${Object.values(SIGNATURE_HEADERS).join(', ')}`)
    }
    if (!DATE_PATTERN.test(date)) throw refuse(`${SIGNATURE_HEADERS.date} must be epoch milliseconds, got "${date.slice(0, 20)}"`)
    if (!NONCE_PATTERN.test(nonce)) throw refuse(`${SIGNATURE_HEADERS.nonce} must be 32 hex digits`)
    if (!SIGNATURE_PATTERN.test(signature)) throw refuse(`${SIGNATURE_HEADERS.signature} must be 64 hex digits`)
    const now = this.#now()
    const signedAt = Number(date)
    const seconds = this.#windowMs / 1000
    if (signedAt < now - this.#windowMs) throw refuse(`the request is older than ${seconds} s (signed ${((now - signedAt) / 1000).toFixed(1)} s ago)`)
    if (signedAt > now + this.#windowMs) throw refuse(`the request is dated more than ${seconds} s in the future (${((signedAt - now) / 1000).toFixed(1)} s ahead)`)
    const expected = Buffer.from(hmac(this.#secret, signingString(method, target, digest, date, nonce)))
    if (!timingSafeEqual(Buffer.from(signature), expected)) {
      throw refuse('the signature does not match: a wrong secret, or the method, path, query or digest changed')
    }
    // Remembered until the request would be refused as too old anyway.
    if (!this.#nonces.claim(nonce, signedAt + this.#windowMs, now)) throw refuse('replayed nonce: this request was already received')
    return { digest }
  }

  /** Checks the body against the digest the headers signed. */
  checkBody(proof: HeaderProof, body: Buffer | undefined): void {
    if ('bearer' in proof) return
    if (bodyDigest(body) !== proof.digest) throw refuse('body changed: its digest is not the one signed')
  }
}
