// make delete V=hello: delete a value through the ring (its owner and its copies).
import { portArg, requiredText } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { preview } from '../src/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/cli/output.js'

runTool(async () => {
  const value = requiredText('V', 'make delete V=hello')
  const ring = openRing()
  const entry = ring.entry(portArg())
  const removed = await ring.client.deleteValue(entry, value)
  ok(`deleted ${pc.bold(JSON.stringify(preview(value, 60)))} key ${shortId(removed.key)} from ${nodeLabel(removed.node)} (${plural(removed.hops, 'hop')})`)
})
