// The layout's promise, checked on the sources: the node, the tools' library and the workbench are
// layers (an import runs only downwards), the lab node stands alone, and no files import each other in a circle.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SRC = path.join(ROOT, 'src')
/** Each part may import only from the parts below it (and itself). */
const LAYERS = ['node', 'tools', 'workbench'] as const
/** Parts that import nothing from the rest of the project: a student reads them alone. */
const STANDALONE = ['lab']

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(full)
    return /\.(ts|js)$/.test(entry.name) ? [full] : []
  })
}

/** The project files a source imports (static, dynamic and type imports alike). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  const found: string[] = []
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), match[1]!)
    const candidates = [target, target.replace(/\.js$/, '.ts')]
    const existing = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile())
    if (existing) found.push(existing)
  }
  return found
}

const partOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!
const files = sources(SRC)
const graph = new Map(files.map((file) => [file, importsOf(file)]))

test('src/ holds the three layers and nothing loose', () => {
  assert.ok(files.length > 100, `only ${files.length} sources found under ${SRC}`)
  const loose = files.filter((file) => path.dirname(file) === SRC).map((file) => path.basename(file))
  assert.deepEqual(loose, [], 'every source file belongs to a part: node, tools, workbench or lab')
  const parts = [...new Set(files.map(partOf))].sort()
  for (const part of parts) assert.ok([...LAYERS, ...STANDALONE].includes(part as never), `unknown part src/${part}`)
})

test('an import never runs from a lower part to a higher one', () => {
  const upward: string[] = []
  for (const [file, imports] of graph) {
    const from = partOf(file)
    for (const target of imports) {
      const to = partOf(target)
      const fromLevel = LAYERS.indexOf(from as (typeof LAYERS)[number])
      const toLevel = LAYERS.indexOf(to as (typeof LAYERS)[number])
      const standaloneBreach = (STANDALONE.includes(from) || STANDALONE.includes(to)) && from !== to
      if (standaloneBreach || toLevel > fromLevel) upward.push(`${path.relative(ROOT, file)} → ${path.relative(ROOT, target)}`)
    }
  }
  assert.deepEqual(upward, [])
})

test('no files import each other in a circle', () => {
  // Tarjan's strongly connected components: any component of more than one file is a circle.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (file: string): void => {
    index.set(file, counter)
    low.set(file, counter++)
    stack.push(file)
    onStack.add(file)
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue
      if (!index.has(next)) {
        visit(next)
        low.set(file, Math.min(low.get(file)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!))
    }
    if (low.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(path.relative(ROOT, member))
    } while (member !== file)
    if (component.length > 1) circles.push(component)
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  assert.deepEqual(circles, [])
})
