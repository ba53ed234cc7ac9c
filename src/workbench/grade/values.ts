// The data a graded ring holds: STORE, LOOKUP and DELETE through a node, what a node says it holds
// (GET /content), how many copies the node says it keeps, and the values the tests store: sentences
// made from a seeded generator, so a grade can be replayed.
import type { SeededRandom } from '../sim/random.js'
import type { Address, Exchange, Probe } from './probe.js'
import type { TrueRing } from './ring-view.js'
import { errorReply, fail, isObject, jsonObject, keyOf, nodeField, seenAnswer, shortNode, type NodeRef } from './verdict.js'

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip'.split(' ')

/** `count` distinct sentences, each with the test's tag so tests sharing a ring never share a value. */
export function sentences(random: SeededRandom, tag: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 3 + random.int(4) }, () => random.pick(WORDS))
    return `${tag} ${i} ${words.join(' ')}`
  })
}

/**
 * STORE through `via`: a 2xx whose key, when given, is SHA-1 of the value and whose node, when given,
 * is the key's owner in `truth`.
 */
export async function store(probe: Probe, via: Address, value: string, truth: TrueRing): Promise<void> {
  const reply = await probe.send(via, 'POST', '/store', { value })
  const body = jsonObject(reply, `STORE ${JSON.stringify(value)}`)
  checkKeyAndOwner(body, value, truth, reply, 'STORE')
}

export function lookup(probe: Probe, via: Address, value: string): Promise<Exchange> {
  return probe.get(via, `/lookup?value=${encodeURIComponent(value)}`)
}

/** LOOKUP through `via` finds exactly the value (and its key, and its owner when the node says). */
export async function expectFound(probe: Probe, via: Address, value: string, truth: TrueRing): Promise<void> {
  const reply = await lookup(probe, via, value)
  const body = jsonObject(reply, `LOOKUP ${JSON.stringify(value)} through @${via.port}: 200 with the value`, 200)
  if (body.value !== value) fail(`LOOKUP answering value ${JSON.stringify(value)}`, `value ${JSON.stringify(body.value)}`, reply)
  checkKeyAndOwner(body, value, truth, reply, 'LOOKUP')
}

/** LOOKUP through `via` answers 404 NOT_FOUND. */
export async function expectAbsent(probe: Probe, via: Address, value: string, why: string): Promise<void> {
  const reply = await lookup(probe, via, value)
  const { code } = errorReply(reply, `LOOKUP ${JSON.stringify(value)} through @${via.port} (${why})`, 404)
  if (code !== 'NOT_FOUND') fail(`LOOKUP ${JSON.stringify(value)}: 404 with code NOT_FOUND`, `404 ${code}`, reply)
}

/** DELETE through `via`: a 2xx. */
export async function remove(probe: Probe, via: Address, value: string): Promise<void> {
  const reply = await probe.send(via, 'DELETE', `/store?value=${encodeURIComponent(value)}`)
  jsonObject(reply, `DELETE ${JSON.stringify(value)} through @${via.port}`)
}

function checkKeyAndOwner(body: Record<string, unknown>, value: string, truth: TrueRing, reply: Exchange, what: string): void {
  const key = keyOf(value)
  if (body.key !== undefined && body.key !== key) fail(`${what} answering key SHA-1(${JSON.stringify(value)}) = ${key}`, `key ${JSON.stringify(body.key)}`, reply)
  if (body.node !== undefined) {
    const node = nodeField(body.node, 'node', reply)
    const owner = truth.owner(key)
    if (node.id !== owner.id) fail(`${what} naming the key's owner ${shortNode(owner)} (the last node at or before ${key.slice(0, 8)})`, `node ${shortNode(node)}`, reply)
  }
}

/** What a node holds, as GET /content lists it: each entry's value, checked to sit under its own key. */
export async function contentOf(probe: Probe, node: NodeRef): Promise<Set<string>> {
  const reply = await probe.get(node, '/content')
  const body = jsonObject(reply, `GET /content on ${shortNode(node)}`, 200)
  const entries = body.entries
  if (!Array.isArray(entries)) fail(`GET /content: { "entries": [{ "key", "value" }, …] }`, seenAnswer(reply), reply)
  const values = new Set<string>()
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.value !== 'string' || typeof entry.key !== 'string') fail('each entry of GET /content: { "key", "value" }', JSON.stringify(entry), reply)
    if (entry.key !== keyOf(entry.value)) fail(`the entry ${JSON.stringify(entry.value)} under key SHA-1 = ${keyOf(entry.value)}`, `key ${entry.key}`, reply)
    values.add(entry.value)
  }
  return values
}

/** The copies a node says it keeps of each key (nodeinfo's `replicas`); a node that does not say keeps one. */
export async function copiesOf(probe: Probe, node: NodeRef): Promise<number> {
  const reply = await probe.get(node, '/nodeinfo')
  const replicas = jsonObject(reply, 'GET /nodeinfo', 200).replicas
  return typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 1 ? replicas : 1
}

/**
 * Every value on its owner, and none on a node outside its holders (the owner and its copies-1
 * predecessors), as the nodes' GET /content say; `values` are the test's own.
 */
export async function placementRight(probe: Probe, nodes: readonly NodeRef[], values: readonly string[], truth: TrueRing, copies: number): Promise<void> {
  const held = new Map<string, Set<string>>()
  for (const node of nodes) held.set(node.id, await contentOf(probe, node))
  for (const value of values) {
    const key = keyOf(value)
    const holders = truth.holders(key, copies)
    const owner = holders[0]!
    if (!held.get(owner.id)?.has(value)) fail(`${JSON.stringify(value)} (key ${key.slice(0, 8)}) in the content of its owner ${shortNode(owner)}`, `not there (GET /content on ${shortNode(owner)})`)
    for (const node of nodes) {
      if (held.get(node.id)?.has(value) && !holders.some((h) => h.id === node.id)) {
        const where = copies > 1 ? `its owner ${shortNode(owner)} and ${copies - 1} predecessors` : `its owner ${shortNode(owner)} only`
        fail(`${JSON.stringify(value)} (key ${key.slice(0, 8)}) held by ${where}`, `also held by ${shortNode(node)} (GET /content)`)
      }
    }
  }
}
