// Clients of the Jepsen-style set test: each stores values of its own (unique strings), deletes some of
// the ones it stored, and looks up values any client stored, recording everything in a History. The
// same clients drive the simulator's nodes, real processes and `make torture`, through a SetTarget.
import { isDhtError } from '../../node/errors.js'
import type { History, OperationKind } from './history.js'

/** One way to reach the ring: each call resolves when the operation succeeded and rejects with a DhtError otherwise. */
export interface SetTarget {
  store(value: string): Promise<unknown>
  delete(value: string): Promise<unknown>
  lookup(value: string): Promise<unknown>
}

/** Answers that mean the operation certainly did nothing (as opposed to a timeout, which may hide a success). */
const DEFINITE_FAILURES = new Set(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNAUTHORIZED', 'NODE_LEFT'])

/** Runs one operation and records it: ok, ok-but-not-found, fail, or info (indeterminate). */
export async function recorded(history: History, client: number, kind: OperationKind, value: string, call: () => Promise<unknown>): Promise<'ok' | 'absent' | 'failed'> {
  const op = history.invoke(client, kind, value)
  try {
    await call()
    history.complete(op, 'ok', kind === 'store' ? {} : { found: true })
    return 'ok'
  } catch (error) {
    const code = isDhtError(error) ? error.code : ((error as { code?: unknown } | null)?.code as string | undefined) ?? 'ERROR'
    if (code === 'NOT_FOUND' && kind !== 'store') {
      history.complete(op, 'ok', { found: false, code })
      return 'absent'
    }
    history.complete(op, DEFINITE_FAILURES.has(code) ? 'fail' : 'info', { code })
    return 'failed'
  }
}

export interface SetWorkloadOptions {
  clients: number
  /** Operations per client. */
  operations: number
  random: () => number
  /** Makes values unique to this run. */
  prefix: string
  /** Share of stores, deletes and lookups (the rest of 1 after store and delete are lookups). */
  mix?: { store: number; delete: number }
  /** Runs before every operation: lets a test pause clients, or stop them early (return false). */
  beforeEach?: () => Promise<boolean> | boolean
  /** The target a client uses for an operation (e.g. a random entry node each time). */
  targetFor: (client: number) => SetTarget
}

/** Runs the clients to completion; returns every value any client tried to store. */
export async function runSetWorkload(history: History, options: SetWorkloadOptions): Promise<string[]> {
  const mix = options.mix ?? { store: 0.5, delete: 0.15 }
  const all: string[] = []
  /** Values whose store was acknowledged and whose delete has not begun: what lookups must find. */
  const readable: string[] = []
  const client = async (id: number) => {
    const mine: string[] = []
    let next = 0
    for (let i = 0; i < options.operations; i++) {
      if (options.beforeEach && !(await options.beforeEach())) return
      const target = options.targetFor(id)
      const roll = options.random()
      if (roll < mix.store || readable.length === 0) {
        const value = `${options.prefix}-c${id}-${next++}`
        all.push(value)
        if ((await recorded(history, id, 'store', value, () => target.store(value))) === 'ok') {
          mine.push(value)
          readable.push(value)
        }
      } else if (roll < mix.store + mix.delete && mine.length > 0) {
        const value = mine.splice(Math.floor(options.random() * mine.length), 1)[0]!
        readable.splice(readable.indexOf(value), 1)
        await recorded(history, id, 'delete', value, () => target.delete(value))
      } else {
        const value = readable[Math.floor(options.random() * readable.length)]!
        await recorded(history, id, 'lookup', value, () => target.lookup(value))
      }
    }
  }
  await Promise.all(Array.from({ length: options.clients }, (_, id) => client(id)))
  return all
}

/** After the ring settled: whether each value is found, asking again (a few times) when the answer was not definite. */
export async function finalReads(values: readonly string[], lookup: (value: string) => Promise<unknown>, attempts = 3): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>()
  for (const value of values) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await lookup(value)
        found.set(value, true)
        break
      } catch (error) {
        if (isDhtError(error, 'NOT_FOUND')) {
          found.set(value, false)
          break
        }
        if (attempt === attempts) throw error
      }
    }
  }
  return found
}
