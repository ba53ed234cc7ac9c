// A real Prometheus watching the ring (make prometheus): its scrape configuration and the list of the
// ring's nodes it scrapes, written into the state directory; the process itself (Debian's prometheus),
// started on a free loopback port with its data in the state directory and its pid recorded there so
// make killall stops it; and its HTTP query API, read back by the tests. The targets are a file
// Prometheus watches, so writing them again after nodes came or went is all a running one needs.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { errorMessage, ToolError } from '../node/errors.js'
import { isAlive } from './network-state.js'

/** Where make prometheus keeps its files, under the state directory. */
export class PrometheusFiles {
  readonly dir: string
  /** The configuration Prometheus is started with (JSON, which YAML reads as it is). */
  readonly config: string
  /** The nodes to scrape, one group per node with its id as a label (file-based discovery). */
  readonly targets: string
  /** The running Prometheus: pid, address, start time. */
  readonly record: string
  /** Its time-series database. */
  readonly data: string
  readonly log: string

  constructor(stateDir: string) {
    this.dir = path.join(path.resolve(stateDir), 'prometheus')
    this.config = path.join(this.dir, 'prometheus.yml')
    this.targets = path.join(this.dir, 'targets.json')
    this.record = path.join(this.dir, 'prometheus.json')
    this.data = path.join(this.dir, 'data')
    this.log = path.join(path.resolve(stateDir), 'logs', 'prometheus.log')
  }
}

export interface PrometheusRecord {
  pid: number
  host: string
  port: number
  startedAt: string
}

export interface ScrapeNode {
  id: string
  host: string
  port: number
}

/** The scrape configuration: every node's /metrics each `intervalSeconds`, the targets read from the targets file. */
export function scrapeConfig(targetsFile: string, intervalSeconds: number): string {
  const every = `${intervalSeconds}s`
  const config = {
    global: { scrape_interval: every, scrape_timeout: `${Math.max(1, intervalSeconds - 1)}s`, evaluation_interval: every },
    scrape_configs: [{ job_name: 'chord', metrics_path: '/metrics', file_sd_configs: [{ files: [targetsFile], refresh_interval: every }] }],
  }
  return JSON.stringify(config, null, 2) + '\n'
}

/** The targets file: one group per node, so each series also carries the node's id. */
export function scrapeTargets(nodes: readonly ScrapeNode[]): string {
  return JSON.stringify(nodes.map((node) => ({ targets: [`${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`], labels: { node_id: node.id } })), null, 2) + '\n'
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, text)
  // Prometheus watches the targets file: it must never see half of one.
  fs.renameSync(temp, file)
}

/** Writes the configuration and the targets; a running Prometheus picks new targets up by itself. */
export function writeScrapeFiles(files: PrometheusFiles, nodes: readonly ScrapeNode[], intervalSeconds: number): void {
  fs.mkdirSync(files.dir, { recursive: true })
  writeAtomically(files.targets, scrapeTargets(nodes))
  writeAtomically(files.config, scrapeConfig(files.targets, intervalSeconds))
}

/** The recorded Prometheus, when its process is still there. */
export function runningPrometheus(files: PrometheusFiles): PrometheusRecord | undefined {
  let record: PrometheusRecord
  try {
    record = JSON.parse(fs.readFileSync(files.record, 'utf8')) as PrometheusRecord
  } catch {
    return undefined
  }
  if (!Number.isInteger(record.pid) || record.pid <= 0 || !isAlive(record.pid) || !isPrometheus(record.pid)) return undefined
  return record
}

/** A pid that is no longer Prometheus (reused after a reboot) is not ours to signal; where /proc says so. */
function isPrometheus(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('prometheus')
  } catch {
    return true
  }
}

export function prometheusUrl(record: Pick<PrometheusRecord, 'host' | 'port'>): string {
  return `http://${record.host}:${record.port}`
}

/** A port nothing listens on now, chosen by the OS. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port from the OS'))))
    })
  })
}

const READY_TIMEOUT_MS = 30_000
const STOP_WAIT_MS = 5000

export interface StartPrometheusOptions {
  /** The program to run (default: prometheus on the PATH). */
  program?: string
  host?: string
}

/**
 * Starts Prometheus with the written configuration, on a free loopback port, detached (it outlives the
 * tool), and resolves once it answers /-/ready; records it for make killall.
 */
export async function startPrometheus(files: PrometheusFiles, options: StartPrometheusOptions = {}): Promise<PrometheusRecord> {
  const host = options.host ?? '127.0.0.1'
  const program = options.program ?? 'prometheus'
  fs.mkdirSync(files.data, { recursive: true })
  fs.mkdirSync(path.dirname(files.log), { recursive: true })
  // Another program may take the chosen port before Prometheus binds it: then a new port, twice more.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host)
    try {
      const record = await launch(files, program, host, port)
      fs.writeFileSync(files.record, JSON.stringify(record, null, 2) + '\n')
      return record
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test(errorMessage(error))) throw error
    }
  }
}

async function launch(files: PrometheusFiles, program: string, host: string, port: number): Promise<PrometheusRecord> {
  const log = fs.openSync(files.log, 'a')
  const args = [`--config.file=${files.config}`, `--storage.tsdb.path=${files.data}`, `--web.listen-address=${host}:${port}`, '--storage.tsdb.retention.time=2d']
  const child = spawn(program, args, { detached: true, stdio: ['ignore', log, log] })
  fs.closeSync(log)
  let exited: string | undefined
  child.once('error', (error: NodeJS.ErrnoException) => {
    exited = error.code === 'ENOENT' ? 'ENOENT' : error.message
  })
  child.once('exit', (code, signal) => {
    exited ??= `exited (${signal ?? `code ${code}`})`
  })
  const url = prometheusUrl({ host, port })
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited === 'ENOENT') throw new ToolError('MISSING_PROGRAM', `${program} is not installed: run bash scripts/install-prometheus.sh (Debian's prometheus package)`)
    if (exited) throw new ToolError('SPAWN_FAILED', `Prometheus ${exited}: ${logTail(files.log)}`)
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) {
        child.removeAllListeners()
        child.unref()
        return { pid: child.pid!, host, port, startedAt: new Date().toISOString() }
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new ToolError('SPAWN_TIMEOUT', `Prometheus did not answer ${url}/-/ready within ${READY_TIMEOUT_MS / 1000} s (see ${files.log})`)
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ') || `see ${file}`
  } catch {
    return `see ${file}`
  }
}

/** Stops the recorded Prometheus (SIGTERM, then SIGKILL after a while) and forgets it; its data stays. */
export async function stopPrometheus(files: PrometheusFiles): Promise<PrometheusRecord | undefined> {
  const record = runningPrometheus(files)
  fs.rmSync(files.record, { force: true })
  if (record) await endPrometheus(record)
  return record
}

/** Ends one Prometheus process: SIGTERM, and SIGKILL if it is still there after a while. */
export async function endPrometheus(record: Pick<PrometheusRecord, 'pid'>): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(record.pid, name)
    } catch {
      // Already gone.
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + STOP_WAIT_MS
  while (isAlive(record.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (isAlive(record.pid)) signal('SIGKILL')
}

export interface QuerySample {
  metric: Record<string, string>
  value: number
}

/** An instant query through Prometheus' HTTP API (/api/v1/query): each series with its value now. */
export async function queryPrometheus(url: string, query: string): Promise<QuerySample[]> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`, { signal: AbortSignal.timeout(5000) })
  const body = (await response.json()) as { status?: string; error?: string; data?: { resultType?: string; result?: Array<{ metric: Record<string, string>; value: [number, string] }> } }
  if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new ToolError('BAD_REPLY', `Prometheus answered ${query} with ${body.error ?? JSON.stringify(body).slice(0, 200)}`)
  return (body.data.result ?? []).map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }))
}
