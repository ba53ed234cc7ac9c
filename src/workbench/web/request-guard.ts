// Who may call make web's API, and how the tools' errors answer there. The API can change the ring (and
// holds the cluster secret), so only this page may call it: the Host must be this server's own (no DNS
// rebinding), a browser's Origin must match it (no cross-site requests), and POSTs must be JSON (which
// a cross-site form cannot send without a preflight we refuse).
import { DhtError, ErrorCodes, isToolError, type ErrorCode } from '../../node/errors.js'
import type { Wrapper } from '../../node/server/json-server.js'

/** Refuses, with 403 or 415, a request this page did not send; `allowedHosts` is filled in once the port is known. */
export function onlyThisPage(allowedHosts: ReadonlySet<string>): Wrapper {
  return (next) => async (request) => {
    const hostHeader = (request.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(hostHeader)) throw new DhtError('FORBIDDEN', `requests must be addressed to ${[...allowedHosts][0] ?? 'this server'}, not ${hostHeader || 'no host'}`)
    const origin = request.headers.origin
    if (origin !== undefined && origin !== `http://${hostHeader}`) throw new DhtError('FORBIDDEN', `cross-origin requests are refused (origin ${origin})`)
    if (request.method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new DhtError('UNSUPPORTED_MEDIA_TYPE', 'POST bodies must be JSON (content-type: application/json)')
    }
    return next(request)
  }
}

/**
 * The tools' errors as DhtErrors: no ring to drive (none booted, the state file corrupt or locked) is
 * 503 UNAVAILABLE; a tool's code that is also a node's (ID_TAKEN, LAST_NODE) keeps it; a bad argument is 400.
 */
export function toolError(error: unknown): DhtError | undefined {
  if (!isToolError(error)) return undefined
  if (error.code === 'NO_RING' || error.code === 'STATE_CORRUPT' || error.code === 'STATE_LOCKED') return new DhtError('UNAVAILABLE', error.message)
  if (error.code === 'BAD_ARGUMENT') return new DhtError('BAD_REQUEST', error.message)
  if (Object.hasOwn(ErrorCodes, error.code)) return new DhtError(error.code as ErrorCode, error.message)
  return undefined
}
