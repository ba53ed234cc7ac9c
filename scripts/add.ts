// make add / make addmany N=10 [PARALLEL=1]: spawn N processes that JOIN through random running nodes.
import { flagArg, intArg } from '../src/cli/args.js'
import { NetworkStateFile } from '../src/cli/network-state.js'
import { errorMessage, failLine, nodeLabel, ok, Progress, runTool } from '../src/cli/output.js'
import { addNode } from '../src/cli/ring-ops.js'

runTool(async () => {
  const count = intArg('N', 1, 1, 500)
  const parallel = flagArg('PARALLEL')
  const state = new NetworkStateFile()
  state.requireRing()
  if (count === 1) {
    const node = await addNode(state)
    ok(`node ${nodeLabel(node)} joined (pid ${node.pid})`)
    return
  }
  const progress = new Progress(parallel ? 'joining in parallel' : 'adding nodes', count)
  const started = Date.now()
  const errors: string[] = []
  const one = () =>
    addNode(state).then(
      () => progress.tick(),
      (error: unknown) => {
        errors.push(errorMessage(error))
        progress.tick(true)
      },
    )
  if (parallel) await Promise.all(Array.from({ length: count }, one))
  else for (let i = 0; i < count; i++) await one()
  progress.end()
  const seconds = (Date.now() - started) / 1000
  if (errors.length > 0) {
    for (const e of new Set(errors)) failLine(e)
    throw new Error(`${errors.length} of ${count} nodes failed to join`)
  }
  ok(`${count} nodes joined in ${seconds.toFixed(2)} s (${((seconds * 1000) / count).toFixed(0)} ms per node); ring has ${state.readProcessList().length} nodes`)
})
