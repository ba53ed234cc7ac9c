// The exit codes of the tools (the Make targets' scripts), declared once: what each means, which
// errors end in it, and the lines `make help` prints about them.
import { isDhtError, isToolError } from '../node/errors.js'

export const EXIT_CODES = {
  /** It worked. */
  done: 0,
  /** It failed, or the answer is no: a value that is not stored, a ring that is broken. */
  failed: 1,
  /** A Make argument the tool or the ring refuses (a bad V=, N=, PORT= that names no node). */
  badArgument: 2,
  /** A write whose answer never came: it may or may not have been applied (make lookup tells). */
  unknownOutcome: 3,
} as const

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES]

/** The code a tool that ended with `error` exits with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (isToolError(error, 'OUTCOME_UNKNOWN')) return EXIT_CODES.unknownOutcome
  if (isToolError(error, 'BAD_ARGUMENT') || isToolError(error, 'NO_SUCH_NODE')) return EXIT_CODES.badArgument
  if (isDhtError(error, 'BAD_REQUEST') || isDhtError(error, 'PAYLOAD_TOO_LARGE')) return EXIT_CODES.badArgument
  return EXIT_CODES.failed
}

/** The exit codes as `make help` lists them. */
export function exitCodesHelp(): string[] {
  return [
    'Exit codes of the targets\' scripts (node dist/scripts/<target>.js):',
    `  ${EXIT_CODES.done}  done`,
    `  ${EXIT_CODES.failed}  failed, or the answer is no (make lookup: the value is not stored; make check: the ring is broken)`,
    `  ${EXIT_CODES.badArgument}  a bad argument (V=, N=, PORT= …): the line says which`,
    `  ${EXIT_CODES.unknownOutcome}  unknown outcome: a store or delete whose answer never came (it may have been applied)`,
    'Through make, a failure prints only the script\'s line and exits 141: make ends quietly instead of adding',
    'a line of its own, and it cannot exit with the script\'s code. For the code itself, run the script: V=hello node dist/scripts/lookup.js',
  ]
}
