// The bounded search: breadth first over the choices, from a fresh ring each time (a state is rebuilt
// by replaying the choices that reach it: the protocol's async code cannot be copied), with the states
// seen kept by hash so each is expanded once. Every new state is checked; then every state at the
// depth bound (or with no choice left, or on the last level of a space exhausted before the bound) is
// run on by maintenance alone (converge.ts). Breadth first, and the bound's level checked before any
// run's end: the first break found in a state is one of the shortest.
import { converge } from './converge.js'
import { checkState, type Finding } from './rules.js'
import { World, type WorldOptions } from './world.js'

export interface SearchOptions {
  world: WorldOptions
  /** Steps from the start at most. */
  depth: number
  /** States at most: a search stopped by it has not exhausted its bound. */
  maxStates: number
  /** Maintenance rounds a run's end gets to converge. */
  convergeRounds: number
  onProgress?: (progress: SearchProgress) => void
}

export interface SearchProgress {
  states: number
  transitions: number
  depth: number
  frontier: number
  converged: number
  seconds: number
}

/** A run that breaks a rule: its choices, and whether the break comes from running maintenance on after them. */
export interface Counterexample {
  choices: string[]
  converge: boolean
  finding: Finding
}

export interface SearchResult extends SearchProgress {
  /** Why it stopped: a rule broken, the state limit, the depth bound, or nothing new left to explore. */
  stopped: 'violation' | 'states' | 'depth' | 'complete'
  /** Every state within the depth bound was explored (no state limit hit). */
  exhausted: boolean
  /** No new state at all appeared before the bound: the whole reachable space was explored. */
  complete: boolean
  counterexample?: Counterexample
}

/** Replays choices on a fresh ring. */
export async function replay(options: WorldOptions, choices: readonly string[]): Promise<World> {
  const world = new World(options)
  for (const choice of choices) await world.apply(choice)
  return world
}

export async function search(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now()
  // The explored tree, one entry per state: its parent and the choice that reached it.
  const parents: number[] = [-1]
  const choices: string[] = ['']
  const pathOf = (index: number): string[] => {
    const path: string[] = []
    for (let at = index; at > 0; at = parents[at]!) path.push(choices[at]!)
    return path.reverse()
  }
  const root = new World(options.world)
  const visited = new Set<string>([root.hash()])
  const progress: SearchProgress = { states: 1, transitions: 0, depth: 0, frontier: 1, converged: 0, seconds: 0 }
  const result = (extra: Partial<SearchResult> & Pick<SearchResult, 'stopped'>): SearchResult => ({ ...progress, seconds: (performance.now() - started) / 1000, exhausted: false, complete: false, ...extra })
  const atRoot = checkState(root)
  if (atRoot) return result({ stopped: 'violation', counterexample: { choices: [], converge: false, finding: atRoot } })

  const runOn = async (world: World, path: string[]): Promise<Counterexample | undefined> => {
    progress.converged++
    const finding = await converge(world, { rounds: options.convergeRounds })
    return finding ? { choices: path, converge: true, finding } : undefined
  }

  let lastReport = 0
  const report = (depth: number, frontier: number) => {
    const now = performance.now()
    if (!options.onProgress || now - lastReport < 250) return
    lastReport = now
    options.onProgress({ ...progress, depth, frontier, seconds: (now - started) / 1000 })
  }
  /** Runs on from each of these states with maintenance alone; the first that breaks a rule. */
  const runsEnd = async (states: readonly number[], depth: number): Promise<Counterexample | undefined> => {
    for (const state of states) {
      const path = pathOf(state)
      const found = await runOn(await replay(options.world, path), path)
      if (found) return found
      report(depth, 0)
    }
    return undefined
  }

  let frontier = [0]
  for (let depth = 0; depth < options.depth; depth++) {
    const next: number[] = []
    for (const state of frontier) {
      const path = pathOf(state)
      let world = await replay(options.world, path)
      const enabled = world.enabled()
      if (enabled.length === 0) {
        const found = await runOn(world, path)
        if (found) return result({ stopped: 'violation', depth, counterexample: found })
      }
      for (let i = 0; i < enabled.length; i++) {
        if (i > 0) world = await replay(options.world, path)
        const choice = enabled[i]!
        await world.apply(choice)
        progress.transitions++
        const finding = checkState(world)
        if (finding) return result({ stopped: 'violation', depth: depth + 1, counterexample: { choices: [...path, choice], converge: false, finding } })
        const hash = world.hash()
        if (visited.has(hash)) continue
        visited.add(hash)
        parents.push(state)
        choices.push(choice)
        next.push(parents.length - 1)
        progress.states++
        if (progress.states >= options.maxStates) return result({ stopped: 'states', depth: depth + 1 })
      }
      report(depth + 1, next.length)
    }
    progress.depth = depth + 1
    progress.frontier = next.length
    // The runs end at the bound (every state there checked first, so a shorter break in a state is found
    // before one maintenance would lead to), or on the last level of a space explored before it.
    const last = next.length === 0 ? frontier : depth + 1 === options.depth ? next : undefined
    if (last) {
      const found = await runsEnd(last, next.length === 0 ? depth : depth + 1)
      if (found) return result({ stopped: 'violation', counterexample: found })
      return next.length === 0 ? result({ stopped: 'complete', exhausted: true, complete: true }) : result({ stopped: 'depth', exhausted: true })
    }
    frontier = next
  }
  return result({ stopped: 'depth', exhausted: true })
}
