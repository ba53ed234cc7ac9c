// A write whose calls went unanswered: a call that timed out may still have been applied (only its answer
// was lost), so the write's outcome is unknown unless a later call answers. The coordinating node then
// says so (PEER_TIMEOUT, which the tools report as an unknown outcome) instead of claiming it failed.
import { DhtError, errorMessage, isDhtError } from '../errors.js'

/** The unanswered calls of one store or delete: any failure after one becomes a PEER_TIMEOUT saying so. */
export class Unanswered {
  #first: DhtError | undefined

  constructor(
    readonly write: 'store' | 'delete',
    readonly key: string,
  ) {}

  /** Records a call's failure; answers it. */
  note(error: DhtError): DhtError {
    if (isDhtError(error, 'PEER_TIMEOUT')) this.#first ??= error
    return error
  }

  /** `error`, or the unknown outcome when a call of this write went unanswered. */
  or(error: unknown): unknown {
    if (!this.#first) return error
    return new DhtError('PEER_TIMEOUT', `the ${this.write} of key ${this.key} may have been applied: a call got no answer (${errorMessage(this.#first)}), then ${errorMessage(error)}`)
  }

  async during<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      throw this.or(error)
    }
  }
}
