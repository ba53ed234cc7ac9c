// @ts-check
// The faults on the page, pure and unit-tested (test/unit/web-faults.test.ts): which nodes a partition
// made from the page would cut off (those chosen with shift-click, else the selected one), a node's
// faults and side in words, and whether the ring has any fault at all.

// The shapes it reads of api.js's NodeFaults and RingFaults, spelled out here: importing api.js's types
// would bring its fetch calls into the unit tests' Node compilation, which has no DOM.
/** @typedef {{ text: string, side: string | null }} NodeFaults */
/** @typedef {{ sides: readonly unknown[], lines: readonly unknown[] }} RingFaults */

/** "side A" for side 'a'. */
export function sideName(/** @type {string} */ side) {
  return `side ${side.toUpperCase()}`
}

/**
 * The side a partition from the page cuts off: the nodes chosen (shift-click, Shift+Enter) that are
 * still on the ring, in ring order; without any, the selected node; else none. A partition cuts
 * processes apart, so a process hosting virtual nodes is named once, whichever of its nodes was chosen.
 * @param {readonly { address: string, key?: string }[]} nodes the ring's nodes, in ring order (`key`: format.js's nodeKey, when not the address)
 * @param {ReadonlySet<string>} chosen the processes' addresses
 * @param {string | null} selected the selected node's key
 * @returns {string[]} their addresses
 */
export function chosenSide(nodes, chosen, selected) {
  const marked = [...new Set(nodes.filter((n) => chosen.has(n.address)).map((n) => n.address))]
  if (marked.length > 0) return marked
  const picked = selected ? nodes.find((n) => (n.key ?? n.address) === selected) : undefined
  return picked ? [picked.address] : []
}

/**
 * A node's faults in words, for its label and the Selected card ("slow 200 ms, 3 nodes cut off: side
 * A of the partition"); '' when it has none, and when its plan could not be read.
 * @param {NodeFaults | null} faults
 */
export function faultsText(faults) {
  if (!faults) return ''
  const plan = faults.text === 'no faults' ? '' : faults.text
  const side = faults.side ? `${sideName(faults.side)} of the partition` : ''
  return plan && side ? `${plan}: ${side}` : plan || side
}

/** Whether anything is injected anywhere: a partition or any other fault. */
export function hasFaults(/** @type {RingFaults} */ faults) {
  return faults.sides.length > 0 || faults.lines.length > 0
}

/** How a routing mode finds a key's owner, for the summary. */
export function routeModeText(/** @type {string} */ mode) {
  switch (mode) {
    case 'linear':
      return 'linear: successor by successor, O(N) hops'
    case 'onehop':
      return 'onehop: every node knows every node, one hop to the owner'
    case 'fingers':
      return 'fingers: through the finger tables, O(log N) hops'
    default:
      return mode
  }
}
