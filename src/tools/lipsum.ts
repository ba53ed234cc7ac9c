// Random content for storemany and the demo: sentences from lipsum.txt at the top of the project.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function lipsumPath(): string {
  // dist/src/tools or src/tools: walk up to the folder that has lipsum.txt.
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'lipsum.txt')
    if (fs.existsSync(candidate)) return candidate
  }
  throw new Error('lipsum.txt not found at the top of the project')
}

export function lipsumSentences(): string[] {
  return fs
    .readFileSync(lipsumPath(), 'utf8')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** count sentences, each made unique by a number when the file runs out, in random order. */
export function randomSentences(count: number, random: () => number = Math.random): string[] {
  const sentences = lipsumSentences()
  const picked: string[] = []
  const used = new Set<string>()
  while (picked.length < count) {
    let sentence = sentences[Math.floor(random() * sentences.length)]!
    if (used.has(sentence)) sentence = `${sentence.replace(/[.!?]$/, '')} (${picked.length}).`
    if (used.has(sentence)) continue
    used.add(sentence)
    picked.push(sentence)
  }
  return picked
}
