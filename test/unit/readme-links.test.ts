// The reading order the docs promise, checked on the sources: every source path README.md and docs/*.md
// name exists, every `path` → `name` they point a reader to is declared in that file, and every local
// link (a file, or a heading of one) leads somewhere.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const DOCS = path.join(ROOT, 'docs')
const PAGES = ['README.md', ...fs.readdirSync(DOCS).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
const text = new Map(PAGES.map((page) => [page, fs.readFileSync(path.join(ROOT, page), 'utf8')]))

/** A path the docs name: under src/, scripts/ or test/, or its compiled twin under dist/ (read as its source). */
const SOURCE_PATH = /(?<![\w./-])(dist\/)?((?:src|scripts|test)\/[\w./-]*[\w/])/g
/** `path` → `name`, `name` and `name`: the names a reader is sent to in that file. */
const POINTER = /`((?:src|scripts|test)\/[^`\s]+)`\s*→\s*((?:`[\w.$#]+(?:\(\))?`(?:,\s*|\s+and\s+)?)+)/g

function sourceOf(compiled: boolean, named: string): string {
  return compiled ? named.replace(/\.js$/, '.ts') : named
}

const MODIFIERS = '(?:(?:public|private|protected|static|async|readonly|override|get|set)\\s+)*'

/** Whether `source` declares `name`: a function, class, type or variable, a method, or a class field. */
function declares(source: string, name: string): boolean {
  const n = name.replace(/[$]/g, '\\$')
  const declaration = new RegExp(`\\b(?:function\\*?|class|interface|type|enum|const|let|var)\\s+${n}\\b`)
  // A method opens its body (or its parameter list goes on) on the line that names it: a call does not.
  const method = new RegExp(`^\\s*${MODIFIERS}[*#]?${n}\\s*(?:<.*?>)?\\(.*(?:\\{.*|[(,])\\s*$`, 'm')
  const field = new RegExp(`^\\s*${MODIFIERS}#?${n}\\s*(?::[^=]+)?=(?![=>])`, 'm')
  return declaration.test(source) || method.test(source) || field.test(source)
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line)
    if (!heading) continue
    const base = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** The page without its fenced code blocks' output lines: commands and prose only are checked for links. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '')
}

test('the docs exist and send the reader to code', () => {
  for (const page of ['api', 'guarantees', 'faults', 'measurements', 'layout', 'tests']) {
    assert.ok(text.has(`docs/${page}.md`), `docs/${page}.md is missing`)
  }
  const pointers = [...text.get('README.md')!.matchAll(POINTER)]
  assert.ok(pointers.length >= 20, `README.md points to code only ${pointers.length} times`)
})

test('every source path named in README.md and docs/ exists', () => {
  const missing: string[] = []
  for (const [page, markdown] of text) {
    for (const match of markdown.matchAll(SOURCE_PATH)) {
      const file = sourceOf(match[1] !== undefined, match[2]!)
      if (!fs.existsSync(path.join(ROOT, file))) missing.push(`${page}: ${match[0]}`)
    }
  }
  assert.deepEqual(missing, [])
})

test('every path → name named in README.md and docs/ is declared in that file', () => {
  const wrong: string[] = []
  let checked = 0
  for (const [page, markdown] of text) {
    for (const match of markdown.matchAll(POINTER)) {
      const file = path.join(ROOT, match[1]!)
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        wrong.push(`${page}: ${match[1]} is no file`)
        continue
      }
      const source = fs.readFileSync(file, 'utf8')
      for (const [, named] of match[2]!.matchAll(/`([\w.$#]+?)(?:\(\))?`/g)) {
        // Class.method: the class and the method, each declared in the file.
        for (const name of named!.split(/[.#]/)) {
          checked++
          if (!declares(source, name)) wrong.push(`${page}: ${match[1]} → ${named}: no ${name} there`)
        }
      }
    }
  }
  assert.ok(checked > 0)
  assert.deepEqual(wrong, [])
})

test('every local link leads to a file, and an anchor to a heading of it', () => {
  const broken: string[] = []
  for (const [page, markdown] of text) {
    for (const [, target] of prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue
      const [file, anchor] = target!.split('#') as [string, string | undefined]
      const resolved = file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), file)
      if (!fs.existsSync(resolved)) {
        broken.push(`${page}: ${target} (no such file)`)
        continue
      }
      if (anchor === undefined || !resolved.endsWith('.md')) continue
      if (!anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${page}: ${target} (no such heading)`)
    }
  }
  assert.deepEqual(broken, [])
})

test('the checks catch what they are for', () => {
  assert.ok(declares('export async function findOwner(context) {', 'findOwner'))
  assert.ok(declares('class A {\n  async insert(records: R[]): Promise<void> { }\n}', 'insert'))
  assert.ok(declares('export class NetworkStateFile {', 'NetworkStateFile'))
  assert.ok(declares('class A {\n  readonly #tty = process.stdout.isTTY\n}', 'tty'))
  assert.ok(!declares('const x = findOwner(context)', 'findOwner'))
  assert.ok(!declares('  stop()\n  await start(x)\n', 'stop'))
  assert.deepEqual([...anchorsOf('# A b\n## See every message: `TRACE=1`, `make trace`\n```\n# not a heading\n```\n## A b').values()], [
    'a-b',
    'see-every-message-trace1-make-trace',
    'a-b-1',
  ])
  const [pointer] = [...'open `src/node/ring.ts` → `between`, `IdSpace.hash` and `ownerIndex`.'.matchAll(POINTER)]
  assert.equal(pointer?.[1], 'src/node/ring.ts')
  assert.deepEqual([...pointer![2]!.matchAll(/`([\w.$#]+?)(?:\(\))?`/g)].map((m) => m[1]), ['between', 'IdSpace.hash', 'ownerIndex'])
  assert.deepEqual([...'run `node dist/src/node/main.js`, see src/tools/.'.matchAll(SOURCE_PATH)].map((m) => sourceOf(m[1] !== undefined, m[2]!)), [
    'src/node/main.ts',
    'src/tools/',
  ])
})
