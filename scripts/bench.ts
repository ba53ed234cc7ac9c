// make bench [QUICK=1]: real node processes on loopback, measured against a bare Node HTTP server in
// a child process (the floor). Lookup hops against N, latency and throughput at N=32, time per join,
// memory and idle CPU per node process, and (full run) a ring of 200. Everything runs in a private
// temp state directory on OS-chosen ports, and every process started here is stopped at the end,
// on error and on Ctrl-C. Writes bench/results.json and bench/bench.svg.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { flagArg } from '../src/cli/args.js'
import { defaultSettings, isAlive, NetworkStateFile, type ProcessRecord, type RingSettings } from '../src/cli/network-state.js'
import { errorMessage, info, ok, pc, plural, Progress, runTool, warn } from '../src/cli/output.js'
import { RingClient } from '../src/cli/ring-client.js'
import { addNode, bootRing, killRing, ringHost, sleep } from '../src/cli/ring-ops.js'
import { startEchoServer, type EchoServer } from '../src/report/echo-floor.js'
import { closedLoop, pool, sequential, type LoadResult } from '../src/report/load.js'
import { childPids, readMachineCpu, readMemoryKb, tcpConnections, totalCpuSeconds, totalIo, type MemoryKb } from '../src/report/proc.js'
import { RingTruth, waitConverged, type Convergence } from '../src/report/ring-truth.js'
import { summarize, type Summary } from '../src/report/stats.js'
import { IdSpace } from '../src/ring.js'
import { lineChart } from '../src/report/svg-plot.js'

// Never the user's ports, address or secret: every process here listens on loopback on a port the
// OS picks, and each ring gets its own secret in the private state directory.
process.env.DHT_BASE_PORT = '0'
for (const name of ['HOST', 'ADVERTISE', 'SECRET_FILE']) delete process.env[name]

const QUICK = flagArg('QUICK')
const PLAN = {
  quick: QUICK,
  echoStartups: 3,
  echoSequential: 2000,
  echoConcurrency: 32,
  echoSeconds: QUICK ? 2 : 3,
  maxRequests: 200_000,
  hopSizes: QUICK ? [8, 16, 32] : [8, 16, 32, 64],
  hopIds: 300,
  hopSettings: { ...defaultSettings(), bits: 160, replicas: 3, routeMode: 'fingers', stabilizeMs: 200, fingerMs: 500 } satisfies RingSettings,
  ringSize: 32,
  ringSettings: defaultSettings(),
  settleSeconds: QUICK ? 2 : 10,
  idleSeconds: QUICK ? 5 : 10,
  stores: 500,
  pings: 500,
  lookups: QUICK ? 500 : 1000,
  inFlight: 64,
  loadSeconds: QUICK ? 2 : 3,
  bigN: QUICK ? 0 : 200,
  // One join at a time: with 4 at a time on 2 cores, /join at ~180 nodes outlasted the nodes' 2 s
  // request timeout (the ring's own maintenance keeps the CPU busy by then) and joins failed.
  bigParallel: 1,
  bigBudgetSeconds: 240,
  bigChecks: 200,
  bigIdleSeconds: 5,
}

// ------------------------------------------------------------------ cleanup: nothing we start survives us

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-bench-'))
const rings = new Set<NetworkStateFile>()
const startedPids = new Set<number>()
let echo: EchoServer | undefined
/** Set by Ctrl-C: from then on nothing new is started, and anything that started meanwhile is killed. */
let stopping = false
let cleaning: Promise<{ started: number; survivors: number[] }> | undefined

/** Stops everything; the temp directory (with every node's log) is kept when `keepLogs`. */
function cleanup(keepLogs = false): Promise<{ started: number; survivors: number[] }> {
  cleaning ??= (async () => {
    await echo?.stop().catch(() => {})
    for (const state of rings) await killRing(state).catch(() => {})
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
    await sleep(50)
    const survivors = childPids()
    if (keepLogs) warn(`node logs kept in ${tempRoot}`)
    else fs.rmSync(tempRoot, { recursive: true, force: true })
    return { started: startedPids.size, survivors }
  })()
  return cleaning
}

for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(name, () => {
    stopping = true
    warn(`${name}: stopping every process this bench started…`)
    void cleanup().finally(() => process.exit(130))
  })
}

function checkStopping(): void {
  if (stopping) throw new Error('interrupted')
}

function newRing(name: string): NetworkStateFile {
  checkStopping()
  const state = new NetworkStateFile(path.join(tempRoot, name))
  rings.add(state)
  return state
}

/** Records processes we started; if Ctrl-C came while they started, they are stopped at once. */
function remember(records: ProcessRecord[]): void {
  for (const r of records) startedPids.add(r.pid)
  if (stopping) {
    for (const r of records) if (isAlive(r.pid)) process.kill(r.pid, 'SIGKILL')
    checkStopping()
  }
}

// ------------------------------------------------------------------ small helpers

const space = new IdSpace(160)
/** One keep-alive client per ring, carrying that ring's secret (made after boot, which writes it). */
const clients = new Set<RingClient>()
function clientFor(state: NetworkStateFile): RingClient {
  const client = new RingClient(space.bits, { secret: state.readSecret() })
  clients.add(client)
  return client
}
const random = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!
const randomId = (): string => randomBytes(20).toString('hex')
const processesOf = (state: NetworkStateFile): ProcessRecord[] => state.readProcessList()
const selfCpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

interface Window {
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

/** While `work` runs: CPU used by `pids`, by this process and by everything else, and what `pids` sent and how they connected. */
async function measureWindow<T>(pids: number[], ports: Set<number>, work: () => Promise<T>): Promise<{ result: T; cpu: Window }> {
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

function memoryOf(pids: number[]): { count: number; rssMb: Summary; pssMb: Summary; anonMb: Summary; fileMb: Summary; totalRssMb: number; totalPssMb: number } {
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

/** Joins that failed, with why: a few are reported and skipped, more end the bench. */
const joinFailures: string[] = []
const MAX_JOIN_FAILURES = 5

/**
 * Adds nodes until the ring has `target`, timing each from spawn to joined: one at a time, or
 * `parallel` at a time (as make addmany PARALLEL=1 does), each joining through a random node.
 */
async function growRing(
  state: NetworkStateFile,
  target: number,
  label: string,
  options: { budgetSeconds?: number; stopOnFailures?: boolean; parallel?: number } = {},
): Promise<number[]> {
  const budgetSeconds = options.budgetSeconds ?? Infinity
  const times: number[] = []
  let have = processesOf(state).length
  if (have >= target) return times
  const progress = new Progress(label, target - have)
  const started = performance.now()
  let failures = 0
  let inFlight = 0
  let stop: 'budget' | 'failures' | undefined
  const worker = async () => {
    while (!stop && have + inFlight < target) {
      checkStopping()
      if ((performance.now() - started) / 1000 > budgetSeconds) {
        stop = 'budget'
        break
      }
      inFlight++
      const t0 = performance.now()
      try {
        const record = await addNode(state)
        times.push(performance.now() - t0)
        remember([record])
        have++
        progress.tick()
      } catch (error) {
        checkStopping()
        joinFailures.push(errorMessage(error))
        failures++
        warn(`${label}: a join failed after ${ms(performance.now() - t0)}: ${errorMessage(error)}`)
        if (failures >= MAX_JOIN_FAILURES) stop = 'failures'
      } finally {
        inFlight--
      }
    }
  }
  await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker))
  progress.end()
  if (stop === 'budget') warn(`${label}: stopped at ${have} nodes, the ${budgetSeconds} s budget ran out`)
  if (stop === 'failures') {
    if (!options.stopOnFailures) throw new Error(`${failures} joins failed; giving up`)
    warn(`${label}: ${failures} joins failed; stopping at ${have} nodes`)
  }
  return times
}

// ------------------------------------------------------------------ 1. the machine

function machine() {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
    /** Filled in at the end: a load far above the core count means other work competed with ours. */
    loadAverageEnd: [] as number[],
    date: new Date().toISOString(),
  }
}

// ------------------------------------------------------------------ 2. the floor

async function measureFloor(host: string) {
  info(`floor: a bare Node HTTP server in a child process (${PLAN.echoStartups} cold starts)`)
  const startups: number[] = []
  for (let i = 0; i < PLAN.echoStartups; i++) {
    const server = await startEchoServer(host)
    startedPids.add(server.pid)
    startups.push(server.startupMs)
    if (i < PLAN.echoStartups - 1) await server.stop()
    else echo = server
  }
  const server = echo!
  const at = { host: server.host, port: server.port }
  // The same client code as every DHT request: one HttpClient, keep-alive, JSON parsed, and an
  // authorization header of the same size as a ring's.
  const client = new RingClient(space.bits, { secret: randomBytes(32).toString('hex') })
  clients.add(client)
  const get = (i: number) => client.http.request(at, 'GET', `/echo?i=${i}`)
  await sequential(200, get) // warm up: connection open, JIT warm
  const echoPorts = new Set([server.port])
  const { result: single, cpu: singleCpu } = await measureWindow([server.pid], echoPorts, () => sequential(PLAN.echoSequential, get))
  const { result: load, cpu } = await measureWindow([server.pid], echoPorts, () =>
    closedLoop({ concurrency: PLAN.echoConcurrency, durationMs: PLAN.echoSeconds * 1000, maxRequests: PLAN.maxRequests }, get),
  )
  const memory = memoryOf([server.pid])
  await server.stop()
  echo = undefined
  const result = {
    startupMs: summarize(startups),
    single,
    singleCpu,
    /** Server + client CPU per request, one at a time (no batching: every request wakes the server up). */
    singleCpuUsPerRequest: ((singleCpu.nodesCpu + singleCpu.clientCpu) / single.ok) * 1e6,
    load,
    cpu,
    /** Server + client CPU per request with 32 in flight. */
    cpuUsPerRequest: ((cpu.nodesCpu + cpu.clientCpu) / load.ok) * 1e6,
    rssMb: memory.rssMb.mean,
    pssMb: memory.pssMb.mean,
    anonMb: memory.anonMb.mean,
    fileMb: memory.fileMb.mean,
  }
  ok(
    `floor: round trip p50 ${ms(single.latencyMs.p50)} p99 ${ms(single.latencyMs.p99)}; ${rate(load.perSecond)} with ${PLAN.echoConcurrency} in flight; ` +
      `cold start ${ms(result.startupMs.mean)}; RSS ${mb(result.rssMb)}`,
  )
  return result
}
type Floor = Awaited<ReturnType<typeof measureFloor>>

// ------------------------------------------------------------------ 3. hops against N (short maintenance periods)

interface HopRow {
  n: number
  ids: number
  fingers: Summary
  linear: Summary
  halfLog2N: number
  wrongOwners: number
  errors: number
  /** Failed findnodes by mode and error code. */
  errorCodes: Record<string, number>
  convergence: { converged: boolean; ms: number; correctNodes: number }
}

async function measureHops() {
  const s = PLAN.hopSettings
  info(`hops: one ring grown to N = ${PLAN.hopSizes.join(', ')} (stabilize ${s.stabilizeMs} ms, fingers ${s.fingerMs} ms), ${PLAN.hopIds} random ids per N in both modes`)
  const state = newRing('hops')
  remember(await bootRing(state, s))
  const client = clientFor(state)
  const rows: HopRow[] = []
  const joins: number[] = []
  try {
    for (const n of PLAN.hopSizes) {
      joins.push(...(await growRing(state, n, `hops: growing to N=${n}`)))
      const processes = processesOf(state)
      const convergence = await waitConverged(client, processes, { pollMs: 100, timeoutMs: 30 * s.fingerMs })
      if (!convergence.converged) warn(`hops: N=${n} not converged after ${ms(convergence.ms)} (${convergence.last.correct}/${n} nodes right); measuring anyway`)
      const truth = RingTruth.of(space, processes)
      const hops = { fingers: [] as number[], linear: [] as number[] }
      let wrongOwners = 0
      let errors = 0
      const errorCodes: Record<string, number> = {}
      await pool(PLAN.hopIds, 4, async () => {
        const id = randomId()
        const owner = space.toHex(truth.ownerOf(space.parseHex(id)!))
        for (const mode of ['fingers', 'linear'] as const) {
          try {
            const reply = await client.findNode(random(processes), id, mode)
            hops[mode].push(reply.hops)
            if (reply.node.id !== owner) wrongOwners++
          } catch (error) {
            errors++
            const code = `${mode} ${(error as { code?: string }).code ?? 'ERROR'}`
            errorCodes[code] = (errorCodes[code] ?? 0) + 1
          }
        }
      })
      const row: HopRow = {
        n,
        ids: PLAN.hopIds,
        fingers: summarize(hops.fingers),
        linear: summarize(hops.linear),
        halfLog2N: Math.log2(n) / 2,
        wrongOwners,
        errors,
        errorCodes,
        convergence: { converged: convergence.converged, ms: convergence.ms, correctNodes: convergence.last.correct },
      }
      rows.push(row)
      ok(
        `hops N=${String(n).padStart(3)}: fingers mean ${row.fingers.mean.toFixed(2)} p50 ${row.fingers.p50} p99 ${row.fingers.p99}; ` +
          `linear mean ${row.linear.mean.toFixed(2)} p99 ${row.linear.p99}; ½·log2N ${row.halfLog2N.toFixed(2)}; ` +
          pc.dim(`fingers converged in ${ms(convergence.ms)}, ${wrongOwners} wrong owners, ${errors} errors`),
      )
    }
  } finally {
    await killRing(state)
    rings.delete(state)
  }
  return { rows, joinsMs: summarize(joins) }
}

// ------------------------------------------------------------------ 4–7. a ring of 32 with the default periods

interface OpStats {
  hops: number[]
  /**
   * HTTP exchanges per operation: the client's request and one /route per hop; the owner answers the last
   * /route of a lookup with its values, while a store then sends the /insert and r-1 replica copies.
   */
  exchanges: number[]
}

function lookupOperation(client: RingClient, processes: ProcessRecord[], values: string[], stats?: OpStats) {
  return async () => {
    const entry = random(processes)
    const value = random(values)
    const reply = await client.lookup(entry, value)
    if (reply.value !== value) throw Object.assign(new Error('wrong value'), { code: 'WRONG_VALUE' })
    stats?.hops.push(reply.hops)
    stats?.exchanges.push(1 + reply.hops)
  }
}

function storeOperation(client: RingClient, processes: ProcessRecord[], prefix: string, stored: string[], stats?: OpStats) {
  return async (i: number) => {
    const entry = random(processes)
    const value = `${prefix}-${i}-${randomBytes(6).toString('hex')}`
    const reply = await client.store(entry, value)
    stored.push(value)
    stats?.hops.push(reply.hops)
    stats?.exchanges.push(1 + reply.hops + (reply.node.port === entry.port ? 0 : 1) + PLAN.ringSettings.replicas - 1)
  }
}

async function measureRing(floor: Floor) {
  const s = PLAN.ringSettings
  info(`ring: ${PLAN.ringSize} nodes with the default periods (stabilize ${s.stabilizeMs} ms, fingers ${s.fingerMs} ms), added one at a time`)
  const state = newRing('ring')
  const bootStarted = performance.now()
  remember(await bootRing(state, s))
  const bootMs = performance.now() - bootStarted
  const client = clientFor(state)
  const joinMs = await growRing(state, PLAN.ringSize, `ring: adding nodes`)
  const processes = processesOf(state)
  const convergence: Convergence = await waitConverged(client, processes, { pollMs: 100, timeoutMs: 10 * s.fingerMs })
  const joins = { bootMs, perNodeMs: summarize(joinMs), convergedAfterLastJoinMs: convergence.ms, converged: convergence.converged, correctNodes: convergence.last.correct }
  ok(
    `joins: ${joinMs.length} nodes, mean ${ms(joins.perNodeMs.mean)} p99 ${ms(joins.perNodeMs.p99)} from spawn to joined; ` +
      (convergence.converged ? `fingers converged ${ms(convergence.ms)} after the last join` : pc.yellow(`fingers not converged after ${ms(convergence.ms)}`)),
  )
  const pids = processes.map((p) => p.pid)
  const ports = new Set(processes.map((p) => p.port))

  // 6. memory, idle
  const memoryIdle = memoryOf(pids)
  ok(`memory at N=${processes.length}: RSS mean ${mb(memoryIdle.rssMb.mean)} max ${mb(memoryIdle.rssMb.max)}, PSS mean ${mb(memoryIdle.pssMb.mean)}, anonymous mean ${mb(memoryIdle.anonMb.mean)}`)

  // 7. idle CPU. V8's memory reducer runs a few GCs some seconds after a busy spell (the joins), so
  // let that pass first: the figure is for a ring at rest.
  info(`idle: ${processes.length} nodes left alone for ${PLAN.settleSeconds} s, then measured for ${PLAN.idleSeconds} s`)
  await sleep(PLAN.settleSeconds * 1000)
  const { cpu: idleWindow } = await measureWindow(pids, ports, () => sleep(PLAN.idleSeconds * 1000))
  const idle = {
    nodes: pids.length,
    settleSeconds: PLAN.settleSeconds,
    seconds: idleWindow.seconds,
    cpuSeconds: idleWindow.nodesCpu,
    percentOfOneCore: (idleWindow.nodesCpu / idleWindow.seconds) * 100,
    percentPerNode: (idleWindow.nodesCpu / idleWindow.seconds / pids.length) * 100,
    otherCores: idleWindow.otherCores,
    /** Bytes each node sends per second for its maintenance (write syscalls too, see proc.ts). */
    kbSentPerNodePerSecond: idleWindow.bytesSent / 1024 / pids.length / idleWindow.seconds,
    writesPerNodePerSecond: idleWindow.writes / pids.length / idleWindow.seconds,
    closedConnections: idleWindow.closedConnections,
    openConnections: idleWindow.openConnections,
  }
  ok(
    `idle: ${idle.cpuSeconds.toFixed(2)} CPU-s in ${idle.seconds.toFixed(1)} s = ${idle.percentOfOneCore.toFixed(1)}% of one core (${idle.percentPerNode.toFixed(2)}% per node)` +
      pc.dim(`; other processes kept ${idle.otherCores.toFixed(2)} cores busy`),
  )

  // 4. latency, single client. First the parts: one exchange with a node (GET /ping, no routing), then
  // routing alone (GET /findnode), so a lookup's latency can be split into hops.
  info(`latency: ${PLAN.pings} pings to one node and to random nodes, ${PLAN.pings} findnodes, ${PLAN.stores} stores, then ${PLAN.lookups} lookups, one at a time`)
  const one = processes[0]!
  const pingOne = await sequential(PLAN.pings, () => client.http.request(one, 'GET', '/ping'))
  const pingLoad = await measureWindow(pids, ports, () => sequential(PLAN.pings, () => client.http.request(random(processes), 'GET', '/ping')))
  const findStats: OpStats = { hops: [], exchanges: [] }
  const findSingle = await sequential(PLAN.pings, async () => {
    const reply = await client.findNode(random(processes), randomId())
    findStats.hops.push(reply.hops)
    findStats.exchanges.push(1 + reply.hops)
  })
  const ping = { ...pingLoad.result, cpu: pingLoad.cpu, cpuUsPerRequest: ((pingLoad.cpu.nodesCpu - (idle.cpuSeconds / idle.seconds) * pingLoad.cpu.seconds + pingLoad.cpu.clientCpu) / pingLoad.result.ok) * 1e6 }
  const findnode = { ...findSingle, hops: summarize(findStats.hops), exchangesPerOp: summarize(findStats.exchanges).mean }
  const stored: string[] = []
  const storeStats: OpStats = { hops: [], exchanges: [] }
  const storeSingle = await sequential(PLAN.stores, storeOperation(client, processes, 'bench', stored, storeStats))
  await sequential(100, lookupOperation(client, processes, stored)) // warm up every connection the lookups use
  const lookupStats: OpStats = { hops: [], exchanges: [] }
  const lookupSingle = await sequential(PLAN.lookups, lookupOperation(client, processes, stored, lookupStats))
  ok(
    `latency: lookup p50 ${ms(lookupSingle.latencyMs.p50)} p99 ${ms(lookupSingle.latencyMs.p99)} (${lookupSingle.errors} errors); ` +
      `store p50 ${ms(storeSingle.latencyMs.p50)} p99 ${ms(storeSingle.latencyMs.p99)} (${storeSingle.errors} errors)`,
  )

  // 4. throughput, 64 in flight
  info(`throughput: ${PLAN.inFlight} requests in flight for ${PLAN.loadSeconds} s, lookups then stores, one keep-alive HttpClient`)
  const loadOptions = { concurrency: PLAN.inFlight, durationMs: PLAN.loadSeconds * 1000, maxRequests: PLAN.maxRequests }
  const lookupLoadStats: OpStats = { hops: [], exchanges: [] }
  const lookupLoad = await measureWindow(pids, ports, () => closedLoop(loadOptions, lookupOperation(client, processes, stored, lookupLoadStats)))
  const storeLoadStats: OpStats = { hops: [], exchanges: [] }
  const storeLoad = await measureWindow(pids, ports, () => closedLoop(loadOptions, storeOperation(client, processes, 'load', [], storeLoadStats)))
  ok(
    `throughput: ${rate(lookupLoad.result.perSecond)} lookups (${lookupLoad.result.errors} errors), ` +
      `${rate(storeLoad.result.perSecond)} stores (${storeLoad.result.errors} errors)`,
  )
  const memoryLoaded = memoryOf(pids)
  const idleCpuRate = idle.cpuSeconds / idle.seconds
  const throughputOf = (load: { result: LoadResult; cpu: Window }, stats: OpStats) => ({
    ...load.result,
    cpu: load.cpu,
    /** Cores busy during the window: nodes, and this process (the client). */
    coresBusy: (load.cpu.nodesCpu + load.cpu.clientCpu) / load.cpu.seconds,
    nodeCores: load.cpu.nodesCpu / load.cpu.seconds,
    otherCores: load.cpu.otherCores,
    nodeBytesPerOp: load.cpu.bytesSent / load.result.ok,
    clientCores: load.cpu.clientCpu / load.cpu.seconds,
    /** CPU per operation, in µs, with the ring's own maintenance (idle rate) taken out. */
    cpuUsPerOp: ((load.cpu.nodesCpu - idleCpuRate * load.cpu.seconds + load.cpu.clientCpu) / load.result.ok) * 1e6,
    exchangesPerOp: summarize(stats.exchanges).mean,
    hops: summarize(stats.hops),
  })
  const lookupThroughput = throughputOf(lookupLoad, lookupLoadStats)
  const storeThroughput = throughputOf(storeLoad, storeLoadStats)
  const cpuUsPerExchange = lookupThroughput.cpuUsPerOp / lookupThroughput.exchangesPerOp

  // 8. two hundred nodes
  let big: Awaited<ReturnType<typeof measureBig>> | undefined
  if (PLAN.bigN > 0) big = await measureBig(client, state, stored)
  await killRing(state)
  rings.delete(state)

  return {
    n: PLAN.ringSize,
    settings: s,
    joins,
    memoryIdle,
    memoryLoaded,
    idle,
    latency: {
      pingOne,
      ping,
      findnode,
      lookup: { ...lookupSingle, hops: summarize(lookupStats.hops), exchangesPerOp: summarize(lookupStats.exchanges).mean },
      store: { ...storeSingle, hops: summarize(storeStats.hops), exchangesPerOp: summarize(storeStats.exchanges).mean },
    },
    throughput: { lookup: lookupThroughput, store: storeThroughput, cpuUsPerExchange, floorCpuUsPerExchange: floor.cpuUsPerRequest },
    big,
  }
}

// ------------------------------------------------------------------ 8. two hundred nodes

async function measureBig(client: RingClient, state: NetworkStateFile, stored: string[]) {
  info(`big ring: growing from ${processesOf(state).length} to ${PLAN.bigN} nodes, ${plural(PLAN.bigParallel, 'join')} at a time (default periods, budget ${PLAN.bigBudgetSeconds} s)`)
  const started = performance.now()
  const joinMs = await growRing(state, PLAN.bigN, 'big ring: adding nodes', { budgetSeconds: PLAN.bigBudgetSeconds, stopOnFailures: true, parallel: PLAN.bigParallel })
  const growSeconds = (performance.now() - started) / 1000
  const processes = processesOf(state)
  const pids = processes.map((p) => p.pid)
  const convergence = await waitConverged(client, processes, { pollMs: 1000, timeoutMs: 8 * PLAN.ringSettings.fingerMs })
  info(`big ring: ${processes.length} nodes; ${convergence.converged ? `fingers converged ${ms(convergence.ms)} after the last join` : `${convergence.last.correct}/${processes.length} nodes converged after ${ms(convergence.ms)}`}`)
  const memory = memoryOf(pids)
  // Old values must still be found, and new ones must land on their true owner.
  const truth = RingTruth.of(space, processes)
  const fresh: string[] = []
  const stores = await sequential(PLAN.bigChecks / 2, storeOperation(client, processes, 'big', fresh))
  const checkValues = [...fresh, ...stored.slice(0, PLAN.bigChecks - fresh.length)]
  let wrongOwners = 0
  const lookups = await sequential(checkValues.length, async (i) => {
    const value = checkValues[i]!
    const reply = await client.lookup(random(processes), value)
    if (reply.value !== value) throw Object.assign(new Error('wrong value'), { code: 'WRONG_VALUE' })
    if (reply.node.id !== space.toHex(truth.ownerOf(space.hash(value)))) wrongOwners++
  })
  const idle = await measureWindow(pids, new Set(processes.map((p) => p.port)), () => sleep(PLAN.bigIdleSeconds * 1000))
  const result = {
    n: processes.length,
    growSeconds,
    perNodeMs: summarize(joinMs),
    converged: convergence.converged,
    convergedMs: convergence.ms,
    correctNodes: convergence.last.correct,
    memory,
    stores: { ok: stores.ok, errors: stores.errors, errorCodes: stores.errorCodes },
    lookups: { count: checkValues.length, ok: lookups.ok, errors: lookups.errors, errorCodes: lookups.errorCodes, wrongOwners, latencyMs: lookups.latencyMs },
    idle: { seconds: idle.cpu.seconds, cpuSeconds: idle.cpu.nodesCpu, percentOfOneCore: (idle.cpu.nodesCpu / idle.cpu.seconds) * 100, otherCores: idle.cpu.otherCores },
  }
  ok(
    `big ring: ${result.n} nodes, RSS total ${mb(memory.totalRssMb)} (PSS ${mb(memory.totalPssMb)}); ` +
      `${lookups.ok}/${checkValues.length} lookups found their value, ${wrongOwners} at a wrong owner; idle ${result.idle.percentOfOneCore.toFixed(0)}% of one core`,
  )
  return result
}

// ------------------------------------------------------------------ the table

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? `${x.toFixed(3)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`) : '—')
const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')}/s`
const mb = (x: number) => `${x.toFixed(1)} MB`
const times = (x: number) => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(x >= 1 ? 1 : 2)}×` : '—')

interface Row {
  metric: string
  value: string
  floor?: string
  target?: string
  /** true: meets the target, false: misses it, undefined: no target. */
  met?: boolean
}
type Line = Row | { section: string }

const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '')
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - visible(text).length))

function printTable(lines: Line[]): void {
  const rows = lines.filter((l): l is Row => 'metric' in l)
  const target = (r: Row) => (r.target === undefined ? '' : r.met === undefined ? r.target : `${r.met ? pc.green('✔') : pc.red('✘')} ${r.target}`)
  const widths = [
    Math.max(6, ...rows.map((r) => r.metric.length)),
    Math.max(5, ...rows.map((r) => visible(r.value).length)),
    Math.max(8, ...rows.map((r) => visible(r.floor ?? '').length)),
    Math.max(6, ...rows.map((r) => visible(target(r)).length)),
  ]
  const rule = pc.dim('─'.repeat(widths.reduce((a, b) => a + b + 3, 0)))
  console.log('')
  console.log(pc.bold([pad('metric', widths[0]!), pad('value', widths[1]!), pad('vs floor', widths[2]!), 'target'].join('   ')))
  for (const line of lines) {
    if ('section' in line) {
      console.log(rule)
      console.log(pc.cyan(pc.bold(line.section)))
      continue
    }
    console.log([pad(line.metric, widths[0]!), pad(line.value, widths[1]!), pad(pc.dim(line.floor ?? ''), widths[2]!), target(line)].join('   '))
  }
  console.log(rule)
}

type Machine = ReturnType<typeof machine>
type Hops = Awaited<ReturnType<typeof measureHops>>
type Ring = Awaited<ReturnType<typeof measureRing>>

function tableLines(m: Machine, floor: Floor, hops: Hops, ring: Ring): Line[] {
  const f = floor.single.latencyMs
  const lk = ring.latency.lookup
  const st = ring.latency.store
  const tl = ring.throughput.lookup
  const ts = ring.throughput.store
  const fl = floor.load.latencyMs
  const underLoad = (l: Summary) => `${times(l.p50 / fl.p50)} / ${times(l.p99 / fl.p99)}`
  const lines: Line[] = [
    { section: `machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGb.toFixed(1)} GB, Node ${m.node}, ${m.platform}, ${m.date}, load ${m.loadAverage.map((x) => x.toFixed(1)).join(' ')} → ${m.loadAverageEnd.map((x) => x.toFixed(1)).join(' ')}${PLAN.quick ? ' (QUICK)' : ''}` },
    { section: 'floor: bare Node HTTP server in a child process, same keep-alive HttpClient' },
    { metric: 'round trip p50 / p99', value: `${ms(f.p50)} / ${ms(f.p99)}`, floor: '1×' },
    { metric: `throughput, ${PLAN.echoConcurrency} in flight`, value: rate(floor.load.perSecond), floor: '1×', target: pc.dim(`${floor.load.errors} errors; cores: server ${(floor.cpu.nodesCpu / floor.cpu.seconds).toFixed(2)} + client ${(floor.cpu.clientCpu / floor.cpu.seconds).toFixed(2)} + others ${floor.cpu.otherCores.toFixed(2)}`) },
    { metric: '  latency p50 / p99 under load', value: `${ms(floor.load.latencyMs.p50)} / ${ms(floor.load.latencyMs.p99)}`, floor: '1×' },
    { metric: 'CPU per request: 1 / 32 in flight', value: `${floor.singleCpuUsPerRequest.toFixed(0)} / ${floor.cpuUsPerRequest.toFixed(0)} µs`, floor: '1×', target: pc.dim('server + client') },
    { metric: 'cold start to listening', value: ms(floor.startupMs.mean), floor: '1×' },
    { metric: 'RSS / PSS', value: `${mb(floor.rssMb)} / ${mb(floor.pssMb)}`, floor: '1×' },
    { section: `lookup hops (stabilize ${PLAN.hopSettings.stabilizeMs} ms, fingers ${PLAN.hopSettings.fingerMs} ms, ${PLAN.hopIds} random ids per N, random entry node)` },
    ...hops.rows.map(
      (r): Row => ({
        metric: `N=${r.n}: fingers · linear (mean p50 p99)`,
        value: `${r.fingers.mean.toFixed(2)} ${r.fingers.p50} ${r.fingers.p99} · ${r.linear.mean.toFixed(1)} ${r.linear.p50} ${r.linear.p99}`,
        target: `½·log2 N = ${r.halfLog2N.toFixed(2)}${r.wrongOwners + r.errors > 0 ? pc.red(` (${r.wrongOwners} wrong, ${r.errors} errors${errorList(r.errorCodes)})`) : ''}`,
        ...(r.convergence.converged ? {} : { floor: pc.yellow('unconverged') }),
      }),
    ),
    { section: `N=${ring.n}, default periods (stabilize ${ring.settings.stabilizeMs} ms, fingers ${ring.settings.fingerMs} ms), random entry node per request` },
    { metric: 'ping one node p50 / p99 (back to back)', value: `${ms(ring.latency.pingOne.latencyMs.p50)} / ${ms(ring.latency.pingOne.latencyMs.p99)}`, floor: `${times(ring.latency.pingOne.latencyMs.p50 / f.p50)} / ${times(ring.latency.pingOne.latencyMs.p99 / f.p99)}`, target: pc.dim('GET /ping: the server stack alone') },
    { metric: 'ping random node p50 / p99', value: `${ms(ring.latency.ping.latencyMs.p50)} / ${ms(ring.latency.ping.latencyMs.p99)}`, floor: `${times(ring.latency.ping.latencyMs.p50 / f.p50)} / ${times(ring.latency.ping.latencyMs.p99 / f.p99)}`, target: pc.dim(`${ring.latency.ping.cpuUsPerRequest.toFixed(0)} µs CPU per ping`) },
    { metric: 'findnode p50 / p99 (routing only)', value: `${ms(ring.latency.findnode.latencyMs.p50)} / ${ms(ring.latency.findnode.latencyMs.p99)}`, floor: `${times(ring.latency.findnode.latencyMs.p50 / f.p50)} / ${times(ring.latency.findnode.latencyMs.p99 / f.p99)}`, target: pc.dim(`${ring.latency.findnode.exchangesPerOp.toFixed(2)} exchanges`) },
    { metric: 'lookup p50 / p99, single client', value: `${ms(lk.latencyMs.p50)} / ${ms(lk.latencyMs.p99)}`, floor: `${times(lk.latencyMs.p50 / f.p50)} / ${times(lk.latencyMs.p99 / f.p99)}`, target: 'p50 < 1 ms', met: lk.latencyMs.p50 < 1 },
    { metric: '  hops, HTTP exchanges per lookup', value: `${lk.hops.mean.toFixed(2)}, ${lk.exchangesPerOp.toFixed(2)}`, target: pc.dim(`${lk.ok} ok, ${lk.errors} errors`) },
    { metric: 'store p50 / p99, single client', value: `${ms(st.latencyMs.p50)} / ${ms(st.latencyMs.p99)}`, floor: `${times(st.latencyMs.p50 / f.p50)} / ${times(st.latencyMs.p99 / f.p99)}`, target: pc.dim(`${st.ok} ok, ${st.errors} errors`) },
    { metric: `lookups/s, ${PLAN.inFlight} in flight`, value: rate(tl.perSecond), floor: times(tl.perSecond / floor.load.perSecond), target: `≥ 2,500/s`, met: tl.perSecond >= 2500 },
    { metric: '  latency p50 / p99 under load', value: `${ms(tl.latencyMs.p50)} / ${ms(tl.latencyMs.p99)}`, floor: underLoad(tl.latencyMs), target: pc.dim(`${tl.ok} ok, ${tl.errors} errors${errorList(tl.errorCodes)}`) },
    { metric: '  cores busy: nodes + client + others', value: `${tl.nodeCores.toFixed(2)} + ${tl.clientCores.toFixed(2)} + ${tl.otherCores.toFixed(2)} of ${m.cpus}`, target: pc.dim(`${tl.cpuUsPerOp.toFixed(0)} µs CPU per lookup`) },
    { metric: '  CPU per HTTP exchange', value: `${ring.throughput.cpuUsPerExchange.toFixed(0)} µs`, floor: times(ring.throughput.cpuUsPerExchange / floor.cpuUsPerRequest), target: pc.dim(`${tl.exchangesPerOp.toFixed(2)} exchanges, ${(tl.nodeBytesPerOp / 1024).toFixed(1)} KB sent by nodes per lookup`) },
    { metric: '  connections closed / open', value: `${tl.cpu.closedConnections} / ${tl.cpu.openConnections}`, target: pc.dim('closed during the window: not kept alive') },
    { metric: `stores/s, ${PLAN.inFlight} in flight`, value: rate(ts.perSecond), floor: times(ts.perSecond / floor.load.perSecond), target: pc.dim(`${ts.ok} ok, ${ts.errors} errors${errorList(ts.errorCodes)}`) },
    { metric: '  latency p50 / p99 under load', value: `${ms(ts.latencyMs.p50)} / ${ms(ts.latencyMs.p99)}`, floor: underLoad(ts.latencyMs) },
    { metric: 'RSS per node, mean / max (idle)', value: `${mb(ring.memoryIdle.rssMb.mean)} / ${mb(ring.memoryIdle.rssMb.max)}`, floor: times(ring.memoryIdle.rssMb.mean / floor.rssMb), target: '≤ 50 MB', met: ring.memoryIdle.rssMb.max <= 50 },
    { metric: '  RSS = anonymous + file-backed (mean)', value: `${mb(ring.memoryIdle.anonMb.mean)} + ${mb(ring.memoryIdle.fileMb.mean)}`, floor: `${times(ring.memoryIdle.anonMb.mean / floor.anonMb)} + ${times(ring.memoryIdle.fileMb.mean / floor.fileMb)}`, target: pc.dim('file-backed: the node binary, shared') },
    { metric: '  PSS mean (shared pages split)', value: mb(ring.memoryIdle.pssMb.mean), floor: times(ring.memoryIdle.pssMb.mean / floor.pssMb) },
    { metric: '  RSS mean / max after the load', value: `${mb(ring.memoryLoaded.rssMb.mean)} / ${mb(ring.memoryLoaded.rssMb.max)}`, floor: times(ring.memoryLoaded.rssMb.mean / floor.rssMb) },
    { metric: `idle CPU, ${ring.idle.nodes} nodes, ${ring.idle.seconds.toFixed(0)} s after ${ring.idle.settleSeconds} s rest`, value: `${ring.idle.cpuSeconds.toFixed(2)} CPU-s = ${ring.idle.percentOfOneCore.toFixed(1)}% of a core`, target: '< 10% of a core (nearly free)', met: ring.idle.percentOfOneCore < 10 },
    { metric: '  per node', value: `${ring.idle.percentPerNode.toFixed(2)}% of a core`, target: pc.dim(`others kept ${ring.idle.otherCores.toFixed(2)} cores busy meanwhile`) },
    { metric: '  sent per node per second', value: `${ring.idle.kbSentPerNodePerSecond.toFixed(1)} KB`, target: pc.dim(`${ring.idle.closedConnections} connections closed, ${ring.idle.openConnections} open`) },
    { section: `joins (spawn → joined, one at a time, default periods)` },
    { metric: `per node, mean / p99 (${ring.joins.perNodeMs.count} nodes)`, value: `${ms(ring.joins.perNodeMs.mean)} / ${ms(ring.joins.perNodeMs.p99)}`, floor: times(ring.joins.perNodeMs.mean / floor.startupMs.mean), target: '< 0.2 s', met: ring.joins.perNodeMs.mean < 200 },
    { metric: 'fingers converged after the last join', value: ring.joins.converged ? ms(ring.joins.convergedAfterLastJoinMs) : pc.yellow(`not after ${ms(ring.joins.convergedAfterLastJoinMs)}`), target: pc.dim(`fix_fingers every ${ring.settings.fingerMs} ms`) },
    { metric: `per node with short periods, mean / p99`, value: `${ms(hops.joinsMs.mean)} / ${ms(hops.joinsMs.p99)}`, floor: times(hops.joinsMs.mean / floor.startupMs.mean), target: pc.dim(`growing to ${PLAN.hopSizes[PLAN.hopSizes.length - 1]}; 5× the maintenance traffic`) },
  ]
  if (joinFailures.length > 0) {
    lines.push({ metric: 'joins that failed (retried)', value: pc.yellow(String(joinFailures.length)), target: pc.dim(`e.g. ${joinFailures[0]!.slice(0, 90)}`) })
  }
  const big = ring.big
  if (big) {
    lines.push(
      { section: `big ring (default periods, ${plural(PLAN.bigParallel, 'join')} at a time)` },
      { metric: 'nodes running', value: String(big.n), target: `${PLAN.bigN} nodes possible`, met: big.n >= PLAN.bigN },
      { metric: 'per node join, mean / p99', value: `${ms(big.perNodeMs.mean)} / ${ms(big.perNodeMs.p99)}`, floor: times(big.perNodeMs.mean / floor.startupMs.mean), target: pc.dim(`${big.growSeconds.toFixed(0)} s for ${big.perNodeMs.count} joins`) },
      { metric: 'RSS total (PSS total)', value: `${mb(big.memory.totalRssMb)} (${mb(big.memory.totalPssMb)})`, target: pc.dim(`mean ${mb(big.memory.rssMb.mean)} per node`) },
      { metric: 'lookups that found their value', value: `${big.lookups.ok}/${big.lookups.count}`, target: `all, at the true owner${big.lookups.wrongOwners ? pc.red(` (${big.lookups.wrongOwners} wrong)`) : ''}`, met: big.lookups.ok === big.lookups.count && big.lookups.wrongOwners === 0 },
      { metric: '  lookup p50 / p99, single client', value: `${ms(big.lookups.latencyMs.p50)} / ${ms(big.lookups.latencyMs.p99)}`, floor: `${times(big.lookups.latencyMs.p50 / f.p50)} / ${times(big.lookups.latencyMs.p99 / f.p99)}` },
      { metric: `idle CPU, ${big.n} nodes`, value: `${big.idle.percentOfOneCore.toFixed(0)}% of a core`, target: pc.dim(big.converged ? 'fingers converged' : `${big.correctNodes}/${big.n} nodes converged`) },
    )
  }
  return lines
}

function errorList(codes: Record<string, number>): string {
  const parts = Object.entries(codes).map(([code, count]) => `${code} ${count}`)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

// ------------------------------------------------------------------ main

runTool(async () => {
  const started = performance.now()
  const host = ringHost()
  let failed = true
  try {
    const m = machine()
    info(`bench${QUICK ? ' (QUICK)' : ''}: ${m.cpus} × ${m.cpuModel}, ${(m.totalMemoryGb).toFixed(1)} GB, Node ${m.node}; state in ${tempRoot}`)
    const phaseSeconds: Record<string, number> = {}
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now()
      const result = await work()
      phaseSeconds[name] = (performance.now() - t0) / 1000
      return result
    }
    const floor = await timed('floor', () => measureFloor(host))
    const hops = await timed('hops', () => measureHops())
    const ring = await timed('ring', () => measureRing(floor))
    m.loadAverageEnd = os.loadavg()
    const lines = tableLines(m, floor, hops, ring)
    printTable(lines)

    fs.mkdirSync('bench', { recursive: true })
    const seconds = (performance.now() - started) / 1000
    const result = {
      kind: 'processes',
      quick: QUICK,
      plan: PLAN,
      machine: m,
      seconds,
      phaseSeconds,
      joinFailures,
      floor,
      hops,
      ring,
      targets: lines.filter((l): l is Row => 'metric' in l && l.met !== undefined).map((l) => ({ metric: l.metric, value: visible(l.value), target: visible(l.target ?? ''), met: l.met })),
    }
    fs.writeFileSync('bench/results.json', JSON.stringify(result, null, 2) + '\n')
    fs.writeFileSync(
      'bench/bench.svg',
      lineChart(
        [
          { name: 'fingers, mean (p1–p99)', color: '#2563eb', points: hops.rows.map((r) => ({ x: r.n, y: r.fingers.mean })), low: hops.rows.map((r) => r.fingers.p1), high: hops.rows.map((r) => r.fingers.p99) },
          { name: 'linear, mean (p1–p99)', color: '#059669', points: hops.rows.map((r) => ({ x: r.n, y: r.linear.mean })), low: hops.rows.map((r) => r.linear.p1), high: hops.rows.map((r) => r.linear.p99) },
          { name: '½·log2 N', color: '#dc2626', dashed: true, points: hops.rows.map((r) => ({ x: r.n, y: r.halfLog2N })) },
        ],
        { title: 'Lookup hops, real node processes on loopback', xLabel: 'nodes N (log scale)', yLabel: 'hops', logX: true },
      ),
    )
    ok(`wrote bench/results.json and bench/bench.svg in ${seconds.toFixed(1)} s`)
    failed = false
  } finally {
    for (const client of clients) client.close()
    const { started: count, survivors } = await cleanup(failed)
    if (survivors.length > 0) warn(`${survivors.length} of ${count} processes still alive: ${survivors.join(', ')}`)
    else info(pc.dim(`stopped all ${count} processes this bench started`))
  }
})
