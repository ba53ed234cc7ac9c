// A ring of node processes that a bench phase measures: booted in the run's private directory, grown
// with the same loop as `make addmany`, and stopped through the run's context.
import { addNodes } from '../../tools/grow.js'
import { NetworkStateFile, type Machine, type ProcessRecord, type RingSettings } from '../../tools/network-state.js'
import { warn } from '../../tools/output.js'
import { RingClient } from '../../tools/ring-client.js'
import { addNode, bootRing, killRing } from '../../tools/ring-ops.js'
import { IdSpace } from '../../node/ring.js'
import type { BenchContext } from './bench-context.js'
import { ms } from './format.js'

/** A few failed joins are reported and retried; this many end the growth. */
const MAX_JOIN_FAILURES = 5

export interface GrowOptions {
  parallel?: number
  budgetSeconds?: number
  /** When too many joins fail: stop growing and measure what there is, instead of ending the bench. */
  tolerateFailures?: boolean
}

export interface Growth {
  /** Spawn to joined, per node added, in ms. */
  joinMs: number[]
  /** Why each failed join failed. */
  failures: string[]
  seconds: number
}

export class BenchRing {
  readonly space: IdSpace

  private constructor(
    readonly ctx: BenchContext,
    readonly state: NetworkStateFile,
    readonly settings: RingSettings,
    /** One keep-alive client, carrying this ring's secret. */
    readonly client: RingClient,
  ) {
    this.space = client.wire.space
  }

  /** A new ring of two nodes in its own state directory (`machine`: e.g. other V8 flags for its processes). */
  static async boot(ctx: BenchContext, name: string, settings: RingSettings, machine: Partial<Machine> = {}): Promise<BenchRing> {
    const state = new NetworkStateFile(ctx.stateDir(name), machine)
    const stopEarly = ctx.own({ stop: () => killRing(state) })
    ctx.remember((await bootRing(state, settings)).map((p) => p.pid))
    ctx.release(stopEarly)
    // The client is made after boot, which writes the ring's secret.
    return ctx.own(new BenchRing(ctx, state, settings, new RingClient(settings.bits, { secret: state.readSecret(), auth: state.requireRing().settings.auth })))
  }

  processes(): ProcessRecord[] {
    return this.state.readProcessList()
  }

  pids(): number[] {
    return this.processes().map((p) => p.pid)
  }

  ports(): Set<number> {
    return new Set(this.processes().map((p) => p.port))
  }

  /** Adds nodes, each joining through a random one, until the ring has `size`; times each from spawn to joined. */
  async growTo(size: number, label: string, options: GrowOptions = {}): Promise<Growth> {
    const growth = await addNodes(size - this.processes().length, () => addNode(this.state), {
      parallel: options.parallel ?? 1,
      retryFailed: true,
      maxFailures: MAX_JOIN_FAILURES,
      ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
      signal: this.ctx.signal,
      progress: label,
      onJoined: (node) => this.ctx.remember([node.pid]),
      onFailed: (failure) => {
        if (!this.ctx.signal.aborted) warn(`${label}: a join failed after ${ms(failure.ms)}: ${failure.message}`)
      },
    })
    this.ctx.checkStopping()
    const have = this.processes().length
    if (growth.stopped === 'budget') warn(`${label}: stopped at ${have} nodes, the ${options.budgetSeconds} s budget ran out`)
    if (growth.stopped === 'failures') {
      if (!options.tolerateFailures) throw new Error(`${growth.failures.length} joins failed; giving up`)
      warn(`${label}: ${growth.failures.length} joins failed; stopping at ${have} nodes`)
    }
    return { joinMs: growth.joinMs, failures: growth.failures.map((f) => f.message), seconds: growth.seconds }
  }

  /** Stops every node of the ring. */
  async stop(): Promise<void> {
    this.ctx.release(this)
    this.client.close()
    await killRing(this.state)
  }
}
