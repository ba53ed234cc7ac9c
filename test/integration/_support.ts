// Small helpers shared by the integration tests (not a test file itself). Their random choices come
// from the test's seeded generator (../helpers/seed.ts): every test reports the seed, TEST_SEED=n replays.
import type { ProcessRecord } from '../../src/tools/network-state.js'
import type { RingSnapshot } from '../../src/tools/ring-snapshot.js'
import { IdSpace, betweenLeftIncl } from '../../src/node/ring.js'
import { testRandom } from '../helpers/seed.js'
import type { Testnet } from '../helpers/testnet.js'

export { replayHint, TEST_SEED, testRandom } from '../helpers/seed.js'

export function pick<T>(items: readonly T[]): T {
  return testRandom().pick(items)
}

/** A random process of the ring as the state file lists it now. */
export function randomNode(net: Testnet): ProcessRecord {
  return pick(net.processes())
}

/** n distinct values, unique per prefix (so tests never share values by accident). */
export function makeValues(prefix: string, n: number): string[] {
  const random = testRandom()
  return Array.from({ length: n }, (_, i) => `${prefix} value #${i} ${random.int(36 ** 6).toString(36).padStart(6, '0')}`)
}

/** The true owner of `key` among `ids` (hex of the same width): the last id <= key, wrapping round. */
export function trueOwner(ids: readonly string[], key: string): string {
  const sorted = [...ids].sort()
  let owner = sorted[sorted.length - 1]!
  for (const id of sorted) if (id <= key) owner = id
  return owner
}

export function hexKey(bits: number, value: string): string {
  const space = new IdSpace(bits)
  return space.toHex(space.hash(value))
}

/** Stores every value through a random node, a few in flight at once. */
export async function storeAll(net: Testnet, values: readonly string[], inFlight = 4): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < values.length) {
      const value = values[next++]!
      await net.client.store(randomNode(net), value)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
}

/** Looks every value up through a random node; returns the values not found, with why. */
export async function lookupAll(net: Testnet, values: readonly string[], inFlight = 4): Promise<Array<{ value: string; error: string }>> {
  const missing: Array<{ value: string; error: string }> = []
  let next = 0
  const worker = async () => {
    while (next < values.length) {
      const value = values[next++]!
      try {
        const found = await net.client.lookup(randomNode(net), value)
        if (found.value !== value) missing.push({ value, error: `lookup answered ${JSON.stringify(found.value)}` })
      } catch (error) {
        missing.push({ value, error: error instanceof Error ? `${(error as { code?: string }).code ?? ''} ${error.message}` : String(error) })
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return missing
}

/** Polls settle() and reports how long the ring took to satisfy its invariants (a figure, never asserted). */
export async function timedSettle(net: Testnet, timeoutMs?: number): Promise<{ problems: string[]; ms: number }> {
  const started = Date.now()
  const problems = await net.settle(timeoutMs)
  return { problems, ms: Date.now() - started }
}

/** For each node of the snapshot, the keys it should hold as sole owner: [id, next id). */
export function expectedOwnership(snapshot: RingSnapshot): Map<string, (key: string) => boolean> {
  const space = new IdSpace(snapshot.bits)
  const ids = snapshot.nodes.map((n) => n.id).sort()
  const out = new Map<string, (key: string) => boolean>()
  ids.forEach((id, i) => {
    const next = ids[(i + 1) % ids.length]!
    const from = space.parseHex(id)!
    const to = space.parseHex(next)!
    out.set(id, (key: string) => betweenLeftIncl(space.parseHex(key)!, from, to))
  })
  return out
}

/** A comparable picture of a snapshot: pointers and content per node, without timestamps or fingers. */
export function ringPicture(snapshot: RingSnapshot): string[] {
  return snapshot.nodes.map((n) => {
    const info = n.info
    if (!info) return `${n.id}@${n.port} error ${n.error ?? ''}`
    const entries = (n.entries ?? []).map((e) => `${e.key}=${e.value}`).sort()
    return [
      `${n.id}@${n.port} ${info.status}`,
      `pred=${info.predecessor ? info.predecessor.port : '-'}`,
      `succ=${info.successors.map((s) => s.port).join(',')}`,
      `entries=${entries.join('|')}`,
    ].join(' ')
  })
}
