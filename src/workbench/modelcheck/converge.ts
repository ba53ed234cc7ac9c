// The end of an explored run: no more events, only maintenance, in a fair fixed order (every message
// delivered oldest first, then a round of each repair task on each node in id order, again and again), each
// step checked like any other. The run passes when the members become one ordered ring with every
// pointer right and a lookup of each value answers what was acknowledged. Every step is a choice of
// the world's, so a failure here replays and shrinks like any counterexample.
import { flightLabel } from './choices.js'
import { checkState, expectedLookup, ringProblems, type Finding } from './rules.js'
import type { World } from './world.js'

/** Messages delivered in one drain at most: more means the protocol never goes quiet. */
const DRAIN_LIMIT = 2000

export interface ConvergeOptions {
  /** Maintenance rounds at most (each: every task of every member once). */
  rounds: number
}

/** Delivers every message in flight, oldest first, and whatever they cause; the first broken rule on the way. */
async function drain(world: World): Promise<Finding | undefined> {
  for (let delivered = 0; world.network.inFlight.length > 0; delivered++) {
    if (delivered >= DRAIN_LIMIT) return { rule: 'Converges', message: `messages still in flight after ${DRAIN_LIMIT} deliveries: the protocol never goes quiet`, step: world.step }
    // The oldest message is the first with its label: its choice needs no count.
    await world.apply(`deliver ${flightLabel(world.network.inFlight[0]!)}`)
    const finding = checkState(world)
    if (finding) return finding
  }
  return undefined
}

function settled(world: World): boolean {
  const busy = [...world.operations.values()].some((op) => op.status === 'running')
  return !busy && world.running.size === 0 && ringProblems(world).length === 0
}

/** Runs maintenance alone until the ring is ideal (then checks the lookups), or reports why it did not get there. */
export async function converge(world: World, options: ConvergeOptions): Promise<Finding | undefined> {
  let finding = await drain(world)
  for (let round = 0; !finding && !settled(world) && round < options.rounds; round++) {
    for (const node of world.live()) {
      if (node.status !== 'ready' && node.status !== 'leaving') continue
      for (const task of world.options.variant.repairTasks) {
        const choice = `${task} @${node.self.port}`
        if (world.running.has(choice)) continue
        await world.apply(choice)
        finding = checkState(world) ?? (await drain(world))
        if (finding) return finding
      }
    }
  }
  if (finding) return finding
  const problems = ringProblems(world)
  if (problems.length > 0 || !settled(world)) {
    const why = problems.length > 0 ? problems.slice(0, 3).join('; ') : 'an operation or round never finished'
    return { rule: 'Converges', message: `maintenance alone did not bring one ordered ring within ${options.rounds} rounds: ${why}`, step: world.step }
  }
  for (const value of world.values) {
    const expected = expectedLookup(world, value)
    if (!expected) continue
    await world.apply(`lookup ${JSON.stringify(value)}`)
    const broken = checkState(world) ?? (await drain(world))
    if (broken) return broken
    const outcome = world.operations.get(`lookup ${JSON.stringify(value)}`)!.outcome
    if (outcome !== expected) return { rule: 'LookupAgrees', message: `a lookup of "${value}" answered ${outcome}, but the ring acknowledged ${expected === 'found' ? 'its store' : 'its delete'}`, step: world.step }
  }
  return undefined
}
