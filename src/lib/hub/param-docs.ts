// --help-style text of a hub function's handler: parameters with types and defaults, inputs, outputs.
import {NotFoundError} from '../errors.ts'
import {formatHubRef} from '../uri/refs.ts'
import {escapeControls as esc} from '../views/format.ts'
import {formatTable} from '../views/table.ts'
import type {FunctionSpec, HandlerDoc} from './types.ts'

export function hubParamDocs(spec: FunctionSpec, handler?: string): string {
  const name = handler ?? spec.default_handler
  const h = spec.handlers.find((x) => x.name === name)
  if (!h) throw new NotFoundError(`${formatHubRef(spec)} has no handler "${name}". Handlers: ${spec.handlers.map((x) => x.name).join(', ')}.`)
  const lines = [esc(`${formatHubRef(spec)}  ${spec.description}`), '', esc(`HANDLER  ${h.name}${h.name === spec.default_handler ? ' (default)' : ''}`)]
  if (h.doc) lines.push(indent(esc(h.doc.trim(), {multiline: true})))
  lines.push('', ...handlerSections(h))
  const others = spec.handlers.filter((x) => x.name !== h.name).map((x) => x.name)
  if (others.length > 0) lines.push('', esc(`OTHER HANDLERS  ${others.join(', ')}`))
  return `${lines.join('\n')}\n`
}

/** PARAMETERS, INPUTS and OUTPUTS sections of one handler. */
export function handlerSections(h: HandlerDoc): string[] {
  const lines: string[] = []
  lines.push('PARAMETERS')
  if (h.parameters.length === 0) lines.push('  (none)')
  else {
    lines.push(
      ...table(
        h.parameters.map((p) => [p.name, p.type, 'default' in p ? `default ${JSON.stringify(p.default)}` : 'required', oneLine(p.doc)].map((c) => esc(c))),
      ),
    )
  }
  lines.push('', 'INPUTS')
  if (h.inputs.length === 0) lines.push('  (none)')
  else lines.push(...table(h.inputs.map((i) => [esc(i.name), esc(oneLine(i.doc))])))
  lines.push('', 'OUTPUTS', h.outputs.length === 0 ? '  (none declared)' : `  ${esc(h.outputs.join(', '))}`)
  return lines
}

/** Left-aligned columns, two spaces apart, indented by two. */
export function table(rows: string[][], indentBy = 2): string[] {
  return formatTable(rows, {indent: ' '.repeat(indentBy)})
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
}
