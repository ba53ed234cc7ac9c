// make web [WEB_PORT=8080]: serve a live picture of the running ring until Ctrl-C. WEB_PORT=0 picks a free port.
import { toolEnvironment } from '../src/tools/environment.js'
import { NetworkStateFile } from '../src/tools/network-state.js'
import { info, ok, pc, runTool, warn } from '../src/tools/output.js'
import { startWebServer } from '../src/workbench/web/server.js'

function ringRecorded(dir: string): boolean {
  try {
    return (new NetworkStateFile(dir).read()?.processes.length ?? 0) > 0
  } catch {
    return false
  }
}

runTool(async () => {
  const { args, stateDir: dir, machine } = toolEnvironment()
  const port = args.integer('webPort')
  const server = await startWebServer({ stateDir: dir, machine, port, log: (line) => warn(line) })
  if (!ringRecorded(dir)) warn(`no ring is running in ${dir} yet: start one with make boot (the page picks it up)`)
  ok(`the ring is on ${pc.bold(server.url)}`)
  info('Ctrl-C to stop')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
})
