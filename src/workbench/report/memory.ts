// Phase "memory": what each node process holds resident, at rest after the joins and again after the
// load, split into its own pages and the Node binary's shared ones.
import { ok } from '../../tools/output.js'
import type { BenchRing } from './bench-ring.js'
import type { FloorResult } from './floor.js'
import { mb, times } from './format.js'
import { memoryOf, type MemorySummary } from './measure.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface MemoryResult {
  idle: MemorySummary
  loaded: MemorySummary
}

/** The ring's memory now; `say` prints it. */
export function measureMemory(ring: BenchRing, say = false): MemorySummary {
  const memory = memoryOf(ring.pids())
  if (say) {
    ok(
      `memory at N=${memory.count}: RSS mean ${mb(memory.rssMb.mean)} max ${mb(memory.rssMb.max)}, ` +
        `PSS mean ${mb(memory.pssMb.mean)}, anonymous mean ${mb(memory.anonMb.mean)}`,
    )
  }
  return memory
}

export function memorySection(memory: MemoryResult, floor: FloorResult): Section {
  const { idle, loaded } = memory
  return {
    title: `memory per node process at N=${idle.count}`,
    rows: [
      { metric: 'RSS per node, mean / max (idle)', value: `${mb(idle.rssMb.mean)} / ${mb(idle.rssMb.max)}`, vs: times(idle.rssMb.mean / floor.rssMb) },
      {
        metric: '  RSS mean = anon + file-backed',
        value: `${mb(idle.anonMb.mean)} + ${mb(idle.fileMb.mean)}`,
        vs: `${times(idle.anonMb.mean / floor.anonMb)} + ${times(idle.fileMb.mean / floor.fileMb)}`,
        note: 'file-backed: shared binary',
      },
      { metric: '  PSS mean (shared pages split)', value: mb(idle.pssMb.mean), vs: times(idle.pssMb.mean / floor.pssMb) },
      {
        metric: 'RSS per node, mean / max, after the load',
        value: `${mb(loaded.rssMb.mean)} / ${mb(loaded.rssMb.max)}`,
        vs: times(loaded.rssMb.mean / floor.rssMb),
        // The floor is a bare Node http server: the binary's own pages alone are most of the bound.
        note: `a bare Node server: ${mb(floor.rssMb)}`,
        target: target({ metric: `RSS per node after the load, mean, N = ${loaded.count}`, value: loaded.rssMb.mean, unit: 'MB' }, '≤', 45),
      },
      { metric: '  PSS mean after the load', value: mb(loaded.pssMb.mean), vs: times(loaded.pssMb.mean / floor.pssMb) },
    ],
  }
}
