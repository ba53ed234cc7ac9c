// make drop RATE=0.1: on every node of the ring, each call to another node is lost with that probability.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { ok, pc, runTool } from '../src/tools/output.js'
import { percent } from '../src/node/faults/plan.js'
import { changeEach, failuresOf, ringNodes } from '../src/workbench/faults/ring-faults.js'

runTool(async () => {
  const tool = toolEnvironment()
  const dropRate = tool.args.required('dropRate', 'make drop RATE=0.1')
  const ring = openRing(openStateFile(tool))
  const changes = await changeEach(ring.client, await ringNodes(ring), (plan) => ({ ...plan, dropRate }))
  const nodes = `${changes.changed.length} node${changes.changed.length === 1 ? '' : 's'}`
  if (dropRate === 0) ok(`${nodes} lose no calls any more`)
  else {
    const timeout = ring.state.settings.timeoutMs
    // What a lost call costs: the caller waits one request timeout, then asks again (TIMEOUT_RETRIES); the tools wait for that.
    ok(
      `${nodes} now ${pc.yellow(`lose ${percent(dropRate)}`)} of their calls to other nodes: a lost call costs its caller ${timeout} ms, then it is sent again; ` +
        `store, lookup and delete wait up to ${ring.client.operationTimeoutMs} ms ${pc.dim('(make heal ends it)')}`,
    )
  }
  const failure = failuresOf(changes, 'make drop')
  if (failure) throw failure
})
