// The network state: which node processes run, on which ports, with which ring settings. The lab's
// persist_process_list / read_process_list / pick_random_process live here and nowhere else.
// Writes are atomic (temp file + rename) and serialised by a lock file, so parallel `make add`
// runs never lose an entry and a process killed mid-write never leaves a torn file.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DEFAULTS } from '../node/config.js'
import { errorMessage, isToolError, ToolError } from '../node/errors.js'
import { IdSpace } from '../node/ring.js'
import { defaultRingSettings, RING_SETTING_NAMES, ringSettingFromJson, type RingSettings } from '../node/settings.js'
import { asArray, asInteger, asObject, asString, Wire } from '../node/wire.js'

export type { RingSettings }

export interface ProcessRecord {
  id: string
  host: string
  port: number
  pid: number
  startedAt: string
}

export interface NetworkState {
  settings: RingSettings
  processes: ProcessRecord[]
}

/** Where this machine's nodes listen and which secret they share: HOST=, ADVERTISE=, DHT_BASE_PORT=, SECRET_FILE=. */
export interface Machine {
  /** The address nodes bind. */
  host: string
  /** The address peers reach them at, when it is not the bound one. */
  advertise?: string
  /**
   * The first port make add tries. 0 lets the OS choose, which is what a caller that does not say gets:
   * only the Make targets count up from 5000, so that people can type PORT=5003.
   */
  basePort: number
  /** A cluster secret several machines share; without it, the state directory's own `secret`. */
  secretFile?: string
  /** V8 flags for the node processes started here, when not the usual ones (make bench measures what they buy). */
  nodeFlags?: readonly string[]
}

const LOCK_WAIT_MS = 10_000
const MAX_PID = 2 ** 31 - 1

export function defaultSettings(): RingSettings {
  return defaultRingSettings()
}

/**
 * A network state read back from JSON: the ring settings (each checked by its setting; missing ones take
 * their default, so older files still read) and every process record checked field by field. Anything
 * wrong is a STATE_CORRUPT error naming the first field that is.
 */
export function parseNetworkState(json: unknown): NetworkState {
  try {
    return parseState(json)
  } catch (error) {
    throw isToolError(error, 'STATE_CORRUPT') ? error : new ToolError('STATE_CORRUPT', errorMessage(error))
  }
}

function parseState(json: unknown): NetworkState {
  const object = asObject(json, 'the state')
  const stored = object.settings === undefined ? {} : asObject(object.settings, 'settings')
  const settings: Record<string, unknown> = { ...defaultRingSettings() }
  for (const name of RING_SETTING_NAMES) {
    if (stored[name] !== undefined) settings[name] = ringSettingFromJson(name, stored[name], `settings.${name}`)
  }
  // A lab ring recorded before AUTH= existed used bearer tokens, the only thing the lab node knows.
  if (stored.auth === undefined && settings.impl === 'lab') settings.auth = 'bearer'
  const ring = settings as RingSettings
  const wire = new Wire(new IdSpace(ring.bits))
  const processes = asArray(object.processes, 'processes').map((item, i): ProcessRecord => {
    const field = `processes[${i}]`
    const record = asObject(item, field)
    if (record.id === undefined) throw new ToolError('STATE_CORRUPT', `${field}.id is missing`)
    // A recorded id is the hash of the recorded address, as every process's (first) node's is.
    const peer = wire.parsePeer(record, field)
    if (peer.id !== wire.space.nodeId(peer.host, peer.port)) throw new ToolError('STATE_CORRUPT', `${field}.id does not match the hash of ${peer.host}:${peer.port}`)
    const startedAt = asString(record.startedAt, `${field}.startedAt`)
    if (Number.isNaN(Date.parse(startedAt))) throw new ToolError('STATE_CORRUPT', `${field}.startedAt must be a date, got ${JSON.stringify(startedAt)}`)
    return { id: wire.id(peer.id), host: peer.host, port: peer.port, pid: asInteger(record.pid, `${field}.pid`, 1, MAX_PID), startedAt }
  })
  return { settings: ring, processes }
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
  readonly machine: Machine
  /** The cluster secret: the machine's shared one when several machines share one, else state/secret. */
  readonly secretFile: string
  readonly #lock: string

  constructor(dir = 'state', machine: Partial<Machine> = {}) {
    this.dir = path.resolve(dir)
    this.file = path.join(this.dir, 'network.json')
    this.logDir = path.join(this.dir, 'logs')
    this.machine = {
      host: machine.host ?? DEFAULTS.host,
      basePort: machine.basePort ?? 0,
      ...(machine.advertise ? { advertise: machine.advertise } : {}),
      ...(machine.secretFile ? { secretFile: path.resolve(machine.secretFile) } : {}),
      ...(machine.nodeFlags ? { nodeFlags: machine.nodeFlags } : {}),
    }
    this.secretFile = this.machine.secretFile ?? path.join(this.dir, 'secret')
    this.#lock = path.join(this.dir, 'network.lock')
  }

  /** make boot: a new random secret (readable by this user only), unless a shared secret file already holds one. */
  createSecret(): void {
    if (this.machine.secretFile && fs.existsSync(this.secretFile)) return
    fs.mkdirSync(path.dirname(this.secretFile), { recursive: true })
    const temp = `${this.secretFile}.${process.pid}.tmp`
    fs.writeFileSync(temp, randomBytes(32).toString('hex') + '\n', { mode: 0o600 })
    fs.renameSync(temp, this.secretFile)
  }

  /** Keeps a copy of a shared secret (SECRET_FILE=) in this machine's state, so later tools need no SECRET_FILE. */
  adoptSharedSecret(): void {
    const local = path.join(this.dir, 'secret')
    if (!this.machine.secretFile || this.secretFile === local || !fs.existsSync(this.secretFile)) return
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
      return parseNetworkState(JSON.parse(text) as unknown)
    } catch (error) {
      const reason = errorMessage(error).split('\n')[0]
      throw new ToolError('STATE_CORRUPT', `${this.file} is corrupt (${reason}); make recover rebuilds it from the running ring`)
    }
  }

  /** read_process_list: the recorded processes (empty when no ring is booted). */
  readProcessList(): ProcessRecord[] {
    return this.read()?.processes ?? []
  }

  /** The state of a booted ring, or a clear error telling the user to boot one. */
  requireRing(): NetworkState {
    const state = this.read()
    if (!state || state.processes.length === 0) throw new ToolError('NO_RING', 'no ring is running: start one with make boot')
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
    if (alive.length === 0) throw new ToolError('NO_RING', 'no recorded node process is alive: run make boot')
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
        if (Date.now() > deadline) throw new ToolError('STATE_LOCKED', `${this.#lock} is held by another tool; remove it if no make target is running`)
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

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
