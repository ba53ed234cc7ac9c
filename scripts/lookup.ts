// make lookup V=hello: LOOKUP through a random node; exit 1 when the value is not stored.
import { portArg, requiredText } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { preview } from '../src/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/cli/output.js'

runTool(async () => {
  const value = requiredText('V', 'make lookup V=hello')
  const ring = openRing()
  const entry = ring.entry(portArg())
  const found = await ring.client.lookup(entry, value)
  ok(`found ${pc.bold(JSON.stringify(preview(found.value, 60)))} key ${shortId(found.key)} on ${nodeLabel(found.node)} (asked @${entry.port}, ${plural(found.hops, 'hop')})`)
})
