// make fingers [PORT=p]: one node's finger table, one row per distinct finger.
import { portArg } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { nodeLabel, pc, runTool } from '../src/cli/output.js'

runTool(async () => {
  const ring = openRing()
  const node = ring.entry(portArg())
  const info = await ring.client.nodeInfo(node)
  const hex = (id: bigint) => ring.client.wire.id(id)
  console.log(`${pc.bold('finger table of')} ${nodeLabel({ id: hex(info.self.id), port: info.self.port })}  (${info.bits}-bit ids; finger i = successor(n + 2^i))`)
  console.log(pc.dim('  i      start                          node'))
  for (const row of info.fingers) {
    const until = info.fingers.find((r) => r.index > row.index)?.index ?? info.bits
    const range = until - 1 > row.index ? `${row.index}..${until - 1}` : `${row.index}`
    console.log(`  ${range.padEnd(7)}${hex(row.start).slice(0, 28).padEnd(31)}${nodeLabel({ id: hex(row.node.id), port: row.node.port })}`)
  }
  if (info.fingers.length === 0) console.log(pc.dim('  (empty: the node is alone or has not run fix_fingers yet)'))
})
