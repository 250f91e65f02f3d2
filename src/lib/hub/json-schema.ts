// A validator for the small subset of JSON Schema (draft 2020-12) that lode's own schemas use:
// type, required, properties, additionalProperties, enum, pattern, items, minItems.
// Messages name the field path: `handlers[0].parameters[2].type: must be one of str, int, ...`.

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null'

export interface JsonSchema {
  $schema?: string
  $id?: string
  title?: string
  description?: string
  type?: JsonType | JsonType[]
  required?: string[]
  properties?: Record<string, JsonSchema>
  additionalProperties?: boolean | JsonSchema
  enum?: readonly unknown[]
  pattern?: string
  items?: JsonSchema
  minItems?: number
}

export function validateSchema(schema: JsonSchema, value: unknown, path = ''): string[] {
  const at = path || '(top level)'
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!types.some((t) => hasType(value, t))) return [`${at}: must be ${types.map(article).join(' or ')}, got ${describe(value)}`]
  }
  if (schema.enum !== undefined && !schema.enum.some((v) => v === value)) {
    return [`${at}: must be one of ${schema.enum.map(String).join(', ')}, got ${describe(value)}`]
  }
  const errors: string[] = []
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push(`${at}: must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`)
    }
    if (schema.items) value.forEach((item, i) => errors.push(...validateSchema(schema.items!, item, `${path}[${i}]`)))
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) errors.push(`${join(path, key)}: is required`)
    }
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key]
      if (childSchema) errors.push(...validateSchema(childSchema, child, join(path, key)))
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {}).join(', ')
        errors.push(`${join(path, key)}: unknown field (known: ${known})`)
      } else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validateSchema(schema.additionalProperties, child, join(path, key)))
      }
    }
  }
  return errors
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return isObject(value)
    case 'array':
      return Array.isArray(value)
    case 'null':
      return value === null
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

function article(type: JsonType): string {
  // YAML's words for YAML files: a list, a mapping
  if (type === 'array') return 'a list'
  if (type === 'object') return 'a mapping'
  if (type === 'integer') return 'an integer'
  return type === 'null' ? 'null' : `a ${type}`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
