// make ports: the ports of the recorded ring's running nodes, one per line, ascending, and nothing else,
// for scripts and docs: P=$(make -s ports | head -1); curl -s localhost:$P/nodeinfo
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { isAlive } from '../src/tools/network-state.js'
import { runTool } from '../src/tools/output.js'
import { ToolError } from '../src/node/errors.js'

runTool(async () => {
  const state = openStateFile(toolEnvironment())
  const ports = state.requireRing().processes.filter((p) => isAlive(p.pid)).map((p) => p.port)
  if (ports.length === 0) throw new ToolError('NO_RING', 'no recorded node process is alive: run make boot')
  for (const port of [...new Set(ports)].sort((a, b) => a - b)) console.log(port)
})
