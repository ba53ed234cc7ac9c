// Standalone node processes for the lab tests (not a test file itself): any program started with the
// lab's command line (--host --port --join --bits --secret-file), ready once it prints its
// "ready id=<hex> host:port" line, and killed when the test ends.
import { spawn, type ChildProcess } from 'node:child_process'
import type { TestContext } from 'node:test'

export interface Standalone {
  id: string
  host: string
  port: number
  pid: number
  child: ChildProcess
  /** Everything it printed so far, stdout and stderr. */
  output(): string
}

const READY = /ready id=([0-9a-f]+) ([0-9.]+):(\d+)/
const READY_TIMEOUT_MS = 15_000

/** Starts the program and waits for its ready line; rejects with its output when it exits first. */
export function startStandalone(t: TestContext, command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<Standalone> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: no ready line within ${READY_TIMEOUT_MS} ms\n${output}`)), READY_TIMEOUT_MS)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = READY.exec(output)
      if (!match) return
      clearTimeout(timer)
      resolve({ id: match[1]!, host: match[2]!, port: Number(match[3]), pid: child.pid!, child, output: () => output })
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited (${signal ?? `code ${code}`}) before it was ready:\n${output}`))
    })
  })
}

/** Runs the program to its end: its exit code and output (a node that must refuse to start). */
export function runToExit(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })))
}

/** One raw request: the status and JSON body, whatever the status. */
export async function request(at: { host: string; port: number }, method: string, path: string, options: { body?: string; secret?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://${at.host}:${at.port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.secret ? { authorization: `Bearer ${options.secret}` } : {}) },
    ...(options.body === undefined ? {} : { body: options.body }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
