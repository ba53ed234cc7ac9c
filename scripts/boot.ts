// make boot [M=bits] [R=replicas] [MODE=linear|fingers]: stop any recorded ring, start two linked nodes.
import { intArg } from '../src/cli/args.js'
import { defaultSettings, NetworkStateFile, type RingSettings } from '../src/cli/network-state.js'
import { nodeLabel, ok, runTool } from '../src/cli/output.js'
import { bootRing } from '../src/cli/ring-ops.js'
import { ArgumentError } from '../src/cli/args.js'

function settingsFromArgs(): RingSettings {
  const defaults = defaultSettings()
  const mode = process.env.MODE || defaults.routeMode
  if (mode !== 'fingers' && mode !== 'linear') throw new ArgumentError(`MODE must be fingers or linear, got "${mode}"`)
  return {
    bits: intArg('M', defaults.bits, 1, 160),
    replicas: intArg('R', defaults.replicas, 1, 16),
    routeMode: mode,
    stabilizeMs: intArg('STABILIZE_MS', defaults.stabilizeMs, 10, 3_600_000),
    fingerMs: intArg('FINGER_MS', defaults.fingerMs, 10, 3_600_000),
  }
}

runTool(async () => {
  const settings = settingsFromArgs()
  const state = new NetworkStateFile()
  const [first, second] = await bootRing(state, settings)
  ok(`ring booted: ${nodeLabel(first!)} ⇄ ${nodeLabel(second!)} (M=${settings.bits} bits, r=${settings.replicas}, ${settings.routeMode} routing)`)
})
