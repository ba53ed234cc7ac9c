// Every setting of the lab, declared once: its Make variable, its node flag, its default, unit and
// range, and who must share it. The node's flags (src/node/flags.ts), the Make arguments
// (src/tools/args.ts), the spawn arguments, the ring settings saved in state/network.json and the
// settings part of `make help` are all derived from this table, so a new setting is one entry here.
import { ToolError } from './errors.js'

export const ROUTE_MODES = ['fingers', 'linear', 'onehop'] as const
export type RouteMode = (typeof ROUTE_MODES)[number]
/** make modelcheck: the protocols it checks (today's, or the SIGCOMM 2001 paper's), its scenarios, and the rules it can break on purpose. */
export const PROTOCOL_VARIANTS = ['today', 'sigcomm'] as const
export const MODELCHECK_SCENARIOS = ['joins', 'join-crash', 'joins-crash', 'leave', 'store', 'crash', 'fingers'] as const
export const SEEDED_BUGS = ['notify-any', 'notify-keeps', 'handoff-dropped'] as const
/** The node programs a ring can run: this project's node, or the lab-sized one (src/lab/lab-node.ts). */
export const IMPLS = ['full', 'lab'] as const
export type Impl = (typeof IMPLS)[number]
/** How a request proves it holds the cluster secret: a signature (HMAC-SHA-256), or the secret itself as a bearer token. */
export const AUTH_MODES = ['hmac', 'bearer'] as const
export type AuthMode = (typeof AUTH_MODES)[number]
/** make grade's levels, in the handout's order. */
export const GRADE_LEVELS = ['1', '2', '3', 'bonus', 'beyond'] as const
export type GradeLevel = (typeof GRADE_LEVELS)[number]

/**
 * ring: every node of a ring must share it; fixed by make boot, saved in state/network.json and given to
 *       every node the tools start for that ring.
 * node: each node process's own (where it listens, how it is reached, how it reaches the ring).
 * tool: read only by the Make targets' scripts.
 */
export type SettingScope = 'ring' | 'node' | 'tool'

export interface HostPort {
  host: string
  port: number
}

interface Common {
  scope: SettingScope
  /** The Make variable, which is also the environment variable the tools read: `make boot M=8`. */
  make?: string
  /** The node process's flag, without its dashes: `--bits=8`. */
  flag?: string
  /** One line for `make help`. */
  help: string
  /** The targets that read it, for `make help` (ring and node settings go to every node started). */
  targets?: readonly string[]
}

export interface IntegerSetting extends Common {
  kind: 'integer'
  default?: number
  min: number
  max: number
  unit?: string
  /** A target's own default and upper bound (N= counts nodes for addmany, sentences for storemany). */
  perTarget?: Readonly<Record<string, { default?: number; max?: number }>>
}

export interface ChoiceSetting extends Common {
  kind: 'choice'
  default?: string
  allowed: readonly string[]
}

export interface TextSetting extends Common {
  kind: 'text'
  default?: string
  pattern?: RegExp
  /** What the pattern accepts, for the message refusing a value. */
  expected?: string
}

/** On when given as 1, yes, true or on; off when 0, no, false, off or empty. */
export interface SwitchSetting extends Common {
  kind: 'switch'
  default?: boolean
}

/** host:port. */
export interface AddressSetting extends Common {
  kind: 'address'
}

/** A number from min to max written as a decimal, such as a probability (0.1). */
export interface FractionSetting extends Common {
  kind: 'fraction'
  default?: number
  min: number
  max: number
}

export type Setting = IntegerSetting | ChoiceSetting | TextSetting | SwitchSetting | AddressSetting | FractionSetting

/** A host name or address, as the wire accepts it. */
export const HOST_PATTERN = /^[A-Za-z0-9.\-:[\]]{1,253}$/
/** 5001,5002 or 10.0.0.2:5001,10.0.0.3:5001: nodes named by port, or by address when ports repeat across machines. */
const PORT_LIST_PATTERN = /^([A-Za-z0-9.\-[\]]{1,253}:)?\d{1,5}(,([A-Za-z0-9.\-[\]]{1,253}:)?\d{1,5})*$/
const LEVEL_LIST_PATTERN = new RegExp(`^(${GRADE_LEVELS.join('|')})(,(${GRADE_LEVELS.join('|')}))*$`)
const PERIOD_MS = { kind: 'integer', min: 10, max: 3_600_000, unit: 'ms' } as const

export const SETTINGS = {
  // ---- ring settings
  bits: { scope: 'ring', make: 'M', flag: 'bits', kind: 'integer', default: 160, min: 1, max: 160, unit: 'bits', help: 'identifier bits: 160 for SHA-1, fewer for small teaching rings' },
  replicas: { scope: 'ring', make: 'R', flag: 'replicas', kind: 'integer', default: 3, min: 1, max: 16, unit: 'copies', help: 'copies of every key (owner, r-1 predecessors; with VNODES, r processes); successor list length' },
  vnodes: { scope: 'ring', make: 'VNODES', flag: 'vnodes', kind: 'integer', default: 1, min: 1, max: 32, unit: 'virtual nodes', help: 'virtual nodes per node process, each with its own id and keys behind one port; a key\'s copies go to r different processes' },
  impl: { scope: 'ring', make: 'IMPL', flag: 'impl', kind: 'choice', default: 'full', allowed: IMPLS, help: "the node program: full (this project's node) or lab (src/lab/lab-node.ts: the handout's node, one copy, no stabilization); make grade grades it" },
  auth: { scope: 'ring', make: 'AUTH', flag: 'auth', kind: 'choice', default: 'hmac', allowed: AUTH_MODES, help: 'writes prove the cluster secret by an HMAC signature over the request, the secret never sent (hmac), or send the secret as a bearer token (bearer: IMPL=lab rings, and student nodes)' },
  routeMode: { scope: 'ring', make: 'MODE', flag: 'mode', kind: 'choice', default: 'fingers', allowed: ROUTE_MODES, help: 'findNode routes through the fingers, successor by successor, or in one hop (every node knows every node)' },
  stabilizeMs: { scope: 'ring', make: 'STABILIZE_MS', flag: 'stabilize-ms', ...PERIOD_MS, default: 1000, help: 'period of stabilize + notify and of the replica sync' },
  checkPredecessorMs: { scope: 'ring', make: 'CHECK_PREDECESSOR_MS', flag: 'check-predecessor-ms', ...PERIOD_MS, default: 1000, help: 'period of check_predecessor (pings a predecessor gone quiet)' },
  fingerMs: { scope: 'ring', make: 'FINGER_MS', flag: 'finger-ms', ...PERIOD_MS, default: 5000, help: 'period of fix_fingers, which refreshes the whole finger table' },
  timeoutMs: { scope: 'ring', make: 'TIMEOUT_MS', flag: 'timeout-ms', kind: 'integer', default: 2000, min: 10, max: 600_000, unit: 'ms', help: 'a peer that has not answered by then counts as failed' },
  tombstoneGraceMs: { scope: 'ring', make: 'TOMBSTONE_GRACE_MS', flag: 'tombstone-grace-ms', kind: 'integer', default: 10 * 60 * 1000, min: 1000, max: 30 * 24 * 3600 * 1000, unit: 'ms', help: 'how long a deleted value is remembered so no old copy brings it back' },
  messageLog: { scope: 'ring', make: 'MESSAGE_LOG', flag: 'message-log', kind: 'integer', default: 20_000, min: 0, max: 1_000_000, unit: 'messages', help: 'messages each node keeps for traces and make messages (0: no tracing)' },
  maxValueBytes: { scope: 'ring', make: 'MAX_VALUE_BYTES', flag: 'max-value-bytes', kind: 'integer', default: 64 * 1024, min: 1, max: 256 * 1024 * 1024, unit: 'bytes', help: 'largest value a node accepts (UTF-8)' },
  maxBodyBytes: { scope: 'ring', make: 'MAX_BODY_BYTES', flag: 'max-body-bytes', kind: 'integer', default: 8 * 1024 * 1024, min: 1024, max: 1024 * 1024 * 1024, unit: 'bytes', help: 'largest request body a node reads' },
  delayMs: { scope: 'ring', make: 'DELAY_MS', flag: 'delay-ms', kind: 'integer', default: 0, min: 0, max: 60_000, unit: 'ms', help: 'every call from one node to another is held this long before it is sent, as on a wide-area network (make heal ends it)' },
  jitterMs: { scope: 'ring', make: 'JITTER_MS', flag: 'jitter-ms', kind: 'integer', default: 0, min: 0, max: 60_000, unit: 'ms', help: 'each call\'s delay varies by up to ± this much, drawn per call (never below 0)' },
  metrics: { scope: 'ring', make: 'METRICS', flag: 'metrics', kind: 'switch', default: true, help: 'each node counts what it does and serves it at GET /metrics for Prometheus (0: no counting, no /metrics)' },
  maxConnections: { scope: 'ring', make: 'MAX_CONNECTIONS', flag: 'max-connections', kind: 'integer', default: 512, min: 1, max: 1_000_000, unit: 'connections', help: 'open connections a node accepts at once' },

  // ---- node settings
  host: { scope: 'node', make: 'HOST', flag: 'host', kind: 'text', default: '127.0.0.1', pattern: HOST_PATTERN, expected: 'a host name or address', help: 'the address nodes bind' },
  advertise: { scope: 'node', make: 'ADVERTISE', flag: 'advertise', kind: 'text', pattern: HOST_PATTERN, expected: 'a host name or address, with :port or without', help: 'the address peers use, when not the bound one (ids hash it)' },
  join: { scope: 'node', make: 'JOIN', flag: 'join', kind: 'address', help: 'a node of a ring elsewhere: add joins through it, recover walks from it' },
  secretFile: { scope: 'node', make: 'SECRET_FILE', flag: 'secret-file', kind: 'text', help: 'a cluster secret shared by machines (default: state/secret)' },
  traceparent: { scope: 'node', flag: 'traceparent', kind: 'text', pattern: /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, expected: 'a W3C traceparent (00-<trace id>-<span id>-<flags>)', help: 'the trace a new node joins in (make add TRACE=1)' },
  otlpEndpoint: { scope: 'node', make: 'OTEL_EXPORTER_OTLP_ENDPOINT', flag: 'otlp-endpoint', kind: 'text', pattern: /^http:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, expected: 'an http:// URL, like http://127.0.0.1:4318', help: "OpenTelemetry's variable: each node started also sends its spans to this collector as OTLP/JSON ({url}/v1/traces)" },
  port: { scope: 'node', flag: 'port', kind: 'integer', default: 0, min: 0, max: 65535, unit: 'port', help: 'the port a node listens on (0: one the OS chooses)' },

  // ---- the tools' own
  targetPort: { scope: 'tool', make: 'PORT', kind: 'integer', min: 1, max: 65535, unit: 'port', help: 'the node to act on (default: a random node)', targets: ['leave', 'crash', 'fingers', 'store', 'lookup', 'delete', 'slow'] },
  value: { scope: 'tool', make: 'V', kind: 'text', help: 'the value to store, look up or delete', targets: ['store', 'lookup', 'delete'] },
  count: { scope: 'tool', make: 'N', kind: 'integer', min: 1, max: 1_000_000, perTarget: { add: { default: 1, max: 500 }, addmany: { default: 10, max: 500 }, storemany: { default: 100 } }, help: 'how many nodes or sentences', targets: ['addmany', 'storemany'] },
  parallel: { scope: 'tool', make: 'PARALLEL', kind: 'switch', help: 'start the nodes all at once, not one by one', targets: ['addmany'] },
  wait: { scope: 'tool', make: 'WAIT', kind: 'integer', min: 0, max: 3600, unit: 's', help: 'longest wait for a settling ring (default: 5 stabilize + 1 finger period)', targets: ['check'] },
  once: { scope: 'tool', make: 'ONCE', kind: 'switch', help: 'print one frame (messages: what the logs hold) and exit', targets: ['monitor', 'messages'] },
  json: { scope: 'tool', make: 'JSON', kind: 'switch', help: 'print the snapshot as JSON', targets: ['monitor'] },
  intervalMs: { scope: 'tool', make: 'INTERVAL_MS', kind: 'integer', default: 1000, min: 100, max: 60_000, unit: 'ms', help: 'time between two frames (messages: two polls)', targets: ['monitor', 'messages'] },
  trace: { scope: 'tool', make: 'TRACE', kind: 'switch', help: 'print the operation as a sequence diagram', targets: ['store', 'lookup', 'delete', 'add', 'leave'] },
  traceId: { scope: 'tool', make: 'ID', kind: 'text', pattern: /^[0-9a-fA-F]{32}$/, expected: 'a trace id (32 hex digits, as TRACE=1 and make messages print it)', help: 'the trace to print', targets: ['trace'] },
  svgFile: { scope: 'tool', make: 'SVG', kind: 'text', help: 'also write the trace as an SVG sequence diagram to this file', targets: ['trace'] },
  all: { scope: 'tool', make: 'ALL', kind: 'switch', help: 'maintenance rounds\' messages too (with TRACE=1: in the diagram)', targets: ['messages', 'trace', 'store', 'lookup', 'delete', 'add', 'leave'] },
  since: { scope: 'tool', make: 'SINCE', kind: 'integer', default: 10, min: 0, max: 7 * 24 * 3600, unit: 's', help: 'how far back the messages shown first go (0: everything the logs hold); older ones are counted, not printed', targets: ['messages'] },
  webPort: { scope: 'tool', make: 'WEB_PORT', kind: 'integer', default: 8080, min: 0, max: 65535, unit: 'port', help: 'the web view\'s port (0: any free port)', targets: ['web'] },
  quick: { scope: 'tool', make: 'QUICK', kind: 'switch', help: 'a shorter run', targets: ['simulate', 'bench', 'paper'] },
  seed: { scope: 'tool', make: 'SEED', kind: 'integer', default: 42, min: 0, max: 2 ** 31, help: 'the random seed (simulate, paper and grade: 42; torture: a fresh one, printed)', targets: ['simulate', 'torture', 'grade', 'paper', 'scale'] },
  latency: { scope: 'tool', make: 'LATENCY', kind: 'choice', default: 'exponential', allowed: ['constant', 'uniform', 'exponential'], help: 'the simulated delay of each message, of mean 50 ms (uniform: over 0–100 ms)', targets: ['paper', 'scale'] },
  log2Nodes: { scope: 'tool', make: 'LOG2N', kind: 'integer', default: 21, min: 3, max: 22, unit: 'log2 nodes', help: 'the simulated ring has 2^LOG2N nodes (21: 2,097,152)', targets: ['scale'] },
  seconds: { scope: 'tool', make: 'SECONDS', kind: 'integer', default: 30, min: 5, max: 3600, unit: 's', help: 'how long the torture runs its clients and nemesis', targets: ['torture'] },
  slowMs: { scope: 'tool', make: 'MS', kind: 'integer', default: 200, min: 0, max: 60_000, unit: 'ms', help: 'how long the slow node holds each request it handles (0: not slow)', targets: ['slow'] },
  dropRate: { scope: 'tool', make: 'RATE', kind: 'fraction', min: 0, max: 1, help: 'the chance that each node-to-node call is lost (0: none)', targets: ['drop'] },
  partitionPorts: { scope: 'tool', make: 'PORTS', kind: 'text', pattern: PORT_LIST_PATTERN, expected: 'ports of the ring separated by commas, e.g. 5001,5002 (host:port for a ring on several machines)', help: 'the nodes on one side of a partition; the rest of the ring is the other', targets: ['partition'] },
  starterDir: { scope: 'tool', make: 'DIR', kind: 'text', help: 'where make starter writes a student\'s starter kit (a new or empty directory)', targets: ['starter'] },
  nodes: { scope: 'tool', make: 'NODES', kind: 'integer', default: 3, min: 2, max: 5, unit: 'nodes', help: 'nodes of the ring the model checker explores', targets: ['modelcheck'] },
  depth: { scope: 'tool', make: 'DEPTH', kind: 'integer', default: 12, min: 1, max: 500, unit: 'steps', help: 'steps explored in every order (a message delivered, a maintenance round started, an event); then maintenance alone runs on', targets: ['modelcheck'] },
  scenario: { scope: 'tool', make: 'SCENARIO', kind: 'choice', default: 'join-crash', allowed: MODELCHECK_SCENARIOS, help: 'what happens in the checked ring: nodes join, one may crash or leave, a value is stored then deleted', targets: ['modelcheck'] },
  variant: { scope: 'tool', make: 'VARIANT', kind: 'choice', default: 'today', allowed: PROTOCOL_VARIANTS, help: "the protocol checked: today's (the nodes' own code) or sigcomm (the SIGCOMM 2001 paper's join, stabilize and notify)", targets: ['modelcheck'] },
  maxStates: { scope: 'tool', make: 'STATES', kind: 'integer', default: 1_000_000, min: 1, max: 100_000_000, unit: 'states', help: 'the model checker stops after this many states (its bound is then not exhausted)', targets: ['modelcheck'] },
  loss: { scope: 'tool', make: 'LOSS', kind: 'switch', help: 'the model checker may also lose any message', targets: ['modelcheck'] },
  bug: { scope: 'tool', make: 'BUG', kind: 'choice', allowed: SEEDED_BUGS, help: 'break one rule on purpose and watch the model checker catch it', targets: ['modelcheck'] },
  replayFile: { scope: 'tool', make: 'REPLAY', kind: 'text', help: 'a counterexample file make modelcheck wrote: run it again to its violation', targets: ['modelcheck'] },
  nodeCommand: {
    scope: 'tool',
    make: 'NODE',
    kind: 'text',
    pattern: /\{port\}/,
    expected: 'a command that starts one node, with {port} in it (and {host}, {join}, {secret})',
    help: 'grade any program: the command that starts one node, with {host} {port} {join} {secret} filled in',
    targets: ['grade'],
  },
  levels: { scope: 'tool', make: 'LEVELS', kind: 'text', default: GRADE_LEVELS.join(','), pattern: LEVEL_LIST_PATTERN, expected: `levels separated by commas, from ${GRADE_LEVELS.join(', ')}`, help: 'the levels make grade runs', targets: ['grade'] },
  gradeTests: {
    scope: 'tool',
    make: 'TESTS',
    kind: 'text',
    pattern: /^[a-z0-9.-]+(,[a-z0-9.-]+)*$/,
    expected: 'test ids separated by commas, as the grade table shows them in brackets (2.join,bonus.leave)',
    help: 'only these tests of the chosen levels, by id: TESTS=2.join',
    targets: ['grade'],
  },
  stateDir: { scope: 'tool', make: 'DHT_STATE_DIR', kind: 'text', default: 'state', help: 'where the network state, secret and logs live (make: state/ here)' },
  basePort: { scope: 'tool', make: 'DHT_BASE_PORT', kind: 'integer', default: 5000, min: 0, max: 65535, unit: 'port', help: 'first port boot and add try (0: the OS chooses, as the tests do)' },
} as const satisfies Record<string, Setting>

export type SettingName = keyof typeof SETTINGS

type ValueOf<S> = S extends { kind: 'integer' | 'fraction' }
  ? number
  : S extends { kind: 'switch' }
    ? boolean
    : S extends { kind: 'address' }
      ? HostPort
      : S extends { kind: 'choice'; allowed: readonly (infer T)[] }
        ? T
        : string

export type SettingValue<K extends SettingName> = ValueOf<(typeof SETTINGS)[K]>

/** The names of the settings whose entry has the shape P. */
export type SettingsWhere<P> = { [K in SettingName]: (typeof SETTINGS)[K] extends P ? K : never }[SettingName]

export type RingSettingName = SettingsWhere<{ scope: 'ring' }>
/** The settings every node of one ring shares, as saved in state/network.json. */
export type RingSettings = { [K in RingSettingName]: SettingValue<K> }
export type MakeSettingName = SettingsWhere<{ make: string }>

export function setting(name: SettingName): Setting {
  return SETTINGS[name]
}

export function settingNames(keep: (setting: Setting, name: SettingName) => boolean = () => true): SettingName[] {
  return (Object.keys(SETTINGS) as SettingName[]).filter((name) => keep(SETTINGS[name], name))
}

export const RING_SETTING_NAMES = settingNames((s) => s.scope === 'ring') as RingSettingName[]

/** The ring settings make boot uses when no Make argument says otherwise. */
export function defaultRingSettings(): RingSettings {
  const out: Record<string, unknown> = {}
  for (const name of RING_SETTING_NAMES) out[name] = SETTINGS[name].default
  return out as RingSettings
}

/** An integer setting's bounds and default, for one target when it has its own. */
export function integerBounds(entry: IntegerSetting, target?: string): { min: number; max: number; default?: number } {
  const own = target ? entry.perTarget?.[target] : undefined
  const fallback = own?.default ?? entry.default
  return { min: entry.min, max: own?.max ?? entry.max, ...(fallback !== undefined ? { default: fallback } : {}) }
}

/** "a or b", "a, b or c". */
export function alternatives(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`
}

const SWITCH_ON = ['1', 'yes', 'true', 'on']
const SWITCH_OFF = ['', '0', 'no', 'false', 'off']

/**
 * The value of a setting given as text (a Make argument or a node flag), or a BAD_ARGUMENT error naming
 * it by `label` (M, --bits). `target` picks a target's own bounds (see perTarget).
 */
export function parseSettingText<K extends SettingName>(name: K, text: string, label: string, target?: string): SettingValue<K> {
  return parseText(SETTINGS[name], text, label, target) as SettingValue<K>
}

function parseText(entry: Setting, text: string, label: string, target?: string): number | boolean | string | HostPort {
  const refuse = (message: string) => new ToolError('BAD_ARGUMENT', `${label} ${message}`)
  switch (entry.kind) {
    case 'integer': {
      const { min, max } = integerBounds(entry, target)
      if (!/^\d+$/.test(text.trim())) throw refuse(`must be a whole number from ${min} to ${max}, got "${text}"`)
      const value = Number(text)
      if (value < min || value > max) throw refuse(`must be from ${min} to ${max}, got ${value}`)
      return value
    }
    case 'choice':
      if (!entry.allowed.includes(text)) throw refuse(`must be ${alternatives(entry.allowed)}, got "${text}"`)
      return text
    case 'text':
      if (entry.pattern && !entry.pattern.test(text)) throw refuse(`must be ${entry.expected ?? `like ${entry.pattern.source}`}, got "${text}"`)
      return text
    case 'switch': {
      const word = text.trim().toLowerCase()
      if (SWITCH_ON.includes(word)) return true
      if (SWITCH_OFF.includes(word)) return false
      throw refuse(`must be 1 or 0, got "${text}"`)
    }
    case 'address': {
      const match = /^(.+):(\d{1,5})$/.exec(text)
      const port = match ? Number(match[2]) : NaN
      if (!match || !HOST_PATTERN.test(match[1]!) || port < 1 || port > 65535) throw refuse(`must be host:port, got "${text}"`)
      return { host: match[1]!, port }
    }
    case 'fraction': {
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text.trim())) throw refuse(`must be a number from ${entry.min} to ${entry.max}, like 0.1, got "${text}"`)
      const value = Number(text)
      if (value < entry.min || value > entry.max) throw refuse(`must be from ${entry.min} to ${entry.max}, got ${value}`)
      return value
    }
  }
}

/** A setting's value as text again, as a node flag or Make argument carries it. */
export function settingText(value: number | boolean | string | HostPort): string {
  if (typeof value === 'object') return `${value.host}:${value.port}`
  if (typeof value === 'boolean') return value ? '1' : '0'
  return String(value)
}

/**
 * A ring setting read back from JSON (state/network.json, a node's /nodeinfo), or a BAD_ARGUMENT error
 * naming `field`. Integers must be JSON numbers and choices one of the allowed words.
 */
export function ringSettingFromJson<K extends RingSettingName>(name: K, value: unknown, field: string): SettingValue<K> {
  // Widened on purpose: no ring setting is a fraction yet, but the rule is the table's, not today's entries'.
  const entry = SETTINGS[name] as Setting
  if (entry.kind === 'integer' || entry.kind === 'fraction') {
    const whole = entry.kind === 'integer'
    if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < entry.min || value > entry.max) {
      throw new ToolError('BAD_ARGUMENT', `${field} must be ${whole ? 'an integer' : 'a number'} from ${entry.min} to ${entry.max}, got ${JSON.stringify(value)}`)
    }
    return value as SettingValue<K>
  }
  if (entry.kind === 'switch') {
    if (typeof value !== 'boolean') throw new ToolError('BAD_ARGUMENT', `${field} must be true or false, got ${JSON.stringify(value)}`)
    return value as SettingValue<K>
  }
  if (typeof value !== 'string') throw new ToolError('BAD_ARGUMENT', `${field} must be a string, got ${JSON.stringify(value)}`)
  return parseText(entry, value, field) as SettingValue<K>
}
