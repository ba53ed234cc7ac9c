// Errors are data: every failure has a stable code that tests assert and the server maps to a status.

export const ErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_ROUTE: 404,
  METHOD_NOT_ALLOWED: 405,
  ID_TAKEN: 409,
  NOT_OWNER: 409,
  NOT_READY: 409,
  LAST_NODE: 409,
  RING_CHANGED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ROUTE_FAILED: 502,
  PEER_UNREACHABLE: 502,
  PEER_ERROR: 502,
  /** make web: no ring to show or drive (none booted, the state file corrupt, no process alive). */
  UNAVAILABLE: 503,
  PEER_TIMEOUT: 504,
  /** Sent only by a node about itself: it has left the ring and is finishing its last requests. Callers see PEER_UNREACHABLE. */
  NODE_LEFT: 503,
} as const

export type ErrorCode = keyof typeof ErrorCodes

export class DhtError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'DhtError'
    this.code = code
  }

  get status(): number {
    return ErrorCodes[this.code]
  }
}

export function isDhtError(error: unknown, code?: ErrorCode): error is DhtError {
  return error instanceof DhtError && (code === undefined || error.code === code)
}

/** Errors that say "that peer is gone or slow" rather than "that peer said no". */
export function isPeerFailure(error: unknown): boolean {
  return isDhtError(error, 'PEER_UNREACHABLE') || isDhtError(error, 'PEER_TIMEOUT')
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
