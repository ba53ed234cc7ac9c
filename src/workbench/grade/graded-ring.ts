// A ring the grader builds for one test: nodes started alone, joined through running nodes, or wired
// by the grader's own PUTs; which nodes should be in it, the truth about them, and the wait for their
// pointers to be right (at once for a node that rewires as it joins, within a deadline for one that
// settles by stabilizing).
import type { SeededRandom } from '../sim/random.js'
import { exitedBecause, type LaunchedNode, type Launcher } from './launcher.js'
import type { Address, Probe } from './probe.js'
import { observeRing, pointerProblems, TrueRing } from './ring-view.js'
import { fail, failFinally, isGradeFailure, jsonObject, shortNode } from './verdict.js'

const POLL_MS = 100

/** Runs `check` until it passes or `ms` have gone by; then its last failure stands. */
export async function eventually<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (!isGradeFailure(error) || error.final || Date.now() >= deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      out[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export class GradedRing {
  /** The nodes that should be in the ring now: started, not left, not crashed. */
  members: LaunchedNode[] = []
  readonly #launcher: Launcher
  readonly #probe: Probe
  readonly #random: SeededRandom
  readonly #settleMs: number
  readonly #step: (text: string) => void

  constructor(launcher: Launcher, probe: Probe, random: SeededRandom, settleMs: number, step: (text: string) => void) {
    this.#launcher = launcher
    this.#probe = probe
    this.#random = random
    this.#settleMs = settleMs
    this.#step = step
  }

  truth(): TrueRing {
    return new TrueRing(this.members)
  }

  randomMember(): LaunchedNode {
    return this.#random.pick(this.members)
  }

  /** A node started on its own, outside the ring (Part 1, or a ring the grader wires itself). */
  alone(port?: number): Promise<LaunchedNode> {
    return this.#launcher.start(port === undefined ? {} : { port })
  }

  /** Starts a node joining through `via` (a random member by default); the first node starts alone. */
  async join(options: { via?: Address; port?: number } = {}): Promise<LaunchedNode> {
    const via = options.via ?? (this.members.length > 0 ? this.randomMember() : undefined)
    this.#step(`starting node ${this.members.length + 1}${via ? `, joining through @${via.port}` : ''}`)
    const node = await this.#launcher.start({ ...(options.port === undefined ? {} : { port: options.port }), ...(via ? { join: via } : {}) })
    this.members.push(node)
    return node
  }

  /** Grows the ring to `size` nodes, one join at a time, each through a random member; the pointers must be right after each. */
  async grow(size: number): Promise<LaunchedNode[]> {
    while (this.members.length < size) {
      const node = await this.join()
      if (this.members.length > 1) await this.settled(`after ${shortNode(node)} joined`)
    }
    return this.members
  }

  /** A port for the next node, whose id `want` accepts (up to 64 tries; else any free port). */
  portWhere(want: (id: string) => boolean): Promise<number> {
    return this.#launcher.freePort(want)
  }

  /** Every member's predecessor and successor right now, or a failure listing the wrong ones. */
  async pointersRight(when: string): Promise<void> {
    const truth = this.truth()
    const problems = pointerProblems(await observeRing(this.#probe, this.members), truth)
    const gone = this.members.filter((n) => n.exit)
    if (gone.length > 0) {
      const node = gone[0]!
      failFinally(`every node of the ring running ${when}`, `${shortNode(node)} ${exitedBecause(node)}`)
    }
    if (problems.length > 0) {
      fail(`every node's predecessor and successor as the ids order them ${when}`, `${problems.length} wrong: ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? '; …' : ''}`)
    }
  }

  /** The pointers right within the settle time: at once for a node that rewires on JOIN, soon for one that stabilizes. */
  settled(when: string): Promise<void> {
    this.#step(`waiting for the pointers ${when}`)
    return eventually(this.#settleMs, () => this.pointersRight(when))
  }

  /** Wires the members into a ring with PUT /successor and PUT /predecessor, as the ids order them. */
  async wire(): Promise<void> {
    const truth = this.truth()
    for (const node of truth.sorted) {
      for (const [route, field] of [['/successor', truth.successorOf(node)], ['/predecessor', truth.predecessorOf(node)]] as const) {
        const reply = await this.#probe.send(node, 'PUT', route, { id: field.id, host: field.host, port: field.port })
        jsonObject(reply, `PUT ${route} (the grader wiring the ring itself)`)
      }
    }
  }

  /** SIGKILL nodes: they leave the members without a word. */
  async crash(nodes: readonly LaunchedNode[]): Promise<void> {
    for (const node of nodes) {
      this.#step(`crashing ${shortNode(node)} (SIGKILL)`)
      await this.#launcher.kill(node)
    }
    this.members = this.members.filter((m) => !nodes.includes(m))
  }

  /** The node left the ring (LEAVE): it should exit by itself within the settle time. */
  async left(node: LaunchedNode): Promise<void> {
    this.members = this.members.filter((m) => m !== node)
    await eventually(this.#settleMs, async () => {
      if (!node.exit) fail(`${shortNode(node)} to exit after it left`, 'its process is still running')
    })
  }

  /** The ring's own failures named: nodes that died when nobody killed them. */
  crashedNodes(): LaunchedNode[] {
    return this.#launcher.crashed()
  }
}

