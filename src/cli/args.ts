import type { RingSettings } from './network-state.js'

// Arguments of the Make targets arrive as environment variables (make store V=hello). Each is
// checked here, so a bad one is refused with a message naming it, before anything runs.

export class ArgumentError extends Error {}

export function intArg(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  if (!/^\d+$/.test(text.trim())) throw new ArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`)
  const value = Number(text)
  if (value < min || value > max) throw new ArgumentError(`${name} must be from ${min} to ${max}, got ${value}`)
  return value
}

export function optionalIntArg(name: string, min: number, max: number): number | undefined {
  const text = process.env[name]
  return text === undefined || text === '' ? undefined : intArg(name, 0, min, max)
}

export function requiredText(name: string, example: string): string {
  const text = process.env[name]
  if (text === undefined || text === '') throw new ArgumentError(`${name} is required, e.g. ${example}`)
  return text
}

export function flagArg(name: string): boolean {
  const text = (process.env[name] ?? '').toLowerCase()
  return text !== '' && text !== '0' && text !== 'false' && text !== 'no'
}

export function portArg(name = 'PORT'): number | undefined {
  return optionalIntArg(name, 1, 65535)
}

/** Ring settings from M=, R=, MODE=, STABILIZE_MS=, FINGER_MS=, over the given base. */
export function ringSettingsFromArgs(base: RingSettings): RingSettings {
  const mode = process.env.MODE || base.routeMode
  if (mode !== 'fingers' && mode !== 'linear') throw new ArgumentError(`MODE must be fingers or linear, got "${mode}"`)
  return {
    bits: intArg('M', base.bits, 1, 160),
    replicas: intArg('R', base.replicas, 1, 16),
    routeMode: mode,
    stabilizeMs: intArg('STABILIZE_MS', base.stabilizeMs, 10, 3_600_000),
    fingerMs: intArg('FINGER_MS', base.fingerMs, 10, 3_600_000),
    maxValueBytes: intArg('MAX_VALUE_BYTES', base.maxValueBytes, 1, 256 * 1024 * 1024),
    maxBodyBytes: intArg('MAX_BODY_BYTES', base.maxBodyBytes, 1024, 1024 * 1024 * 1024),
    maxConnections: intArg('MAX_CONNECTIONS', base.maxConnections, 1, 1_000_000),
  }
}

/** NAME=host:port (JOIN=): the address, or undefined when unset. */
export function hostPortArg(name: string): { host: string; port: number } | undefined {
  const text = process.env[name]
  if (text === undefined || text === '') return undefined
  const match = /^(.+):(\d{1,5})$/.exec(text)
  const port = match ? Number(match[2]) : NaN
  if (!match || port < 1 || port > 65535) throw new ArgumentError(`${name} must be host:port, got "${text}"`)
  return { host: match[1]!, port }
}
