// The torture test's nemesis on a ring of real processes: seeded, it joins, leaves and crashes nodes,
// slows one, drops calls, partitions the ring and heals it, and keeps a timeline of what it did. Its
// rules keep the replication promise: never r or more adjacent nodes crashed within one repair (leaves
// count too; with virtual nodes a key's r copies may be on any r processes, so never r processes at all), no crash while a partition stands or just after it heals (values are still moving to
// their owners in the merged ring), and no join during a partition (a new process would bridge it).
import type { NetworkStateFile, ProcessRecord } from '../../tools/network-state.js'
import type { RingClient } from '../../tools/ring-client.js'
import { addNode, crashNode, leaveNode } from '../../tools/ring-ops.js'
import { errorMessage } from '../../node/errors.js'
import { changeEach, healAll, partition, type FaultNode } from '../faults/ring-faults.js'
import type { SeededRandom } from '../sim/random.js'

export interface NemesisOptions {
  state: NetworkStateFile
  client: RingClient
  random: SeededRandom
  replicas: number
  /** Virtual nodes per process (VNODES=v): above 1, any r processes may hold all copies of some key. */
  vnodes?: number
  /** How long a crash, a leave or a heal takes to repair: no crash within this of the last. */
  repairMs: number
  /** Never fewer nodes than this (a ring too small to crash r-1 of). */
  minNodes: number
  /** When the run started, for the timeline's times. */
  startedAt: number
}

type Fault = 'partition' | 'slow' | 'drop'

export class Nemesis {
  readonly timeline: string[] = []
  readonly #o: NemesisOptions
  /** Departures (crashes and leaves), with when, for the adjacency rule. */
  readonly #departed: Array<{ id: string; at: number }> = []
  readonly #active = new Set<Fault>()
  #healedAt = 0

  constructor(options: NemesisOptions) {
    this.#o = options
  }

  /** Whether a fault is in force now. */
  get faulty(): boolean {
    return this.#active.size > 0
  }

  /** One seeded event: a fault begun or ended, or a membership change the rules allow now. */
  async step(): Promise<void> {
    const roll = this.#o.random.next()
    try {
      if (this.#active.has('partition') && roll < 0.5) return await this.heal()
      if (roll < 0.15 && !this.#active.has('partition')) return await this.#join()
      if (roll < 0.25) return await this.#leave()
      if (roll < 0.45) return await this.#crash()
      if (roll < 0.6) return await this.#partition()
      if (roll < 0.72) return await this.#slow()
      if (roll < 0.82) return await this.#drop()
      if (this.faulty) return await this.heal()
    } catch (error) {
      this.#note(`(${errorMessage(error).slice(0, 60)})`)
    }
  }

  /** Clears every fault on every node. */
  async heal(): Promise<void> {
    await healAll(this.#o.client, this.#nodes())
    if (this.#active.size > 0) this.#note('heal')
    // After a partition, values move to their owners in the merged ring for a while: no crash meanwhile.
    if (this.#active.has('partition')) this.#healedAt = Date.now()
    this.#active.clear()
  }

  #nodes(): FaultNode[] {
    return this.#alive().map((p) => ({ id: p.id, host: p.host, port: p.port, address: `${p.host}:${p.port}` }))
  }

  #alive(): ProcessRecord[] {
    return [...this.#o.state.readProcessList()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  #note(event: string): void {
    this.timeline.push(`${Math.round((Date.now() - this.#o.startedAt) / 1000)}s ${event}`)
  }

  async #join(): Promise<void> {
    const node = await addNode(this.#o.state)
    this.#note(`join @${node.port}`)
  }

  /** Whether `victims` may go now: no r adjacent nodes (live ones and recent departures), or with virtual nodes no r processes, gone within one repair. */
  #allows(victims: ProcessRecord[]): boolean {
    const now = Date.now()
    const recent = this.#departed.filter((d) => now - d.at < this.#o.repairMs)
    const gone = new Set([...recent.map((d) => d.id), ...victims.map((v) => v.id)])
    if ((this.#o.vnodes ?? 1) > 1 && gone.size >= this.#o.replicas) return false
    const ids = [...new Set([...this.#alive().map((p) => p.id), ...recent.map((d) => d.id)])].sort()
    let run = 0
    for (let i = 0; i < 2 * ids.length; i++) {
      run = gone.has(ids[i % ids.length]!) ? run + 1 : 0
      if (run >= this.#o.replicas) return false
    }
    return this.#alive().length - victims.length >= this.#o.minNodes
  }

  #depart(victims: ProcessRecord[]): void {
    for (const v of victims) this.#departed.push({ id: v.id, at: Date.now() })
  }

  async #leave(): Promise<void> {
    const ring = this.#alive()
    const leaving = this.#o.random.pick(ring)
    if (this.#active.has('partition') || !this.#allows([leaving])) return
    await leaveNode(this.#o.state, this.#o.client, leaving)
    this.#depart([leaving])
    this.#note(`leave @${leaving.port}`)
  }

  async #crash(): Promise<void> {
    // Not while a partition stands, nor while the values of a healed one still move to their owners.
    if (this.#active.has('partition') || Date.now() - this.#healedAt < this.#o.repairMs) return
    const ring = this.#alive()
    const count = 1 + this.#o.random.int(this.#o.replicas - 1)
    const first = this.#o.random.int(ring.length)
    const victims = Array.from({ length: count }, (_, k) => ring[(first + k) % ring.length]!)
    if (!this.#allows(victims)) return
    for (const victim of victims) crashNode(this.#o.state, victim)
    this.#depart(victims)
    this.#note(`crash ${victims.map((v) => `@${v.port}`).join(' ')}`)
  }

  async #partition(): Promise<void> {
    if (this.#active.has('partition')) return
    const nodes = this.#nodes()
    const size = 1 + this.#o.random.int(Math.max(1, Math.floor(nodes.length / 2)))
    const side = [...nodes].sort(() => this.#o.random.next() - 0.5).slice(0, size)
    await partition(this.#o.client, nodes, side)
    this.#active.add('partition')
    this.#note(`partition ${side.length}+${nodes.length - side.length}`)
  }

  async #slow(): Promise<void> {
    const node = this.#o.random.pick(this.#nodes())
    await changeEach(this.#o.client, [node], (plan) => ({ ...plan, slowMs: 200 }))
    this.#active.add('slow')
    this.#note(`slow @${node.port}`)
  }

  async #drop(): Promise<void> {
    await changeEach(this.#o.client, this.#nodes(), (plan) => ({ ...plan, dropRate: 0.05 }))
    this.#active.add('drop')
    this.#note('drop 5%')
  }
}
