// Runs a command to its end and hands back its exit code and output: how tests run scripts as users do.
import { spawn } from 'node:child_process'

export interface Captured {
  /** The exit code; -1 when the process was ended by a signal. */
  code: number
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCaptured(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Captured> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }))
    child.on('error', (error) => resolve({ code: -1, signal: null, stdout, stderr: stderr + error.message }))
  })
}
