// make starter DIR=path: a student's starting point, derived from the lab-sized node (src/lab/starter-kit.ts):
// lab-node.ts with its steps as TODOs, package.json, tsconfig.json and HANDOUT.md. The kit runs and
// type-checks with this project's tsx and typescript, so nothing is installed in it (and an npm install
// there never touches the project). A DIR that holds anything is refused.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ToolError } from '../src/node/errors.js'
import { toolEnvironment } from '../src/tools/environment.js'
import { info, ok, runTool } from '../src/tools/output.js'
import { STEPS, starterFiles } from '../src/lab/starter-kit.js'

/** The project's root: the folder above this script (scripts/ or dist/scripts/) that holds src/lab/lab-node.ts. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'src', 'lab', 'lab-node.ts'))) return dir
  throw new ToolError('BAD_ARGUMENT', 'src/lab/lab-node.ts not found above this script: run make starter from the chord-lab project')
}

runTool(async () => {
  const tool = toolEnvironment()
  const dir = path.resolve(tool.args.required('starterDir', 'make starter DIR=../my-chord-node'))
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new ToolError('BAD_ARGUMENT', `DIR=${dir} is not an empty directory: make starter never overwrites; name a new one`)
  }
  const root = projectRoot()
  const project = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  const modules = path.join(root, 'node_modules')
  const files = starterFiles(fs.readFileSync(path.join(root, 'src', 'lab', 'lab-node.ts'), 'utf8'), {
    dir,
    project: {
      root,
      tsxLoader: pathToFileURL(path.join(modules, 'tsx', 'dist', 'loader.mjs')).href,
      tsc: path.join(modules, 'typescript', 'bin', 'tsc'),
      typeRoot: path.join(modules, '@types'),
      devDependencies: Object.fromEntries(['@types/node', 'tsx', 'typescript'].map((name) => [name, project.devDependencies[name] ?? '*'])),
    },
  })
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text)
  ok(`starter kit in ${dir}: ${Object.keys(files).join(', ')}`)
  info(`${STEPS.length} steps to write, in HANDOUT.md's order; untouched, the node passes Part 1 and answers 501 NOT_IMPLEMENTED for the rest`)
})
