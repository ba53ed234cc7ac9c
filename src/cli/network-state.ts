// The network state: which node processes run, on which ports, with which ring settings. The lab's
// persist_process_list / read_process_list / pick_random_process live here and nowhere else.
// Writes are atomic (temp file + rename) and serialised by a lock file, so parallel `make add`
// runs never lose an entry and a process killed mid-write never leaves a torn file.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DEFAULTS, type RouteMode } from '../config.js'

export interface ProcessRecord {
  id: string
  host: string
  port: number
  pid: number
  startedAt: string
}

/** Settings every node of one ring must share, fixed at `make boot`. */
export interface RingSettings {
  bits: number
  replicas: number
  routeMode: RouteMode
  stabilizeMs: number
  fingerMs: number
  /** Limits: every node must accept what its peers hand it, so they are the ring's, not a process's. */
  maxValueBytes: number
  maxBodyBytes: number
  maxConnections: number
}

export interface NetworkState {
  settings: RingSettings
  processes: ProcessRecord[]
}

export class StateError extends Error {}

const LOCK_WAIT_MS = 10_000

export function stateDir(): string {
  return path.resolve(process.env.DHT_STATE_DIR ?? 'state')
}

export function defaultSettings(): RingSettings {
  return {
    bits: DEFAULTS.bits,
    replicas: DEFAULTS.replicas,
    routeMode: 'fingers',
    stabilizeMs: DEFAULTS.stabilizeIntervalMs,
    fingerMs: DEFAULTS.fingerIntervalMs,
    maxValueBytes: DEFAULTS.maxValueBytes,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    maxConnections: DEFAULTS.maxConnections,
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class NetworkStateFile {
  readonly dir: string
  readonly file: string
  readonly logDir: string
  /** The cluster secret: SECRET_FILE= when several machines share one, else state/secret. */
  readonly secretFile: string
  readonly #lock: string

  constructor(dir: string = stateDir()) {
    this.dir = dir
    this.file = path.join(dir, 'network.json')
    this.logDir = path.join(dir, 'logs')
    this.secretFile = process.env.SECRET_FILE ? path.resolve(expandHome(process.env.SECRET_FILE)) : path.join(dir, 'secret')
    this.#lock = path.join(dir, 'network.lock')
  }

  /** make boot: a new random secret (readable by this user only), unless a shared SECRET_FILE already holds one. */
  createSecret(): void {
    if (process.env.SECRET_FILE && fs.existsSync(this.secretFile)) return
    fs.mkdirSync(path.dirname(this.secretFile), { recursive: true })
    const temp = `${this.secretFile}.${process.pid}.tmp`
    fs.writeFileSync(temp, randomBytes(32).toString('hex') + '\n', { mode: 0o600 })
    fs.renameSync(temp, this.secretFile)
  }

  /** Keeps a copy of a shared secret (SECRET_FILE=) in this machine's state, so later tools need no SECRET_FILE. */
  adoptSharedSecret(): void {
    const local = path.join(this.dir, 'secret')
    if (!process.env.SECRET_FILE || this.secretFile === local || !fs.existsSync(this.secretFile)) return
    fs.mkdirSync(this.dir, { recursive: true })
    fs.copyFileSync(this.secretFile, local)
    fs.chmodSync(local, 0o600)
  }

  /** The secret the tools send with requests that change the ring; undefined when the ring has none. */
  readSecret(): string | undefined {
    try {
      return fs.readFileSync(this.secretFile, 'utf8').trim() || undefined
    } catch {
      return undefined
    }
  }

  exists(): boolean {
    return fs.existsSync(this.file)
  }

  /** The whole state, or undefined when no ring was booted. A corrupt file is an error that says so. */
  read(): NetworkState | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      const parsed = JSON.parse(text) as Partial<NetworkState>
      if (!parsed || !Array.isArray(parsed.processes)) throw new Error('no process list')
      return { settings: { ...defaultSettings(), ...parsed.settings }, processes: parsed.processes }
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0]
      throw new StateError(`${this.file} is corrupt (${reason}); make recover rebuilds it from the running ring`)
    }
  }

  /** read_process_list: the recorded processes (empty when no ring is booted). */
  readProcessList(): ProcessRecord[] {
    return this.read()?.processes ?? []
  }

  /** The state of a booted ring, or a clear error telling the user to boot one. */
  requireRing(): NetworkState {
    const state = this.read()
    if (!state || state.processes.length === 0) throw new StateError('no ring is running: start one with make boot')
    return state
  }

  /** persist_process_list: replace the process list, keeping the ring settings. */
  persistProcessList(processes: ProcessRecord[]): void {
    this.update((state) => ({ ...state, processes }))
  }

  /** Read, change and write the state under the lock, so concurrent tools never lose each other's entries. */
  update(change: (state: NetworkState) => NetworkState): NetworkState {
    return this.#withLock(() => {
      const next = change(this.read() ?? { settings: defaultSettings(), processes: [] })
      this.#writeAtomically(next)
      return next
    })
  }

  /** Writes a whole new state without reading the old one (make recover, when the old one is corrupt). */
  replace(state: NetworkState): void {
    this.#withLock(() => this.#writeAtomically(state))
  }

  /** Overwrites the state with a new, empty ring (make boot). */
  reset(settings: RingSettings): void {
    fs.mkdirSync(this.logDir, { recursive: true })
    this.createSecret()
    this.#withLock(() => this.#writeAtomically({ settings, processes: [] }))
  }

  remove(): void {
    fs.rmSync(this.file, { force: true })
  }

  addProcess(record: ProcessRecord): void {
    this.update((state) => ({ ...state, processes: [...state.processes.filter((p) => p.port !== record.port || p.host !== record.host), record] }))
  }

  removeProcess(pid: number): void {
    this.update((state) => ({ ...state, processes: state.processes.filter((p) => p.pid !== pid) }))
  }

  /** Drops entries whose process is gone and returns them, so tools can say so. */
  pruneDead(): ProcessRecord[] {
    let dead: ProcessRecord[] = []
    if (!this.exists()) return dead
    this.update((state) => {
      dead = state.processes.filter((p) => !isAlive(p.pid))
      return { ...state, processes: state.processes.filter((p) => isAlive(p.pid)) }
    })
    return dead
  }

  /** pick_random_process: any running process of the ring. */
  pickRandomProcess(): ProcessRecord {
    const alive = this.requireRing().processes.filter((p) => isAlive(p.pid))
    if (alive.length === 0) throw new StateError('no recorded node process is alive: run make boot')
    return alive[Math.floor(Math.random() * alive.length)]!
  }

  logFile(port: number): string {
    return path.join(this.logDir, `${port}.log`)
  }

  #writeAtomically(state: NetworkState): void {
    fs.mkdirSync(this.dir, { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(state, null, 2) + '\n')
    fs.renameSync(temp, this.file)
  }

  #withLock<T>(work: () => T): T {
    fs.mkdirSync(this.dir, { recursive: true })
    const deadline = Date.now() + LOCK_WAIT_MS
    for (;;) {
      try {
        fs.writeFileSync(this.#lock, String(process.pid), { flag: 'wx' })
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        this.#breakStaleLock()
        if (Date.now() > deadline) throw new StateError(`${this.#lock} is held by another tool; remove it if no make target is running`)
        sleepSync(5 + Math.random() * 10)
      }
    }
    try {
      return work()
    } finally {
      fs.rmSync(this.#lock, { force: true })
    }
  }

  /** A lock whose holder died (killed mid-write) is released rather than waited on forever. */
  #breakStaleLock(): void {
    try {
      const holder = Number(fs.readFileSync(this.#lock, 'utf8'))
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) fs.rmSync(this.#lock, { force: true })
    } catch {
      // The lock vanished between our attempts: fine, try again.
    }
  }
}

function expandHome(file: string): string {
  return file.startsWith('~/') ? path.join(process.env.HOME ?? '', file.slice(2)) : file
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
