// The starter kit, derived from the lab-sized node (src/lab/lab-node.ts) rather than kept beside it: the
// bodies marked `// STUDENT <step> {` … `// }` become TODOs that answer 501 NOT_IMPLEMENTED naming their
// step, and a handout of its own says what to write, in which order, and how to grade it. Pure: text in,
// files out; scripts/starter.ts writes them.

/** One step a student writes, in the handout's order. */
export interface StepGuide {
  /** The marker's name: `// STUDENT <name> {`. */
  name: string
  /** The function whose body it is. */
  fn: string
  part: 'Part 2' | 'Part 3' | 'Bonus'
  title: string
  /** What to write, for HANDOUT.md. */
  what: string
}

/** Every marked body of lab-node.ts, in the order a student writes them; the file's markers must match. */
export const STEPS: readonly StepGuide[] = [
  {
    name: 'findNode',
    fn: 'findNode',
    part: 'Part 2',
    title: 'findNode, LINEAR',
    what:
      'Start at this node. A node owns the ids from its own id up to (not including) its successor\'s: while the current node does not own `id`, ' +
      'ask the next one for its view (`viewOf`: GET /nodeinfo) and step to its successor. Answer the owner, its successor, the nodes visited ' +
      '(`path`, this node first) and `hops` (path length - 1). Ignore `mode` for now. Check: `curl "localhost:5000/findnode?id=<hex>"`.',
  },
  {
    name: 'join',
    fn: 'join',
    part: 'Part 2',
    title: 'JOIN: find the joiner\'s place',
    what:
      'Any node handles POST /join. The owner of the joiner\'s id (findNode) becomes its predecessor, the owner\'s successor its successor. ' +
      'If the owner *is* a node with the joiner\'s id, answer 409 `ID_TAKEN`. Then call `rewire` (and, from step 9 on, `passContent`), and ' +
      'answer `{ predecessor, successor }`.',
  },
  {
    name: 'rewire',
    fn: 'rewire',
    part: 'Part 2',
    title: 'JOIN: the four rewiring PUTs',
    what:
      'PUT /predecessor and PUT /successor on the joiner (its two neighbours), then PUT /successor on the predecessor and PUT /predecessor ' +
      'on the successor (each learns the joiner). Use `call(node, method, path, body)`.',
  },
  {
    name: 'store',
    fn: 'storeValue',
    part: 'Part 3',
    title: 'STORE',
    what:
      'The node asked does not keep the value: key = hash(value), findNode(key), then POST /insert `{ entries: [{ key, value }] }` on the owner. ' +
      'Answer `{ key, value, node, hops, path }` (`valueReply`).',
  },
  {
    name: 'lookup',
    fn: 'lookupValue',
    part: 'Part 3',
    title: 'LOOKUP',
    what:
      'findNode(hash(value)), then GET /get?key= on the owner. Found: `{ key, value, node, hops, path }`; not found: 404 `NOT_FOUND`. ' +
      'Try values with spaces, quotes and unicode.',
  },
  {
    name: 'closestPreceding',
    fn: 'closestPreceding',
    part: 'Bonus',
    title: 'fingers in findNode',
    what:
      'Of a node\'s fingers and successor, the one nearest before `id` (the longest jump that cannot pass it). Then in findNode, when `mode` ' +
      'is `fingers`, step to `closestPreceding(current, view, id)` instead of the successor: hops drop from N/2 to about log2 N.',
  },
  {
    name: 'refreshFingers',
    fn: 'refreshFingers',
    part: 'Bonus',
    title: 'the finger table, on a timer',
    what:
      'Finger i is the first node at or after self + 2^i: the owner of that start (findNode), or the owner\'s successor when the start is not ' +
      'a node\'s id. The node calls this at start and every FINGER_MS. Fingers whose start falls before the previous finger\'s node share it.',
  },
  {
    name: 'leave',
    fn: 'leave',
    part: 'Bonus',
    title: 'LEAVE on request',
    what:
      'Hand your content to your predecessor (POST /insert), link predecessor and successor (PUT /successor on the one, PUT /predecessor on ' +
      'the other), answer `{ left, handedTo }`; the node exits once the answer is out. The last node refuses with 409 `LAST_NODE`.',
  },
  {
    name: 'passContent',
    fn: 'passContent',
    part: 'Bonus',
    title: 'content passing on JOIN',
    what:
      'The values of [joiner, successor) move from the predecessor to the joiner: GET /content on the predecessor, POST /insert them on the ' +
      'joiner, then DELETE /delete?key=&value= each one on the predecessor.',
  },
]

/** A marked body found in the source: its step, and the lines between its markers (0-based, exclusive). */
export interface MarkedBody {
  step: StepGuide
  number: number
  indent: string
  /** The line of `// STUDENT name {` and of its `// }`. */
  open: number
  close: number
}

const OPEN = /^(\s*)\/\/ STUDENT (\w+) \{\s*$/
const FUNCTION = /^(?:async )?function (\w+)\(/

/** The marked bodies of the source in file order; an unknown, unclosed, repeated or missing step is an error. */
export function markedBodies(source: string): MarkedBody[] {
  const lines = source.split('\n')
  const found: MarkedBody[] = []
  lines.forEach((line, open) => {
    const match = OPEN.exec(line)
    if (!match) return
    const [, indent = '', name = ''] = match
    const index = STEPS.findIndex((s) => s.name === name)
    if (index < 0) throw new Error(`line ${open + 1}: unknown student step "${name}" (known: ${STEPS.map((s) => s.name).join(', ')})`)
    if (found.some((b) => b.step.name === name)) throw new Error(`line ${open + 1}: step "${name}" is marked twice`)
    const declaration = lines.slice(0, open).reverse().map((l) => FUNCTION.exec(l)?.[1]).find((fn) => fn !== undefined)
    if (declaration !== STEPS[index]!.fn) throw new Error(`line ${open + 1}: step "${name}" must mark the body of ${STEPS[index]!.fn}, not of ${declaration ?? 'no function'}`)
    // The body ends at the first `// }` at the marker's indent, which must come before the next marker.
    const close = lines.findIndex((l, i) => i > open && (l === `${indent}// }` || OPEN.test(l)))
    if (close < 0 || OPEN.test(lines[close]!)) throw new Error(`line ${open + 1}: step "${name}" has no closing "${indent}// }" before ${close < 0 ? 'the end' : `line ${close + 1}`}`)
    found.push({ step: STEPS[index]!, number: index + 1, indent, open, close })
  })
  const missing = STEPS.filter((s) => !found.some((b) => b.step.name === s.name))
  if (missing.length > 0) throw new Error(`no marked body for ${missing.map((s) => s.name).join(', ')}`)
  return found
}

/** The reason a TODO answers with, naming its step. */
export function notImplementedMessage(step: StepGuide, number: number): string {
  return `${step.name} is not implemented yet (step ${number} of HANDOUT.md: ${step.title})`
}

/** The lab node with every marked body replaced by a TODO that fails with 501 NOT_IMPLEMENTED. */
export function starterSource(source: string): string {
  if (!/^class LabError\b/m.test(source)) throw new Error('the source has no LabError class for the TODOs to throw')
  const lines = source.split('\n')
  // From the last body up, so the line numbers of the earlier ones still hold.
  for (const body of markedBodies(source).reverse()) {
    const { indent, step, number } = body
    lines.splice(body.open, body.close - body.open + 1, ...[
      `${indent}// TODO step ${number} (${step.part}): ${step.title}. See HANDOUT.md.`,
      `${indent}throw new LabError(501, 'NOT_IMPLEMENTED', ${JSON.stringify(notImplementedMessage(step, number))})`,
    ])
  }
  return lines.join('\n')
}

export interface StarterOptions {
  /** Where the kit is written (absolute): the handout's commands name it. */
  dir: string
  /** The project's own tools, so the kit runs and type-checks offline, with nothing installed in it. */
  project: {
    /** The project folder: make grade runs from there. */
    root: string
    /** tsx's loader, as `node --import` takes it (a file URL). */
    tsxLoader: string
    /** typescript's tsc script. */
    tsc: string
    /** The folder holding @types/node. */
    typeRoot: string
    /** The versions of tsx, typescript and @types/node, for a kit moved away from the project (npm install). */
    devDependencies: Record<string, string>
  }
}

/** Every file of the kit, by name. */
export function starterFiles(source: string, options: StarterOptions): Record<string, string> {
  const { project } = options
  const packageJson = {
    name: 'chord-lab-starter',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: { start: `node --import ${project.tsxLoader} lab-node.ts`, typecheck: `node ${project.tsc} -p tsconfig.json` },
    devDependencies: project.devDependencies,
  }
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], strict: true, noEmit: true, skipLibCheck: true }
  const tsconfig = { compilerOptions: { ...compilerOptions, typeRoots: ['./node_modules/@types', project.typeRoot] }, files: ['lab-node.ts'] }
  return {
    'lab-node.ts': starterSource(source),
    'package.json': JSON.stringify(packageJson, null, 2) + '\n',
    'tsconfig.json': JSON.stringify(tsconfig, null, 2) + '\n',
    'HANDOUT.md': handout(options.dir, project.root),
  }
}

function handout(dir: string, root: string): string {
  const node = `node --import tsx ${dir}/lab-node.ts`
  const steps = STEPS.map((s, i) => `${i + 1}. **${s.title}** (${s.part}, in \`${s.fn}\`). ${s.what}`)
  const part = (name: StepGuide['part']) => STEPS.flatMap((s, i) => (s.part === name ? [i + 1] : [])).join(', ')
  return `# Build a Chord node

\`lab-node.ts\` is a whole DHT node with its hard parts taken out: each \`TODO\` answers
\`501 { "error", "code": "NOT_IMPLEMENTED" }\` and names its step below. Everything else is there and
works: the command line, ids (SHA-1 of \`host:port\`, reduced to 2^M), the wire format, \`call()\` to
reach another node, the HTTP server, and Part 1, the node API (\`GET /nodeinfo\`, GET/PUT
\`/predecessor\` and \`/successor\`). Read the file top to bottom first: the steps appear in it in
the order below.

A node owns the keys from its own id up to, not including, its successor's id. So the owner of key k
is the last node at or before k on the ring: a joiner takes keys from its predecessor, and a node that
leaves hands its keys to its predecessor.

## Run it

It needs Node 20 and tsx, which the chord-lab project (${root}) has. From the project folder:

    ${node} --host 127.0.0.1 --port 5000
    ${node} --host 127.0.0.1 --port 5001 --join 127.0.0.1:5000
    curl -s localhost:5000/nodeinfo

or from here, \`npm start -- --port 5000\` (it uses the project's tsx). \`--bits 8\` gives a small ring
of 256 ids; \`npm run typecheck\` checks your types. Nothing needs installing; a copy of this folder
away from the project needs \`npm install\`, then \`node --import tsx lab-node.ts\`.

## The steps, in order

Part 2 is steps ${part('Part 2')}, Part 3 steps ${part('Part 3')}, the bonus track steps ${part('Bonus')}.

${steps.join('\n')}

## Check it

From the chord-lab project, the grader starts your node once per node of its rings and tests it
through its HTTP API, part by part (\`LEVELS=1,2,3\` for Parts 1 to 3 only):

    make grade NODE='${node} --host {host} --port {port} --join {join} --secret-file {secret}'

Untouched, this kit passes Part 1 and fails the rest with \`NOT_IMPLEMENTED\`. Every failure says what
was expected and what your node answered. The finished node is \`src/lab/lab-node.ts\` in the project
(\`make boot IMPL=lab\` runs a ring of it); compare when you are done, not before.
`
}
