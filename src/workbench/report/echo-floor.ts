// The floor for every benchmark figure: a bare Node HTTP server in its own process that answers every
// request with a tiny JSON body, and does nothing else. Whatever a node costs above this is ours.
import { spawn, type ChildProcess } from 'node:child_process'

/** The server, inline: no files, no dependencies, the same server options as a node's (keep-alive 60 s). */
const ECHO_SCRIPT = `
const http = require('node:http')
const server = http.createServer({ requestTimeout: 30000, headersTimeout: 10000, keepAliveTimeout: 60000 }, (request, response) => {
  request.resume()
  request.on('end', () => {
    const text = JSON.stringify({ echo: request.url })
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    response.end(text)
  })
})
server.listen(0, process.argv[1], () => process.send({ port: server.address().port }))
// The benchmark went away (even by SIGKILL): so do we.
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
`

export interface EchoServer {
  host: string
  port: number
  pid: number
  /** From spawn to listening: the cost of starting a bare Node process with an HTTP server. */
  startupMs: number
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 10_000

export function startEchoServer(host: string): Promise<EchoServer> {
  const started = performance.now()
  const child: ChildProcess = spawn(process.execPath, ['-e', ECHO_SCRIPT, host], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
      await exited
      clearTimeout(timer)
    }
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the echo server did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    child.once('message', (message: { port?: unknown }) => {
      clearTimeout(timer)
      if (typeof message.port !== 'number' || child.pid === undefined) {
        child.kill('SIGKILL')
        reject(new Error('the echo server sent no port'))
        return
      }
      resolve({ host, port: message.port, pid: child.pid, startupMs: performance.now() - started, stop })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the echo server exited before listening (${signal ?? `code ${code}`})`))
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}
