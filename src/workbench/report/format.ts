// How benchmark figures are written for people: times, rates, sizes, ratios, error counts, and the
// width of text that carries terminal colours.

export const ms = (x: number): string =>
  Number.isFinite(x) ? (x < 10 ? `${x.toFixed(3)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`) : '—'
export const msPair = (a: number, b: number): string => `${ms(a)} / ${ms(b)}`
export const rate = (x: number): string => `${Math.round(x).toLocaleString('en-US')}/s`
/** Megabytes; from 1 GB on, gigabytes (a whole ring). */
export const mb = (x: number): string => (x >= 1024 ? `${(x / 1024).toFixed(2)} GB` : `${x.toFixed(1)} MB`)
/** A ratio: 14×, 2.6×, 0.95×. */
export const times = (x: number): string => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(x >= 1 ? 1 : 2)}×` : '—')

/** " (PEER_TIMEOUT 2, WRONG_VALUE 1)", or nothing without errors. */
export function errorList(codes: Record<string, number>): string {
  const parts = Object.entries(codes).map(([code, count]) => `${code} ${count}`)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

/** Text as the terminal shows it: without colour escapes. */
export const visible = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '')
export const padEnd = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - visible(text).length))

/** Splits text at spaces into lines of at most `width` visible characters (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && visible(line).length + 1 + visible(word).length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(line)
  return lines
}
