// make boot [M=bits] [R=replicas] [MODE=linear|fingers] [IMPL=lab]: stop any recorded ring, start two linked nodes.
import { openStateFile, toolEnvironment } from '../src/cli/environment.js'
import { defaultSettings } from '../src/cli/network-state.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { bootRing, implSettings } from '../src/cli/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const settings = implSettings(tool.args.ringSettings(defaultSettings()), tool.args.given('replicas'))
  const state = openStateFile(tool)
  const [first, second] = await bootRing(state, settings)
  ok(`ring booted: ${nodeLabel(first!)} ⇄ ${nodeLabel(second!)} (M=${settings.bits} bits, r=${settings.replicas}, ${settings.routeMode} routing${settings.impl === 'lab' ? ', lab nodes' : ''})`)
})
