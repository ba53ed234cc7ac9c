// make store V=hello: STORE through a random node, which routes it to the owner.
import { portArg, requiredText } from '../src/cli/args.js'
import { openRing } from '../src/cli/open-ring.js'
import { preview } from '../src/text.js'
import { nodeLabel, ok, pc, plural, runTool, shortId } from '../src/cli/output.js'

runTool(async () => {
  const value = requiredText('V', 'make store V=hello')
  const ring = openRing()
  const entry = ring.entry(portArg())
  const stored = await ring.client.store(entry, value)
  ok(`stored ${pc.bold(JSON.stringify(preview(value, 60)))} key ${shortId(stored.key)} on ${nodeLabel(stored.node)} (asked @${entry.port}, ${plural(stored.hops, 'hop')})`)
})
