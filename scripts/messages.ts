// make messages [ALL=1] [ONCE=1] [SINCE=10] [INTERVAL_MS=1000]: the messages of the whole ring, live, until
// Ctrl-C: every node's log polled (/messages?since=), each message once, in the order they started. Client
// operations only; ALL=1 adds the maintenance rounds. The first screen goes SINCE= seconds back (0: all the
// logs hold) and says how many older messages it leaves out; ONCE=1 prints that screen and exits.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { MessageTail, opensTrace, recentMessages, tailLine } from '../src/workbench/terminal/message-tail.js'
import { openRing } from '../src/tools/open-ring.js'
import { errorMessage, pc, runTool, warn } from '../src/tools/output.js'
import { sleep } from '../src/tools/ring-ops.js'
import { findNodes, newestMessages } from '../src/tools/trace-collect.js'
import { requireMessageLog, terminalWidth } from '../src/workbench/terminal/trace-print.js'
import type { Message } from '../src/node/trace/messages.js'
import { partyLabeller } from '../src/workbench/render/message-format.js'

runTool(async () => {
  const tool = toolEnvironment()
  const once = tool.args.switch('once')
  const maintenance = tool.args.switch('all')
  const intervalMs = tool.args.integer('intervalMs')
  const sinceSeconds = tool.args.integer('since')
  const ring = openRing(openStateFile(tool))
  requireMessageLog(ring.state)
  const tail = new MessageTail({ maintenance, lookbackMs: ring.state.settings.timeoutMs + intervalMs })
  const silent = new Set<string>()
  let stopping = false
  process.on('SIGINT', () => {
    stopping = true
  })
  if (!once) console.log(pc.dim(`  the ring's ${maintenance ? 'messages' : 'client operations (ALL=1: maintenance too)'}, polled every ${intervalMs} ms; Ctrl-C to stop`))
  for (let first = true; ; first = false) {
    // Nodes added or gone meanwhile are found again each round.
    const nodes = await findNodes(ring.client, ring.file.read() ?? ring.state)
    const label = partyLabeller(nodes)
    await Promise.all(
      nodes.map(async (at) => {
        const node = `${at.host}:${at.port}`
        const answer = await newestMessages(ring.client, at, tail.since(node)).catch((error: unknown) => {
          // A node that stops answering is said once; it is asked again every round.
          if (!silent.has(node)) warn(`@${at.port} does not answer: ${errorMessage(error)}`)
          silent.add(node)
        })
        if (answer) {
          silent.delete(node)
          tail.add(node, answer.messages)
        }
      }),
    )
    let ready = tail.endRound(once || first || stopping)
    if (first) {
      const { shown, leftOut } = recentMessages(ready, sinceSeconds * 1000, Date.now())
      if (leftOut > 0) console.log(pc.dim(`  … ${leftOut} older message${leftOut === 1 ? '' : 's'} left out, ${shown.length === 0 ? `none in the last ${sinceSeconds} s` : `the last ${sinceSeconds} s below`} (SINCE=0 prints all the logs hold, SINCE=60 the last minute)`))
      ready = shown
    }
    print(ready, label)
    if (once || stopping) return
    await sleep(intervalMs)
  }

  function print(messages: readonly Message[], label: ReturnType<typeof partyLabeller>): void {
    const width = terminalWidth()
    for (const message of messages) {
      if (opensTrace(message)) console.log(pc.dim(`── trace ${message.traceId} ${'─'.repeat(Math.max(0, Math.min(width, 100) - 42))}`))
      console.log(tailLine(message, label, width, pc))
    }
  }
})
