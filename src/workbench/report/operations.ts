// The DHT operations the bench times, as load-loop operations: each goes to a random node of the ring,
// checks its answer, and may count the hops and HTTP exchanges it took.
import { randomBytes } from 'node:crypto'
import type { ProcessRecord } from '../../tools/network-state.js'
import type { RingClient } from '../../tools/ring-client.js'
import type { Operation } from './load.js'

export const randomItem = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
export const randomId = (): string => randomBytes(20).toString('hex')

export interface OpStats {
  hops: number[]
  /**
   * HTTP exchanges per operation: the client's request and one /route per hop; the owner answers the last
   * /route of a lookup with its values, while a store then sends the /insert and r-1 replica copies.
   */
  exchanges: number[]
}

export const newOpStats = (): OpStats => ({ hops: [], exchanges: [] })

const wrongValue = () => Object.assign(new Error('wrong value'), { code: 'WRONG_VALUE' })

/** Looks up a random one of `values` through a random node; a wrong answer is an error. */
export function lookupOperation(client: RingClient, processes: ProcessRecord[], values: string[], stats?: OpStats): Operation {
  return async () => {
    const value = randomItem(values)
    const reply = await client.lookup(randomItem(processes), value)
    if (reply.value !== value) throw wrongValue()
    stats?.hops.push(reply.hops)
    stats?.exchanges.push(1 + reply.hops)
  }
}

/** Looks up a value no one stored through a random node: only NOT_FOUND counts as success. */
export function missOperation(client: RingClient, processes: ProcessRecord[]): Operation {
  return async () => {
    try {
      await client.lookup(randomItem(processes), `absent-${randomBytes(8).toString('hex')}`)
    } catch (error) {
      if ((error as { code?: unknown }).code === 'NOT_FOUND') return
      throw error
    }
    throw Object.assign(new Error('an absent value was found'), { code: 'WRONG_VALUE' })
  }
}

/** Stores a new value through a random node and adds it to `stored`. */
export function storeOperation(client: RingClient, processes: ProcessRecord[], replicas: number, prefix: string, stored: string[], stats?: OpStats): Operation {
  return async (i: number) => {
    const entry = randomItem(processes)
    const value = `${prefix}-${i}-${randomBytes(6).toString('hex')}`
    const reply = await client.store(entry, value)
    stored.push(value)
    stats?.hops.push(reply.hops)
    stats?.exchanges.push(1 + reply.hops + (reply.node.port === entry.port ? 0 : 1) + replicas - 1)
  }
}

/** Looks each value up once; counts those found at a node other than `ownerOf` says. */
export function checkedLookup(client: RingClient, processes: ProcessRecord[], values: string[], ownerOf: (value: string) => string, wrong: { owners: number }): Operation {
  return async (i: number) => {
    const value = values[i]!
    const reply = await client.lookup(randomItem(processes), value)
    if (reply.value !== value) throw wrongValue()
    if (reply.node.id !== ownerOf(value)) wrong.owners++
  }
}
