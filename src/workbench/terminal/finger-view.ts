// make fingers: one node's finger table, one row per distinct finger, in fixed-width columns with short
// ids, so a range of indices never runs into the next column; each finger names its node as id@port, so
// with virtual nodes (VNODES=v) one sees which process it lands in.
import type { NodeInfo } from '../../node/protocol/types.js'
import type { Wire } from '../../node/wire.js'
import { nodeLabel, pc, shortId } from '../../tools/output.js'

/** `vnode`: which of its process's virtual nodes the node is, when the process hosts several. */
export function fingerTableLines(info: NodeInfo, wire: Wire, vnode?: { index: number; of: number }): string[] {
  const hex = (id: bigint) => wire.id(id)
  const last = info.bits - 1
  // The widest index column is the widest range, `158..159`; a start is a short id.
  const indexWidth = Math.max('i'.length, `${last}..${last}`.length)
  const startWidth = Math.max('start'.length, shortId(hex(0n)).length)
  const row = (index: string, start: string, node: string) => `  ${index.padEnd(indexWidth)}  ${start.padEnd(startWidth)}  ${node}`
  const lines = [
    `${pc.bold('finger table of')} ${nodeLabel({ id: hex(info.self.id), port: info.self.port })}${vnode ? `, virtual node #${vnode.index} of ${vnode.of} of process @${info.self.port}` : ''}  (${info.bits}-bit ids; finger i = successor(n + 2^i))`,
    pc.dim(row('i', 'start', 'node')),
  ]
  info.fingers.forEach((finger, k) => {
    const until = (info.fingers[k + 1]?.index ?? info.bits) - 1
    const range = until > finger.index ? `${finger.index}..${until}` : `${finger.index}`
    lines.push(row(range, shortId(hex(finger.start)), nodeLabel({ id: hex(finger.node.id), port: finger.node.port })))
  })
  if (info.fingers.length === 0) lines.push(pc.dim('  (empty: the node is alone or has not run fix_fingers yet)'))
  return lines
}
