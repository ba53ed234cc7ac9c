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
