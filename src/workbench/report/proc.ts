// Reading a process's memory and CPU time from Linux's /proc, for benchmarks. Every reader returns
// undefined (never throws) when the process is gone or /proc is not there (macOS, Windows).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

export interface MemoryKb {
  /** VmRSS: resident pages, including the shared node binary and libraries. */
  rss: number
  /** RssAnon: heap, stacks and other private anonymous memory. */
  anon: number
  /** RssFile: resident file-backed pages (mostly the node binary, shared by every node process). */
  file: number
  /** Pss from smaps_rollup: RSS with each shared page divided among the processes that map it. */
  pss?: number
}

let clockTicks: number | undefined

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (CLK_TCK, nearly always 100). */
export function ticksPerSecond(): number {
  if (clockTicks !== undefined) return clockTicks
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    clockTicks = Number.isInteger(value) && value > 0 ? value : 100
  } catch {
    clockTicks = 100
  }
  return clockTicks
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function kbField(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)
  return match ? Number(match[1]) : undefined
}

/** Resident memory of a process in kB (VmRSS, RssAnon, RssFile and, when readable, Pss). */
export function readMemoryKb(pid: number): MemoryKb | undefined {
  const status = readText(`/proc/${pid}/status`)
  if (!status) return undefined
  const rss = kbField(status, 'VmRSS')
  if (rss === undefined) return undefined
  const rollup = readText(`/proc/${pid}/smaps_rollup`)
  const pss = rollup ? kbField(rollup, 'Pss') : undefined
  return { rss, anon: kbField(status, 'RssAnon') ?? 0, file: kbField(status, 'RssFile') ?? 0, ...(pss !== undefined ? { pss } : {}) }
}

/** The fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const text = readText(`/proc/${pid}/stat`)
  if (!text) return undefined
  const end = text.lastIndexOf(')')
  return end < 0 ? undefined : text.slice(end + 2).trim().split(/\s+/)
}

/** CPU time a process has used so far (user + system), in seconds. */
export function readCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid)
  // After the name: state(0) ppid(1) ... utime(11) stime(12).
  const utime = Number(fields?.[11])
  const stime = Number(fields?.[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
  return (utime + stime) / ticksPerSecond()
}

/** Sum of CPU seconds over processes; those gone are skipped and counted. */
export function totalCpuSeconds(pids: number[]): { seconds: number; missing: number } {
  let seconds = 0
  let missing = 0
  for (const pid of pids) {
    const s = readCpuSeconds(pid)
    if (s === undefined) missing++
    else seconds += s
  }
  return { seconds, missing }
}

/** Pids whose parent is `parent` (for cleaning up children a crash left unrecorded). Empty without /proc. */
export function childPids(parent: number = process.pid): number[] {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc')
  } catch {
    return []
  }
  const children: number[] = []
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue
    const fields = statFields(Number(name))
    if (fields && Number(fields[1]) === parent && fields[0] !== 'Z') children.push(Number(name))
  }
  return children
}

/** CPU time the whole machine has spent busy (everything but idle and iowait) and in total, in seconds. */
export function readMachineCpu(): { busy: number; total: number } | undefined {
  const line = readText('/proc/stat')?.split('\n', 1)[0]
  if (!line?.startsWith('cpu ')) return undefined
  const ticks = line.trim().split(/\s+/).slice(1).map(Number)
  const total = ticks.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0)
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  const guest = (ticks[8] ?? 0) + (ticks[9] ?? 0)
  return { busy: (total - idle - guest) / ticksPerSecond(), total: (total - guest) / ticksPerSecond() }
}

export interface IoCounters {
  /** Bytes written (sockets, files, pipes): for a node, nearly all of it is HTTP it sends. */
  wchar: number
  /**
   * Write syscalls. Not a message count: V8's GC helper threads wake the event loop through an
   * eventfd write, so a GC (e.g. V8's memory reducer, seconds after a busy spell) adds thousands.
   */
  syscw: number
}

/** A process's I/O counters from /proc/<pid>/io. */
export function readIo(pid: number): IoCounters | undefined {
  const text = readText(`/proc/${pid}/io`)
  if (!text) return undefined
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  const wchar = field('wchar')
  const syscw = field('syscw')
  return Number.isFinite(wchar) && Number.isFinite(syscw) ? { wchar, syscw } : undefined
}

/** Sums of the I/O counters over processes (those gone are skipped). */
export function totalIo(pids: number[]): IoCounters {
  const sum = { wchar: 0, syscw: 0 }
  for (const pid of pids) {
    const io = readIo(pid)
    if (io) {
      sum.wchar += io.wchar
      sum.syscw += io.syscw
    }
  }
  return sum
}

const TCP_STATES: Record<string, string> = { '01': 'established', '06': 'timeWait' }

/**
 * TCP connections with an end on one of `ports` (loopback included), by state, from /proc/net/tcp{,6}.
 * Connections in TIME_WAIT are ones recently closed: many of them mean connections are not reused.
 */
export function tcpConnections(ports: Set<number>): { established: number; timeWait: number } {
  const counts = { established: 0, timeWait: 0 }
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = readText(file)?.split('\n').slice(1) ?? []
    for (const line of lines) {
      const parts = line.trim().split(/\s+/)
      if (parts.length < 4) continue
      const state = TCP_STATES[parts[3]!]
      if (!state) continue
      const port = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16)
      if (ports.has(port(parts[1]!)) || ports.has(port(parts[2]!))) counts[state as keyof typeof counts]++
    }
  }
  return counts
}
