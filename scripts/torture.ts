// make torture [SECONDS=30] [SEED=n]: a ring of its own under four clients and a seeded nemesis (joins,
// leaves, crashes of at most r-1 adjacent nodes, a slow node, lost calls, partitions, heals), then every
// value read back. Prints Jepsen's set figures, the seed and the nemesis's timeline; exits 1 if any
// acknowledged value was lost or any acknowledged delete undone. Nothing of the user's ring is touched:
// the ring lives in a private state directory on ports the OS chooses.
import { randomInt } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings, NetworkStateFile } from '../src/tools/network-state.js'
import { failLine, info, ok, pc, plural, runTool, StatusLine, warn } from '../src/tools/output.js'
import { RingClient } from '../src/tools/ring-client.js'
import { ToolError } from '../src/node/errors.js'
import { formatSetReport } from '../src/workbench/workload/set-checker.js'
import { removeState, runTorture } from '../src/workbench/workload/torture.js'

runTool(async () => {
  const { args } = toolEnvironment()
  const seconds = args.integer('seconds')
  const seed = args.given('seed') ?? randomInt(0, 2 ** 31)
  const settings = args.ringSettings(defaultSettings())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-torture-'))
  const state = new NetworkStateFile(dir, { host: '127.0.0.1', basePort: 0 })
  info(`torture: seed ${seed} (SEED=${seed} replays it), ${seconds} s, 10 nodes, r = ${settings.replicas}; ring in ${dir}`)
  const status = new StatusLine()
  const result = await runTorture({
    seconds,
    seed,
    nodes: 10,
    settings,
    state,
    makeClient: (s) => new RingClient(settings.bits, { secret: s.readSecret(), auth: settings.auth, timeoutMs: settings.timeoutMs }),
    progress: (line) => status.update(line, line.replace(/\d+ s, \d+ s left · \d+/, '')),
  })
  status.end()
  const { report } = result
  info(`nemesis: ${result.timeline.join(', ') || 'nothing happened'}`)
  const undone = report.undoneDeletes.length
  const lost = report.lost.length
  const indeterminate = report.indeterminate.stores + report.indeterminate.deletes + report.indeterminate.lookups
  const line =
    `seed ${seed}: ${report.acknowledged} acknowledged, ${report.found} found, ${pc.bold(`${lost} lost`)}, ${indeterminate} indeterminate (timeouts); ` +
    `${report.deleted} deletes, ${undone} undone; ${report.falseNotFound.length} NOT_FOUND while a value's copies were cut off (partitions); ` +
    `${plural(result.nodesAtEnd, 'node')} at the end, settled ${(result.settleMs / 1000).toFixed(1)} s after the last heal`
  if (result.problems.length > 0) warn(`the ring did not settle: ${result.problems.slice(0, 3).join('; ')}`)
  if (lost > 0 || undone > 0) {
    failLine(formatSetReport(report))
    warn(`node logs kept in ${dir}`)
    throw new ToolError('RING_BROKEN', line)
  }
  removeState(state)
  ok(line)
})
