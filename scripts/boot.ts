// make boot [M=bits] [R=replicas] [MODE=linear|fingers]: stop any recorded ring, start two linked nodes.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings } from '../src/tools/network-state.js'
import { nodeLabel, ok, runTool } from '../src/tools/output.js'
import { bootRing } from '../src/tools/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const settings = tool.args.ringSettings(defaultSettings())
  const state = openStateFile(tool)
  const [first, second] = await bootRing(state, settings)
  ok(`ring booted: ${nodeLabel(first!)} ⇄ ${nodeLabel(second!)} (M=${settings.bits} bits, r=${settings.replicas}, ${settings.routeMode} routing)`)
})
