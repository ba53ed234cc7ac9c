// @ts-check
// Text on the page: ids short enough to read (decimal in small spaces, a hex prefix at 160 bits),
// counts with their nouns, powers of two as superscripts, errors as their messages.

/** A node's address, which names its process on the page ("host:port"). */
export function addressOf(/** @type {{ host: string, port: number }} */ peer) {
  return `${peer.host}:${peer.port}`
}

/** Processes are told apart by this many colours (page.css's .process-0 to .process-7). */
export const PROCESS_COLOURS = 8

/**
 * Each process's colour by its address, in port order, when some process hosts several virtual nodes
 * (VNODES=v); null when each hosts one: then nodes are not coloured by process.
 * @param {readonly { host: string, port: number }[]} nodes
 * @returns {Map<string, number> | null}
 */
export function processColours(nodes) {
  const byPort = (/** @type {{ host: string, port: number }} */ a, /** @type {{ host: string, port: number }} */ b) => a.port - b.port || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)
  const addresses = [...new Set([...nodes].sort(byPort).map(addressOf))]
  if (addresses.length === nodes.length) return null
  return new Map(addresses.map((address, i) => [address, i % PROCESS_COLOURS]))
}

/**
 * A node's name on the page: its address, and its index after it when it is one of its process's
 * virtual nodes other than the first (VNODES=v: "host:port#2").
 */
export function nodeKey(/** @type {{ host: string, port: number, vnode?: number }} */ node) {
  return node.vnode ? `${addressOf(node)}#${node.vnode}` : addressOf(node)
}

/** An id as the page shows it: decimal up to 20 bits, else its first 8 hex digits. */
export function shortId(/** @type {string} */ hex, /** @type {number} */ bits) {
  if (bits <= 20) return String(BigInt('0x' + hex))
  return hex.length > 8 ? hex.slice(0, 8) : hex
}

export function idText(/** @type {string} */ hex, /** @type {number} */ bits) {
  return bits <= 20 ? `id ${BigInt('0x' + hex)}` : `id ${shortId(hex, bits)}…`
}

/** The full id: decimal and hex up to 20 bits, else the hex. */
export function fullId(/** @type {string} */ hex, /** @type {number} */ bits) {
  return bits <= 20 ? `${BigInt('0x' + hex)} (0x${hex})` : hex
}

/** `1 node`, `3 nodes`: the same words as the trace diagrams'. */
export { plural } from '../render/message-format.js'

/** A number as superscript digits (2¹⁶⁰). */
export function sup(/** @type {number} */ n) {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹'
  return String(n)
    .split('')
    .map((d) => digits[Number(d)])
    .join('')
}

/** The label of a quarter of the circle: 0, then 2^bits · q/4 (in decimal in small spaces). */
export function quarterLabel(/** @type {number} */ q, /** @type {number} */ bits) {
  if (q === 0) return '0'
  if (bits <= 20) return String((2 ** bits * q) / 4)
  return q === 2 ? `2${sup(bits - 1)}` : `${q === 3 ? '3·' : ''}2${sup(bits - 2)}`
}

/** An error's message, for a result line. */
export function messageOf(/** @type {unknown} */ error) {
  return error instanceof Error ? error.message : String(error)
}
