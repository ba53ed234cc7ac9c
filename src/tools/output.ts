// How the tools talk to people: one short coloured line per event, errors in red on stderr,
// and a progress line that rewrites itself on a terminal.
import pc from 'picocolors'
import { errorMessage } from '../node/errors.js'
import { EXIT_CODES, exitCodeOf } from './exit-codes.js'

export { pc }

export function ok(line: string): void {
  console.log(`${pc.green('✔')} ${line}`)
}

export function info(line: string): void {
  console.log(`${pc.cyan('•')} ${line}`)
}

export function warn(line: string): void {
  console.error(`${pc.yellow('!')} ${line}`)
}

export function failLine(line: string): void {
  console.error(`${pc.red('✘')} ${line}`)
}

/** Neither done nor failed: a write whose answer never came (exit code EXIT_CODES.unknownOutcome). */
export function unknownLine(line: string): void {
  console.error(`${pc.magenta('?')} ${line}`)
}

/** Short form of a hex id for people: the first 8 digits. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id
}

export function nodeLabel(node: { id: string; port: number }): string {
  return `${pc.bold(shortId(node.id))}@${node.port}`
}

/** Runs a tool's main function: any error becomes one line and its exit code (src/tools/exit-codes.ts). */
export function runTool(main: () => Promise<void>): void {
  main().then(
    () => process.exit(EXIT_CODES.done),
    (error: unknown) => {
      const code = exitCodeOf(error)
      if (code === EXIT_CODES.unknownOutcome) unknownLine(errorMessage(error))
      else failLine(errorMessage(error))
      process.exit(code)
    },
  )
}

/** Rewrites the current terminal line. */
function rewrite(line: string): void {
  process.stdout.write(`\r${pc.cyan('•')} ${line}\x1b[K`)
}

/**
 * One line saying what a tool waits for: rewritten in place on a terminal; elsewhere (logs, tests)
 * printed again only when `topic` changes, so a long wait does not fill the log.
 */
export class StatusLine {
  readonly #tty = process.stdout.isTTY === true
  #topic: string | undefined
  #shown = false

  update(line: string, topic: string = line): void {
    this.#shown = true
    if (this.#tty) rewrite(line)
    else if (topic !== this.#topic) console.log(`${pc.cyan('•')} ${line}`)
    this.#topic = topic
  }

  /** Ends the line, so what follows starts on its own. */
  end(): void {
    if (this.#tty && this.#shown) process.stdout.write('\n')
    this.#shown = false
  }
}

export class Progress {
  readonly #label: string
  readonly #total: number
  readonly #tty = process.stdout.isTTY === true
  #done = 0
  #failed = 0
  #lastPrinted = -1

  constructor(label: string, total: number) {
    this.#label = label
    this.#total = total
  }

  tick(failed = false): void {
    this.#done++
    if (failed) this.#failed++
    const percent = Math.floor((this.#done / this.#total) * 100)
    const line = `${this.#label} ${this.#done}/${this.#total} (${percent}%)${this.#failed ? pc.red(` ${this.#failed} failed`) : ''}`
    if (this.#tty) rewrite(line)
    else if (percent >= this.#lastPrinted + 25 || this.#done === this.#total) {
      this.#lastPrinted = percent
      console.log(`${pc.cyan('•')} ${line}`)
    }
  }

  end(): void {
    if (this.#tty) process.stdout.write('\n')
  }
}

export { errorMessage }

/** "1 hop", "3 hops"; "1 copy", "3 copies" with the plural given. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`
}

/**
 * Ports for people, ascending, with runs of three or more as ranges: "5000, 5001", "5000–5013, 5020".
 * Every tool that prints the ring's ports prints them this way.
 */
export function portList(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let end = i
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++
    if (end - i >= 2) parts.push(`${sorted[i]}–${sorted[end]}`)
    else for (let k = i; k <= end; k++) parts.push(String(sorted[k]))
    i = end + 1
  }
  return parts.join(', ')
}

/** The width tools wrap their lines to: the terminal's, or 80 columns when output is not a terminal. */
export function terminalColumns(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80
}

/**
 * Plain text broken into lines of at most `width` characters at spaces (a word longer than the width
 * gets a line of its own); `indent` starts every line after the first.
 */
export function wrapWords(text: string, width: number, indent = ''): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const prefix = lines.length === 0 ? '' : indent
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? '' : indent) + line)
  return lines
}
