// The JSON Schemas of the node API's values (the subset of JSON Schema 2020-12 that OpenAPI 3.1 uses),
// named once and referenced by the RPC table, and a small validator that checks a reply against them
// (the contract tests and the grader use it; the node itself decodes with wire.ts).
export type JsonSchema = {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | Array<'object' | 'string' | 'null'>
  properties?: Record<string, JsonSchema>
  required?: readonly string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  enum?: readonly (string | number | boolean)[]
  const?: string | boolean
  oneOf?: readonly JsonSchema[]
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  description?: string
  $ref?: string
}

const hexId: JsonSchema = { type: 'string', pattern: '^[0-9a-f]+$', description: 'an id: lowercase hex, exactly as many digits as the identifier space needs' }
const count: JsonSchema = { type: 'integer', minimum: 0 }
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** The named values: the OpenAPI document's components.schemas. */
export const COMPONENTS: Record<string, JsonSchema> = {
  Id: hexId,
  Peer: {
    type: 'object',
    description: 'a node: its id (SHA-1 of host:port, cut to the space) and the address that reaches it',
    properties: { id: ref('Id'), host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 1, maximum: 65535 } },
    required: ['id', 'host', 'port'],
  },
  PeerOrNull: { oneOf: [ref('Peer'), { type: 'null' }] },
  Record: {
    type: 'object',
    description: 'a stored value under its key, with the version of its last write; deleted: a tombstone',
    properties: { key: ref('Id'), value: { type: 'string' }, version: count, deleted: { type: 'boolean' } },
    required: ['key', 'value'],
  },
  Member: {
    type: 'object',
    properties: { id: ref('Id'), host: { type: 'string' }, port: { type: 'integer' }, alive: { type: 'boolean' }, version: count },
    required: ['id', 'host', 'port', 'alive', 'version'],
  },
  Announcement: {
    type: 'object',
    properties: { kind: { enum: ['joined', 'left', 'failed'] }, node: ref('Peer'), successor: ref('Peer'), version: count },
    required: ['kind', 'node', 'version'],
  },
  ValueResult: {
    type: 'object',
    description: 'a STORE, LOOKUP or delete: the key, the value, the node that owns the key and the route taken',
    properties: { key: ref('Id'), value: { type: 'string' }, node: ref('Peer'), hops: count, path: { type: 'array', items: ref('Peer') } },
    required: ['key', 'value', 'node', 'hops', 'path'],
  },
  NodeInfo: {
    type: 'object',
    description: "a node's own view: the handout's id, host, port, successor and predecessor, and the engineering beyond it",
    properties: {
      id: ref('Id'),
      host: { type: 'string' },
      port: { type: 'integer' },
      status: { enum: ['joining', 'ready', 'leaving', 'stopped'] },
      predecessor: ref('PeerOrNull'),
      successor: ref('Peer'),
      successors: { type: 'array', items: ref('Peer') },
      fingers: {
        type: 'array',
        items: { type: 'object', properties: { index: count, start: ref('Id'), node: ref('Peer') }, required: ['index', 'start', 'node'] },
      },
      keys: count,
      values: count,
      tombstones: count,
      bits: { type: 'integer', minimum: 1, maximum: 160 },
      replicas: { type: 'integer', minimum: 1 },
      routeMode: { enum: ['fingers', 'linear', 'onehop'] },
      routingState: { type: 'object', properties: { entries: count, bytes: count }, required: ['entries', 'bytes'] },
      pid: count,
      maxValueBytes: count,
      auth: { enum: ['hmac', 'bearer'] },
      vnodes: { type: 'array', items: ref('Peer'), description: "every virtual node of the node's process (VNODES=v), by index" },
    },
    required: ['id', 'host', 'port', 'status', 'predecessor', 'successor', 'successors', 'fingers', 'keys', 'values', 'bits', 'replicas', 'routeMode'],
  },
  Error: {
    type: 'object',
    description: 'every failure: a readable message and a stable code',
    properties: { error: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z_]+$' } },
    required: ['error', 'code'],
  },
  Moved: {
    type: 'object',
    description: 'a direct operation at a node that does not own the key: the node it believes owns it (ask there, or route)',
    properties: { error: { type: 'string' }, code: { const: 'MOVED' }, owner: ref('Peer') },
    required: ['error', 'code', 'owner'],
  },
}

export const schemaRef = ref

/**
 * Checks `value` against `schema` (resolving references in COMPONENTS); answers the problems found,
 * each naming where ("body.successor.port: expected integer"). Empty: it matches.
 */
export function validate(value: unknown, schema: JsonSchema, where = 'body'): string[] {
  if (schema.$ref) {
    const target = COMPONENTS[schema.$ref.replace('#/components/schemas/', '')]
    return target ? validate(value, target, where) : [`${where}: unknown schema ${schema.$ref}`]
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => validate(value, option, where).length === 0).length
    return matching === 1 ? [] : [`${where}: matches ${matching} of the ${schema.oneOf.length} allowed shapes`]
  }
  if (schema.const !== undefined && value !== schema.const) return [`${where}: expected ${JSON.stringify(schema.const)}`]
  if (schema.enum && !schema.enum.includes(value as string)) return [`${where}: expected one of ${schema.enum.join(', ')}`]
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.length > 0 && !types.some((type) => isType(value, type))) return [`${where}: expected ${types.join(' or ')}, got ${JSON.stringify(value)?.slice(0, 40)}`]
  const problems: string[] = []
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${where}: does not match ${schema.pattern}`)
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${where}: shorter than ${schema.minLength}`)
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: below ${schema.minimum}`)
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: above ${schema.maximum}`)
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...validate(item, schema.items!, `${where}[${i}]`)))
  if (isType(value, 'object')) {
    const object = value as Record<string, unknown>
    for (const name of schema.required ?? []) if (!(name in object)) problems.push(`${where}.${name}: required`)
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (name in object) problems.push(...validate(object[name], property, `${where}.${name}`))
    }
  }
  return problems
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'integer':
      return Number.isInteger(value)
    case 'null':
      return value === null
    default:
      return typeof value === type
  }
}
