// What a set of processes costs while some work runs: CPU (theirs, the client's, everyone else's),
// bytes and writes they sent, connections they opened and closed; and their memory at one moment.
import { readMachineCpu, readMemoryKb, tcpConnections, totalCpuSeconds, totalIo, type MemoryKb } from './proc.js'
import { summarize, type Summary } from './stats.js'

export interface Window {
  seconds: number
  /** CPU-seconds used by the measured processes (the nodes, or the echo server). */
  nodesCpu: number
  /** CPU-seconds used by this process, the client. */
  clientCpu: number
  /** Cores kept busy by everything else on the machine meanwhile (other users' work competes with ours). */
  otherCores: number
  /** Bytes the measured processes wrote: nearly all of it the HTTP they sent. */
  bytesSent: number
  /** Their write syscalls (messages, but also eventfd wake-ups from GC threads: see proc.ts). */
  writes: number
  /** Connections on the measured processes' ports closed during the window (TIME_WAIT grew): not reused. */
  closedConnections: number
  /** Connections open on those ports at the end (each counted once). */
  openConnections: number
}

const selfCpu = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

/** While `work` runs: CPU used by `pids`, by this process and by everything else, and what `pids` sent and how they connected. */
export async function measureWindow<T>(pids: number[], ports: Set<number>, work: () => Promise<T>): Promise<{ result: T; cpu: Window }> {
  const ioBefore = totalIo(pids)
  const tcpBefore = tcpConnections(ports)
  const nodesBefore = totalCpuSeconds(pids).seconds
  const selfBefore = selfCpu()
  const machineBefore = readMachineCpu()
  const started = performance.now()
  const result = await work()
  const seconds = (performance.now() - started) / 1000
  const nodesCpu = totalCpuSeconds(pids).seconds - nodesBefore
  const clientCpu = selfCpu() - selfBefore
  const machineAfter = readMachineCpu()
  const machineBusy = machineBefore && machineAfter ? machineAfter.busy - machineBefore.busy : NaN
  const ioAfter = totalIo(pids)
  const tcpAfter = tcpConnections(ports)
  return {
    result,
    cpu: {
      seconds,
      nodesCpu,
      clientCpu,
      otherCores: Math.max(0, machineBusy - nodesCpu - clientCpu) / seconds,
      bytesSent: ioAfter.wchar - ioBefore.wchar,
      writes: ioAfter.syscw - ioBefore.syscw,
      closedConnections: Math.max(0, tcpAfter.timeWait - tcpBefore.timeWait),
      // Both ends of a loopback connection are listed: each counted once.
      openConnections: tcpAfter.established / 2,
    },
  }
}

export interface MemorySummary {
  count: number
  rssMb: Summary
  pssMb: Summary
  anonMb: Summary
  fileMb: Summary
  totalRssMb: number
  totalPssMb: number
}

/** Resident memory of each process now, in MB, summarised over the processes still there. */
export function memoryOf(pids: number[]): MemorySummary {
  const samples = pids.map(readMemoryKb).filter((m): m is MemoryKb => m !== undefined)
  const mb = (kb: number) => kb / 1024
  const rss = samples.map((m) => mb(m.rss))
  const pss = samples.flatMap((m) => (m.pss !== undefined ? [mb(m.pss)] : []))
  return {
    count: samples.length,
    rssMb: summarize(rss),
    pssMb: summarize(pss),
    anonMb: summarize(samples.map((m) => mb(m.anon))),
    fileMb: summarize(samples.map((m) => mb(m.file))),
    totalRssMb: rss.reduce((a, b) => a + b, 0),
    totalPssMb: pss.reduce((a, b) => a + b, 0),
  }
}
