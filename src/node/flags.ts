// A node process's command line, derived from the settings table: the options node/main.ts parses and the
// arguments spawn writes are the same list, so the two sides cannot drift apart.
import { parseArgs } from 'node:util'
import { errorMessage, ToolError } from './errors.js'
import {
  parseSettingText,
  RING_SETTING_NAMES,
  SETTINGS,
  settingNames,
  settingText,
  type RingSettings,
  type Setting,
  type SettingsWhere,
  type SettingValue,
} from './settings.js'

export type FlagSettingName = SettingsWhere<{ flag: string }>
type WithDefault = SettingsWhere<{ default: unknown }>

/** What a node is started with: every flag's setting, defaulted from the table where it has a default. */
export type NodeFlags = { [K in Extract<FlagSettingName, WithDefault>]: SettingValue<K> } & {
  [K in Exclude<FlagSettingName, WithDefault>]?: SettingValue<K> | undefined
}

export const FLAG_SETTING_NAMES = settingNames((s) => s.flag !== undefined) as FlagSettingName[]

function flagOf(name: FlagSettingName): string {
  return SETTINGS[name].flag
}

/** The options for util.parseArgs: every flag as text, checked by its setting afterwards. */
export function nodeFlagOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(FLAG_SETTING_NAMES.map((name) => [flagOf(name), { type: 'string' as const }]))
}

/**
 * Reads a node's command line. An unknown flag, or a value its setting does not allow, is a BAD_ARGUMENT
 * error naming the flag. `defaults` replace the table's defaults (node/main.ts: HOST= from its environment).
 */
export function parseNodeFlags(argv: readonly string[], defaults: Partial<NodeFlags> = {}): NodeFlags {
  let values: Record<string, unknown>
  try {
    values = parseArgs({ args: [...argv], options: nodeFlagOptions(), strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new ToolError('BAD_ARGUMENT', errorMessage(error))
  }
  const out: Record<string, unknown> = {}
  for (const name of FLAG_SETTING_NAMES) {
    const text = values[flagOf(name)]
    const entry: Setting = SETTINGS[name]
    if (typeof text === 'string') out[name] = parseSettingText(name, text, `--${flagOf(name)}`)
    else if (defaults[name] !== undefined) out[name] = defaults[name]
    else if ('default' in entry && entry.default !== undefined) out[name] = entry.default
  }
  return out as NodeFlags
}

/** The arguments that start a node with these settings: what parseNodeFlags reads back. */
export function nodeFlagArguments(flags: Partial<NodeFlags>): string[] {
  return FLAG_SETTING_NAMES.flatMap((name) => {
    const value = flags[name]
    return value === undefined ? [] : [`--${flagOf(name)}=${settingText(value)}`]
  })
}

/** The ring settings among a node's flags. */
export function ringSettingsOf(flags: NodeFlags): RingSettings {
  return Object.fromEntries(RING_SETTING_NAMES.map((name) => [name, flags[name]])) as RingSettings
}
