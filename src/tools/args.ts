// The Make targets' arguments (make store V=hello arrives as the variable V in the script's
// environment), checked against the settings table, so a bad one is refused with a message naming it
// before anything runs. The values come from the caller: src/tools/environment.ts reads them.
import { ToolError } from '../node/errors.js'
import {
  integerBounds,
  parseSettingText,
  RING_SETTING_NAMES,
  SETTINGS,
  type IntegerSetting,
  type MakeSettingName,
  type RingSettings,
  type SettingsWhere,
  type SettingValue,
} from '../node/settings.js'

export type Variables = Readonly<Record<string, string | undefined>>
type IntegerName = Extract<MakeSettingName, SettingsWhere<{ kind: 'integer' }>>
type SwitchName = Extract<MakeSettingName, SettingsWhere<{ kind: 'switch' }>>

export class MakeArguments {
  readonly #variables: Variables

  constructor(variables: Variables) {
    this.#variables = variables
  }

  /** The setting's value when its Make variable is given (and not empty), else undefined. */
  given<K extends MakeSettingName>(name: K, target?: string): SettingValue<K> | undefined {
    const variable = SETTINGS[name].make
    const text = this.#variables[variable]
    return text === undefined || text === '' ? undefined : parseSettingText(name, text, variable, target)
  }

  /** An integer setting: the given value, else the target's or the table's default. */
  integer(name: IntegerName, target?: string): number {
    const entry: IntegerSetting = SETTINGS[name]
    const value = this.given(name, target) ?? integerBounds(entry, target).default
    if (value === undefined) throw new ToolError('BAD_ARGUMENT', `${entry.make} is required`)
    return value
  }

  /** A switch: on only when given as 1 (or yes, true, on). */
  switch(name: SwitchName): boolean {
    return this.given(name) ?? false
  }

  /** A setting the target cannot do without: `V is required, e.g. make store V=hello`. */
  required<K extends MakeSettingName>(name: K, example: string): SettingValue<K> {
    const value = this.given(name)
    if (value === undefined) throw new ToolError('BAD_ARGUMENT', `${SETTINGS[name].make} is required, e.g. ${example}`)
    return value
  }

  /** The ring settings given as Make arguments (M=, R=, MODE=, STABILIZE_MS=, …), over `base`. */
  ringSettings(base: RingSettings): RingSettings {
    const out: Record<string, unknown> = { ...base }
    for (const name of RING_SETTING_NAMES) out[name] = this.given(name) ?? base[name]
    return out as RingSettings
  }
}

