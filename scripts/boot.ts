// make boot [M=bits] [R=replicas] [MODE=linear|fingers] [IMPL=lab]: stop any recorded ring (saying what it
// held), start two linked nodes, and say which ports they got (make boot skips busy ports, so 5000 is not a given).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings } from '../src/tools/network-state.js'
import { info, nodeLabel, ok, portList, runTool } from '../src/tools/output.js'
import { bootRing, implSettings } from '../src/tools/ring-ops.js'
import { stopRing, surveyLine } from '../src/tools/ring-survey.js'

runTool(async () => {
  const tool = toolEnvironment()
  const settings = implSettings(tool.args.ringSettings(defaultSettings()), { replicas: tool.args.given('replicas'), auth: tool.args.given('auth') })
  const state = openStateFile(tool)
  const previous = await stopRing(state)
  if (previous) info(`stopped the ring that was running: ${surveyLine(previous)}`)
  const [first, second] = await bootRing(state, settings)
  const ports = portList([first!.port, second!.port])
  const rest = `M=${settings.bits} bits, r=${settings.replicas}, ${settings.routeMode} routing${settings.impl === 'lab' ? ', lab nodes' : ''}`
  // With VNODES=v each process hosts v nodes: the processes are what booted.
  if (settings.vnodes > 1) ok(`ring booted: 2 processes of ${settings.vnodes} virtual nodes each on ports ${ports} (${rest})`)
  else ok(`ring booted: 2 nodes on ports ${ports} (${nodeLabel(first!)} ⇄ ${nodeLabel(second!)}; ${rest})`)
})
