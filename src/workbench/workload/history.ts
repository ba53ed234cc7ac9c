// What clients did and what they were told, in the order it happened: the history a Jepsen-style
// checker reads. Each operation is invoked, then completes as ok (for a lookup or delete, found or not),
// fail (refused: it did not happen) or info (indeterminate: a timeout or a node gone mid-way, so it may
// or may not have happened).

export type OperationKind = 'store' | 'delete' | 'lookup'
export type Outcome = 'ok' | 'fail' | 'info'

export interface Operation {
  /** Which client ran it. */
  client: number
  kind: OperationKind
  value: string
  /** When it was invoked and when its answer came, on one clock (a counter in simulations, ms otherwise). */
  invokedAt: number
  completedAt?: number
  outcome?: Outcome
  /** A lookup or delete that completed ok: whether the value was there (false: it answered NOT_FOUND). */
  found?: boolean
  /** The error code of a fail or info. */
  code?: string
}

export class History {
  readonly operations: Operation[] = []
  readonly #now: () => number

  constructor(now: () => number) {
    this.#now = now
  }

  invoke(client: number, kind: OperationKind, value: string): Operation {
    const operation: Operation = { client, kind, value, invokedAt: this.#now() }
    this.operations.push(operation)
    return operation
  }

  complete(operation: Operation, outcome: Outcome, detail: { found?: boolean; code?: string } = {}): void {
    operation.completedAt = this.#now()
    operation.outcome = outcome
    if (detail.found !== undefined) operation.found = detail.found
    if (detail.code !== undefined) operation.code = detail.code
  }
}

/** A clock for simulations: every reading is one tick later, so order is all that counts. */
export function tickClock(): () => number {
  let tick = 0
  return () => ++tick
}
