// make heal: every fault cleared on every node of the ring (partition, drops, slowness, delay).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { ok, runTool } from '../src/tools/output.js'
import { clearedFaults, failuresOf, healAll, ringNodes } from '../src/workbench/faults/ring-faults.js'
import { isHealthy } from '../src/node/faults/plan.js'

runTool(async () => {
  const ring = openRing(openStateFile(toolEnvironment()))
  const changes = await healAll(ring.client, await ringNodes(ring))
  const cleared = clearedFaults(changes)
  const nodes = `${changes.changed.length} node${changes.changed.length === 1 ? '' : 's'}`
  if (changes.changed.every((c) => isHealthy(c.before))) ok(`nothing to heal: no faults on any of the ${nodes}`)
  else ok(`healed ${nodes}: ${cleared.join(', ')}`)
  const failure = failuresOf(changes, 'make heal')
  if (failure) throw failure
})
