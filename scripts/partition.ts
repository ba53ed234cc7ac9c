// make partition PORTS=5001,5002,5003: those nodes and the rest of the ring cannot reach each other, in
// both directions; tools and clients still reach every node.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { ok, pc, runTool } from '../src/tools/output.js'
import { failuresOf, nodeNames, partition, partitionSide, ringNodes } from '../src/workbench/faults/ring-faults.js'

runTool(async () => {
  const tool = toolEnvironment()
  const ports = tool.args.required('partitionPorts', 'make partition PORTS=5001,5002,5003')
  const ring = openRing(openStateFile(tool))
  const nodes = await ringNodes(ring)
  const side = partitionSide(nodes, ports)
  const rest = nodes.filter((n) => !side.includes(n))
  const changes = await partition(ring.client, nodes, side)
  const failure = failuresOf(changes, 'make partition')
  if (failure) throw failure
  const count = (list: readonly unknown[]) => `${list.length} node${list.length === 1 ? '' : 's'}`
  ok(
    `partitioned: ${pc.cyan(nodeNames(side))} (${count(side)}) and ${pc.magenta(nodeNames(rest))} (${count(rest)}) cannot reach each other; ` +
      `tools still reach every node ${pc.dim('(make heal ends it)')}`,
  )
})
