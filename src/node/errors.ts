// Errors are data: every failure has a stable code that tests assert and the server maps to a status.

export const ErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_ROUTE: 404,
  METHOD_NOT_ALLOWED: 405,
  /** A direct operation (GET/POST/DELETE /value) at a node that does not own the key: the reply names the owner it knows. */
  MOVED: 421,
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

/** An error with a stable code, and the HTTP status that code is answered with. */
class CodedError<Code extends string> extends Error {
  readonly code: Code
  readonly #statuses: Readonly<Record<Code, number>>

  constructor(name: string, statuses: Readonly<Record<Code, number>>, code: Code, message: string) {
    super(message)
    this.name = name
    this.code = code
    this.#statuses = statuses
  }

  get status(): number {
    return this.#statuses[this.code]
  }
}

/** Fields an error reply carries beside { error, code } (MOVED's owner), already as JSON. */
export type ErrorDetails = Readonly<Record<string, unknown>>

export class DhtError extends CodedError<ErrorCode> {
  constructor(
    code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super('DhtError', ErrorCodes, code, message)
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

/**
 * The tools' failures (the Make targets' scripts, the state file, spawning, the web view's actions),
 * each with a stable code and the HTTP status the web view answers it with.
 */
export const ToolErrorCodes = {
  /** A Make argument or node flag that is not what its setting allows. */
  BAD_ARGUMENT: 400,
  /** No ring is recorded, or none of its processes is alive. */
  NO_RING: 503,
  /** PORT= names no node of the recorded ring. */
  NO_SUCH_NODE: 404,
  /** state/network.json cannot be read as a network state. */
  STATE_CORRUPT: 503,
  /** Another tool holds the state file's lock for too long. */
  STATE_LOCKED: 503,
  /** A node could not listen on its port. */
  PORT_IN_USE: 409,
  /** A node's id is another node's (small id spaces). */
  ID_TAKEN: 409,
  /** The cluster secret a node was given cannot be used. */
  BAD_SECRET: 500,
  /** No port to start a node on. */
  NO_FREE_PORT: 503,
  /** A node did not report ready in time. */
  SPAWN_TIMEOUT: 504,
  /** A node process could not be started, or exited before it was ready. */
  SPAWN_FAILED: 500,
  /** A node started but could not join (its own code and message say why). */
  NODE_FAILED: 502,
  /** The last node of a ring would go: make killall ends a ring, not make crash. */
  LAST_NODE: 409,
  /** A node answered, but not with what its API promises. */
  BAD_REPLY: 502,
  /** make check: the ring is broken. */
  RING_BROKEN: 500,
  /** make check: the ring was still settling when the wait ended. */
  RING_SETTLING: 503,
  /** Some of a batch (addmany, storemany) failed; each failure was printed. */
  PARTLY_FAILED: 500,
  /** make trace ID=: no node of the ring has a message of that trace. */
  NO_SUCH_TRACE: 404,
  /** The ring's node program lacks what the tool needs (the lab node keeps no message log). */
  UNSUPPORTED: 501,
  /** A program the target runs is not installed (make prometheus: Debian's prometheus). */
  MISSING_PROGRAM: 500,
  /** A store or delete whose answer never came: it may or may not have been applied. */
  OUTCOME_UNKNOWN: 504,
  /** make grade: some test of the chosen levels failed. */
  GRADE_FAILED: 500,
} as const

export type ToolErrorCode = keyof typeof ToolErrorCodes

export class ToolError extends CodedError<ToolErrorCode> {
  constructor(code: ToolErrorCode, message: string) {
    super('ToolError', ToolErrorCodes, code, message)
  }
}

export function isToolError(error: unknown, code?: ToolErrorCode): error is ToolError {
  return error instanceof ToolError && (code === undefined || error.code === code)
}
