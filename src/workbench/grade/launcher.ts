// The node processes of one graded test: free ports from the OS, one process group per node (spawned
// detached, so a kill reaches whatever the command started), its output in a log file, readiness as
// GET /nodeinfo answering 200, and every group killed at the end. Once closed it starts nothing more,
// so a test that ran past its timeout cannot leave a node behind.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { nodeArgv } from './command.js'
import type { Address, Probe } from './probe.js'
import { fail, failFinally, idOf, shortNode, type NodeRef } from './verdict.js'

export interface LaunchedNode extends NodeRef {
  pid: number
  log: string
  /** How the process ended, once it has; `byGrader` when the grader killed it (a crash test, the cleanup). */
  exit?: { code: number | null; signal: string | null; byGrader: boolean }
}

export interface LauncherOptions {
  template: string
  cwd: string
  /** The run's private directory: logs/ and the secret file live there. */
  dir: string
  secretFile: string
  host: string
  readyTimeoutMs: number
  probe: Probe
  /** Told of every process started, so the run can account for all of them. */
  onSpawn: (pid: number) => void
}

const POLL_MS = 50
const EXIT_WAIT_MS = 5000
const LOG_LINES = 12
/** Starts of one node when the port it was given is taken before it binds it. */
const PORT_ATTEMPTS = 3

export class Launcher {
  readonly #options: LauncherOptions
  readonly #children = new Map<LaunchedNode, ChildProcess>()
  #closed = false

  constructor(options: LauncherOptions) {
    this.#options = options
    fs.mkdirSync(path.join(options.dir, 'logs'), { recursive: true })
  }

  /** Every node started, in order, dead or alive. */
  get nodes(): LaunchedNode[] {
    return [...this.#children.keys()]
  }

  get host(): string {
    return this.#options.host
  }

  /**
   * A port nothing listens on, chosen by the OS; with `want`, the first of up to `tries` such ports whose
   * node id it accepts (a joiner placed where a test needs it), else any.
   */
  async freePort(want?: (id: string) => boolean, tries = 64): Promise<number> {
    const held: net.Server[] = []
    try {
      let first: number | undefined
      for (let i = 0; i < (want ? tries : 1); i++) {
        const server = net.createServer()
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen(0, this.#options.host, resolve)
        })
        held.push(server)
        const port = (server.address() as net.AddressInfo).port
        first ??= port
        if (!want || want(idOf(this.#options.host, port))) return port
      }
      return first!
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))))
    }
  }

  /**
   * Starts one node (joining through `join`, or alone) and waits until GET /nodeinfo answers 200. A node
   * that exits at once because another process took its port between the grader's check and its own
   * bind is started again on another port, when the test did not choose the port itself.
   */
  async start(options: { port?: number; join?: Address } = {}): Promise<LaunchedNode> {
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await this.freePort())
      const node = await this.#launch(port, options.join)
      if (!node.exit) return node
      const clash = options.port === undefined && attempt < PORT_ATTEMPTS && !(await this.#portFree(port))
      if (!clash) failFinally(`node @${port} to answer GET /nodeinfo with 200`, `${shortNode(node)} ${exitedBecause(node)}`)
      await this.kill(node)
      this.#children.delete(node)
    }
  }

  /** Spawns one node and waits for it: ready, or exited (the caller decides), or a failure. */
  async #launch(port: number, joinVia: Address | undefined): Promise<LaunchedNode> {
    if (this.#closed) fail('the test to be running', 'it ran past its time; the grader started no more nodes')
    const { host, template, cwd, secretFile } = this.#options
    const join = joinVia ? `${joinVia.host}:${joinVia.port}` : ''
    const argv = nodeArgv(template, { host, port: String(port), join, secret: secretFile })
    const log = path.join(this.#options.dir, 'logs', `${port}.log`)
    const fd = fs.openSync(log, 'a')
    fs.writeSync(fd, `$ ${argv.join(' ')}\n`)
    const child = spawn(argv[0]!, argv.slice(1), { cwd, detached: true, stdio: ['ignore', fd, fd] })
    fs.closeSync(fd)
    const node: LaunchedNode = { id: idOf(host, port), host, port, pid: child.pid ?? -1, log }
    const spawnError = new Promise<string>((resolve) => child.once('error', (error) => resolve(error.message)))
    child.once('exit', (code, signal) => (node.exit ??= { code, signal, byGrader: false }))
    if (child.pid !== undefined) {
      this.#children.set(node, child)
      this.#options.onSpawn(child.pid)
    }
    const started = Date.now()
    let last = 'nothing yet'
    for (;;) {
      const failed = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), POLL_MS))])
      if (failed !== undefined) fail(`\`${argv[0]}\` to start`, `it could not be run: ${failed}`)
      if (node.exit) return node
      if (this.#closed) fail('the test to be running', 'it ran past its time; the grader stopped its nodes')
      const reply = await this.#options.probe.get({ host, port }, '/nodeinfo', { timeoutMs: 1000 })
      // An answer from a process that is not ours (it holds the port; ours exited) does not count.
      if (reply.status === 200 && !node.exit) return node
      last = reply.status === undefined ? (reply.error ?? 'no answer') : `status ${reply.status}`
      if (Date.now() - started > this.#options.readyTimeoutMs) {
        await this.kill(node)
        failFinally(`node @${port} to answer GET /nodeinfo with 200 within ${this.#options.readyTimeoutMs / 1000} s`, `it did not (last: ${last}); its last output:\n${logTail(node)}`)
      }
    }
  }

  async #portFree(port: number): Promise<boolean> {
    const probe = net.createServer()
    return new Promise((resolve) => {
      probe.once('error', () => resolve(false))
      probe.listen(port, this.#options.host, () => probe.close(() => resolve(true)))
    })
  }

  /** SIGKILL a node's whole process group, as a crash; resolves once the process has exited. */
  async kill(node: LaunchedNode): Promise<void> {
    const child = this.#children.get(node)
    if (!child) return
    node.exit ??= { code: null, signal: 'SIGKILL', byGrader: true }
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      // The group, not just the process: a command like `sh -c …` or a Python launcher may have children.
      process.kill(-node.pid, 'SIGKILL')
    } catch {
      // The group is already gone.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS))])
  }

  /** Kills every node started and refuses to start more. */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.nodes.map((node) => this.kill(node)))
  }

  /** Nodes that died without the grader killing them: a crash the failure should name. */
  crashed(): LaunchedNode[] {
    return this.nodes.filter((node) => node.exit && !node.exit.byGrader)
  }
}

export function exitText(node: LaunchedNode): string {
  if (!node.exit) return 'running'
  return node.exit.signal ? `killed by ${node.exit.signal}` : `exit code ${node.exit.code}`
}

/** "exited (exit code 5): NOT_IMPLEMENTED: …" and, on the lines below, its last output: why a node is gone. */
export function exitedBecause(node: LaunchedNode): string {
  const words = lastWords(node)
  return `exited (${exitText(node)})${words ? `: ${words}` : ''}\nits last output:\n${logTail(node)}`
}

/** The node's last line that says something: not a stack frame, a brace or the runtime's version. */
function lastWords(node: LaunchedNode): string | undefined {
  let text = ''
  try {
    text = fs.readFileSync(node.log, 'utf8')
  } catch {
    return undefined
  }
  const lines = text.split('\n').map((line) => line.trim())
  // Node prints an uncaught error's own fields after its stack (`code: 'X'`): those are not the words either.
  const noise = /^at\s|^[{}()[\]]+$|^Node\.js v|^\^+$|^Traceback|^[\w$]+: (['"`\d[{]|true|false|null|undefined)/
  const meaningful = lines.filter((line) => line !== '' && !line.startsWith('$ ') && !noise.test(line))
  const last = meaningful[meaningful.length - 1]
  return last === undefined ? undefined : last.length > 200 ? `${last.slice(0, 200)}…` : last
}

/** The last lines a node wrote, indented, for a failure's explanation. */
export function logTail(node: LaunchedNode, lines = LOG_LINES): string {
  let text = ''
  try {
    text = fs.readFileSync(node.log, 'utf8')
  } catch {
    return '    (no output)'
  }
  const tail = text.trimEnd().split('\n').slice(-lines)
  return tail.length === 0 || (tail.length === 1 && tail[0] === '') ? '    (no output)' : tail.map((line) => `    ${line}`).join('\n')
}
