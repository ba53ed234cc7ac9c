// The command that starts one node under the grader: a template with {host}, {port}, {join} and
// {secret} filled in per node, split into words the way a shell would (quotes group, nothing expands),
// and the default templates for this project's own node and the lab-sized one.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ToolError } from '../../node/errors.js'
import type { Impl } from '../../node/settings.js'

export const PLACEHOLDERS = ['host', 'port', 'join', 'secret'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]
export type PlaceholderValues = Record<Placeholder, string>

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g

/** The compiled entry points, found beside this module so the paths hold wherever the grader runs from. */
const ENTRY_POINTS: Record<Impl, string> = {
  full: fileURLToPath(new URL('../../node/main.js', import.meta.url)),
  lab: fileURLToPath(new URL('../../lab/lab-node.js', import.meta.url)),
}

/**
 * The default command for this project's own node or the lab-sized one, its script named relative to
 * `cwd` so the command printed is the one a student would type. The grader sends the secret as the
 * handout's bearer token, which this project's node takes only when told to (AUTH=bearer).
 */
export function defaultTemplate(impl: Impl, cwd: string): string {
  const script = quoteWord(path.relative(cwd, ENTRY_POINTS[impl]) || ENTRY_POINTS[impl])
  return impl === 'full'
    ? `node ${script} --host={host} --port={port} --join={join} --secret-file={secret} --auth=bearer`
    : `node ${script} --host {host} --port {port} --join {join} --secret-file {secret}`
}

/** The script a default template runs, to say so plainly when it has not been built. */
export function entryPoint(impl: Impl): string {
  return ENTRY_POINTS[impl]
}

/** Splits a command into words: whitespace separates, '…' and "…" group, a backslash keeps the next character. */
export function commandWords(command: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let quote: string | undefined
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!
    if (quote) {
      if (char === quote) quote = undefined
      else word += char
    } else if (char === "'" || char === '"') {
      quote = char
      word ??= ''
    } else if (char === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i]!
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else {
      word = (word ?? '') + char
    }
  }
  if (quote) throw new ToolError('BAD_ARGUMENT', `NODE has an unclosed ${quote} quote: ${command}`)
  if (word !== undefined) words.push(word)
  return words
}

/** Refuses a template that names a placeholder the grader does not fill, or none for the port. */
export function checkTemplate(template: string): void {
  const words = commandWords(template)
  if (words.length === 0) throw new ToolError('BAD_ARGUMENT', 'NODE is an empty command')
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
      throw new ToolError('BAD_ARGUMENT', `NODE names {${match[1]}}; the grader fills ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`)
    }
  }
  if (!template.includes('{port}')) throw new ToolError('BAD_ARGUMENT', 'NODE must pass the node its port: put {port} in the command')
}

/**
 * The argv for one node. A word holding only empty placeholders ({join} for the first node) is left
 * out, and so is the flag right before a lone one (`--join {join}`), so a program sees no join at all
 * rather than an empty one; an empty placeholder inside a longer word stays empty.
 */
export function nodeArgv(template: string, values: PlaceholderValues): string[] {
  const words = commandWords(template)
  const out: string[] = []
  for (const word of words) {
    const names = [...word.matchAll(PLACEHOLDER)].map((m) => m[1] as Placeholder)
    const filled = word.replace(PLACEHOLDER, (_m, name: Placeholder) => values[name])
    const allEmpty = names.length > 0 && names.every((name) => values[name] === '')
    if (allEmpty) {
      const bare = word.replace(PLACEHOLDER, '')
      // `--join={join}` goes whole; `--join {join}` takes its flag with it.
      if (bare === '' && out.length > 0 && /^--?[A-Za-z][\w-]*$/.test(out[out.length - 1]!)) out.pop()
      if (bare === '' || /^--?[A-Za-z][\w-]*=$/.test(bare)) continue
    }
    out.push(filled)
  }
  return out
}

function quoteWord(word: string): string {
  return /^[\w./@:+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
