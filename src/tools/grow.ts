// Adding many nodes to a ring: the loop shared by `make addmany` and `make bench`. One after another or
// several at a time, with a progress line, a time per join, and every failure kept as data. The caller
// says how to add one node, so a local add and a join of a remote ring go through the same loop.
import { errorMessage, Progress } from './output.js'

export interface AddNodesOptions<T> {
  /** Joins in flight at once: 1 adds one after another, `count` starts every join at once. */
  parallel?: number
  /** `addmany` counts a failed join as done; the bench replaces it with another try (until `maxFailures`). */
  retryFailed?: boolean
  /** No new join starts after this many failures (those in flight finish). */
  maxFailures?: number
  /** No new join starts after this many seconds (those in flight finish). */
  budgetSeconds?: number
  /** No new join starts once this is aborted (Ctrl-C). */
  signal?: AbortSignal
  /** The progress line's label; none is printed without one. */
  progress?: string
  /** Called as each node joins (the bench records the pids it started). */
  onJoined?: (node: T, ms: number) => void
  onFailed?: (failure: JoinFailure) => void
}

export interface JoinFailure {
  message: string
  error: unknown
  /** From the start of that join to its failure. */
  ms: number
}

export interface AddNodesResult<T> {
  joined: T[]
  /** Start to joined, in ms, for each node in `joined` (same order). */
  joinMs: number[]
  failures: JoinFailure[]
  /** Why fewer than `count` joined when the loop stopped early; undefined when it ran to the end. */
  stopped?: 'failures' | 'budget' | 'aborted'
  seconds: number
}

/** Adds `count` nodes with `addOne`, `parallel` at a time; never throws for a failed join. */
export async function addNodes<T>(count: number, addOne: () => Promise<T>, options: AddNodesOptions<T> = {}): Promise<AddNodesResult<T>> {
  const maxFailures = options.maxFailures ?? Infinity
  const budgetMs = (options.budgetSeconds ?? Infinity) * 1000
  const progress = options.progress !== undefined && count > 0 ? new Progress(options.progress, count) : undefined
  const result: AddNodesResult<T> = { joined: [], joinMs: [], failures: [], seconds: 0 }
  const started = performance.now()
  let attempts = 0
  let inFlight = 0
  const finished = () => (options.retryFailed ? result.joined.length + inFlight : attempts) >= count
  const shouldStop = (): AddNodesResult<T>['stopped'] => {
    if (options.signal?.aborted) return 'aborted'
    if (result.failures.length >= maxFailures) return 'failures'
    if (performance.now() - started > budgetMs) return 'budget'
    return undefined
  }
  const worker = async () => {
    while (!finished()) {
      const stop = shouldStop()
      if (stop) {
        result.stopped ??= stop
        return
      }
      attempts++
      inFlight++
      const joinStarted = performance.now()
      try {
        const node = await addOne()
        const ms = performance.now() - joinStarted
        result.joined.push(node)
        result.joinMs.push(ms)
        options.onJoined?.(node, ms)
        progress?.tick()
      } catch (error) {
        const failure = { message: errorMessage(error), error, ms: performance.now() - joinStarted }
        result.failures.push(failure)
        options.onFailed?.(failure)
        // A retried failure is not progress: the line counts nodes that joined.
        if (!options.retryFailed) progress?.tick(true)
      } finally {
        inFlight--
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, count)) }, worker))
  progress?.end()
  result.seconds = (performance.now() - started) / 1000
  return result
}
