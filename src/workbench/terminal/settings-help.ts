// The settings part of `make help`, written from the settings table: one line per Make variable with
// its default, range or allowed values, the targets that read it and the node flag it becomes.
import { alternatives, integerBounds, SETTINGS, settingNames, type Setting, type SettingScope } from '../../node/settings.js'
import { wrapWords } from '../../tools/output.js'

const GROUPS: ReadonlyArray<{ scope: SettingScope; title: string }> = [
  { scope: 'ring', title: 'ring settings, fixed by make boot for every node of the ring (kept in state/network.json)' },
  { scope: 'node', title: 'node settings, for the nodes make boot and make add start on this machine' },
  { scope: 'tool', title: 'arguments of the targets' },
]

function defaultOf(entry: Setting): string {
  if (!('default' in entry) || entry.default === undefined) return ''
  return typeof entry.default === 'boolean' ? (entry.default ? '1' : '0') : String(entry.default)
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const
const COUNTED = new Set(['bits', 'copies', 'connections', 'port'])

/** 268435456 bytes as 256 MiB, 3600000 ms as 1 h. */
function amount(value: number, unit: 'bytes' | 'ms'): string {
  if (unit === 'bytes') {
    let step = 0
    while (step < BYTE_UNITS.length - 1 && value >= 1024 && value % 1024 === 0) {
      value /= 1024
      step++
    }
    return `${value} ${BYTE_UNITS[step]}`
  }
  if (value >= 60_000 && value % 60_000 === 0) return value % 3_600_000 === 0 ? `${value / 3_600_000} h` : `${value / 60_000} min`
  return `${value} ms`
}

/** What values it takes: "1–160 bits", "fingers or linear", "host:port". */
function rangeOf(entry: Setting): string {
  switch (entry.kind) {
    case 'integer':
      return entry.unit === 'bytes' || entry.unit === 'ms'
        ? `${amount(entry.min, entry.unit)}–${amount(entry.max, entry.unit)}`
        : `${entry.min}–${entry.max}${entry.unit === undefined || COUNTED.has(entry.unit) ? '' : ` ${entry.unit}`}`
    case 'choice':
      return alternatives(entry.allowed)
    case 'switch':
      return '1 or 0'
    case 'address':
      return 'host:port'
    case 'fraction':
      return `${entry.min}–${entry.max}`
    case 'text':
      return ''
  }
}

/** Where it applies: a target's own default and bound, and the targets that read it. */
function whereOf(entry: Setting): string {
  const own =
    entry.kind === 'integer'
      ? Object.keys(entry.perTarget ?? {}).map((target) => {
          const bounds = integerBounds(entry, target)
          return `${target} ${bounds.default ?? ''}${bounds.max !== entry.max ? ` (≤ ${bounds.max})` : ''}`
        })
      : []
  if (own.length > 0) return ` [${own.join(', ')}]`
  return entry.targets ? ` [${entry.targets.join(', ')}]` : ''
}

/** Lines of `make help` stay within this many columns. */
const WIDTH = 120

export function settingsHelp(): string[] {
  const groups = GROUPS.map((group) => ({
    title: group.title,
    rows: settingNames((s) => s.scope === group.scope && s.make !== undefined).map((name) => {
      const entry: Setting = SETTINGS[name]
      return { left: `${entry.make}=${defaultOf(entry)}`, range: rangeOf(entry), help: entry.help + whereOf(entry) }
    }),
  }))
  const lines = ['Settings, as Make arguments (make boot M=8 R=1), with their defaults and ranges [targets]:']
  for (const group of groups) {
    const left = Math.max(...group.rows.map((r) => r.left.length)) + 2
    const range = Math.max(...group.rows.map((r) => r.range.length)) + 2
    lines.push(`  ${group.title}:`)
    for (const row of group.rows) {
      const [first, ...rest] = wrapWords(row.help, WIDTH - 4 - left - range)
      lines.push(`    ${row.left.padEnd(left)}${row.range.padEnd(range)}${first}`)
      for (const more of rest) lines.push(`${' '.repeat(4 + left + range)}${more}`)
    }
  }
  const flags = settingNames((s) => s.flag !== undefined && s.make !== undefined).map((name) => {
    const entry: Setting = SETTINGS[name]
    return `${entry.make}= is --${entry.flag}`
  })
  lines.push(`  node dist/src/node/main.js takes the ring and node settings as flags: ${flags.slice(0, 2).join(', ')}, …`)
  return lines
}
