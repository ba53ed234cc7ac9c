// make boot [M=bits] [R=replicas] [MODE=linear|fingers] [IMPL=lab]: stop any recorded ring, start two linked nodes.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings } from '../src/tools/network-state.js'
import { nodeLabel, ok, runTool } from '../src/tools/output.js'
import { bootRing, implSettings } from '../src/tools/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const settings = implSettings(tool.args.ringSettings(defaultSettings()), { replicas: tool.args.given('replicas'), auth: tool.args.given('auth') })
  const state = openStateFile(tool)
  const [first, second] = await bootRing(state, settings)
  ok(`ring booted: ${nodeLabel(first!)} ⇄ ${nodeLabel(second!)} (M=${settings.bits} bits, r=${settings.replicas}, ${settings.routeMode} routing${settings.impl === 'lab' ? ', lab nodes' : ''})`)
})
