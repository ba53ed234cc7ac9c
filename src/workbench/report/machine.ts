// The machine a run measured on: the first section of the table and of results.json, so figures from
// a loaded or a different machine are never read as this project's.
import os from 'node:os'
import type { Section } from './table.js'

export interface Machine {
  cpus: number
  cpuModel: string
  totalMemoryGb: number
  node: string
  platform: string
  loadAverage: number[]
  /** At the end of the run: a load far above the core count means other work competed with ours. */
  loadAverageEnd: number[]
  date: string
}

export function describeMachine(): Machine {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
    loadAverageEnd: [],
    date: new Date().toISOString(),
  }
}

/** "2 × AMD EPYC, 23.5 GB, Node v20.20.2" */
export const machineLine = (m: Machine): string => `${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGb.toFixed(1)} GB, Node ${m.node}`

export function machineSection(m: Machine, quick: boolean): Section {
  const load = (values: number[]) => values.map((x) => x.toFixed(1)).join(' ')
  return {
    title: `machine: ${machineLine(m)}, ${m.platform}, ${m.date}, load ${load(m.loadAverage)} → ${load(m.loadAverageEnd)}${quick ? ' (QUICK)' : ''}`,
    rows: [],
  }
}
