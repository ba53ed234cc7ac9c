// Everything one bench run starts, and stopping all of it: on success, on error and on Ctrl-C nothing
// survives. Phases get this context and register what they start with it; they keep no state of their own.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isAlive } from '../../tools/network-state.js'
import { warn } from '../../tools/output.js'
import { childPids } from './proc.js'

/** Something the bench started and can stop: an echo server, a ring, a client. */
export interface Stoppable {
  stop(): Promise<unknown>
}

export interface CleanupReport {
  /** Processes started during the run. */
  started: number
  /** Our children still alive after the cleanup (should be none). */
  survivors: number[]
}

export class BenchContext {
  /** Private state directories (one per ring, with its nodes' logs). */
  readonly tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-bench-'))
  /** Aborted by Ctrl-C: from then on nothing new starts. */
  readonly signal: AbortSignal
  readonly #abort = new AbortController()
  readonly #owned = new Set<Stoppable>()
  readonly #startedPids = new Set<number>()
  #cleaning: Promise<CleanupReport> | undefined

  constructor(readonly host: string) {
    this.signal = this.#abort.signal
  }

  /** Throws once Ctrl-C was pressed, so a phase stops where it is. */
  checkStopping(): void {
    if (this.signal.aborted) throw new Error('interrupted')
  }

  /** A fresh directory for one ring's state. */
  stateDir(name: string): string {
    this.checkStopping()
    return path.join(this.tempRoot, name)
  }

  /** Registers something to stop at the end (unless `release`d first, when its phase stopped it). */
  own<T extends Stoppable>(thing: T): T {
    this.#owned.add(thing)
    return thing
  }

  release(thing: Stoppable): void {
    this.#owned.delete(thing)
  }

  /** Stops one thing now: its phase is done with it. */
  async stopNow(thing: Stoppable): Promise<void> {
    this.release(thing)
    await thing.stop()
  }

  /** Records processes we started; if Ctrl-C came while they started, they are stopped at once. */
  remember(pids: number[]): void {
    for (const pid of pids) this.#startedPids.add(pid)
    if (this.signal.aborted) {
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      this.checkStopping()
    }
  }

  /** On SIGINT, SIGTERM or SIGHUP: stop starting things, stop everything, exit 130. */
  stopOnSignals(): void {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(name, () => {
        this.#abort.abort()
        warn(`${name}: stopping every process this bench started…`)
        void this.cleanup().finally(() => process.exit(130))
      })
    }
  }

  /** Stops everything (once, however often it is called); the temp directory with every node's log is kept when `keepLogs`. */
  cleanup(keepLogs = false): Promise<CleanupReport> {
    this.#cleaning ??= (async () => {
      for (const thing of [...this.#owned].reverse()) await thing.stop().catch(() => {})
      this.#owned.clear()
      // A node still starting when we stopped is in no state file yet, but it is our child: every process
      // we start stays our child while we live (detached only means its own session). Only children are
      // killed here, never a remembered pid, which the OS may have given to someone else by now.
      for (const pid of childPids()) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Gone already.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      const survivors = childPids()
      if (keepLogs) warn(`node logs kept in ${this.tempRoot}`)
      else fs.rmSync(this.tempRoot, { recursive: true, force: true })
      return { started: this.#startedPids.size, survivors }
    })()
    return this.#cleaning
  }
}
