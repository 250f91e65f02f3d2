// From what the user named (a workflow file, a folder holding one, or a name under `workflows:` in lode.yaml) to a workflow.
import {existsSync, readFileSync, statSync} from '../util/fs.ts'
import {basename, dirname, extname, join, resolve} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import {parseYaml, type ProjectConfig} from '../project/project-file.ts'
import {specialKindOf} from '../util/file-kind.ts'
import {isInside, realPath, spelledInside} from '../util/inside.ts'
import {parseRemembered} from './doc-cache.ts'
import {parseWorkflowDoc, type WorkflowSpec} from './spec.ts'

export type LoadedWorkflow =
  | {type: 'yaml'; spec: WorkflowSpec}
  /** a TypeScript/JavaScript module whose default export runs the workflow */
  | {type: 'module'; name: string; file: string}

const YAML_EXT = new Set(['.yaml', '.yml'])
const MODULE_EXT = new Set(['.ts', '.mts', '.js', '.mjs'])
const DEFAULT_FILES = ['workflow.yaml', 'workflow.yml', 'workflow.ts', 'workflow.mts', 'workflow.js', 'workflow.mjs']

export function loadWorkflow(ref: string, project: {dir: string; config: ProjectConfig; configPath?: string}, cwd = process.cwd()): LoadedWorkflow {
  const workflows = project.config.workflows
  const inline = workflows && Object.hasOwn(workflows, ref) ? workflows[ref] : undefined
  const candidates = [resolve(cwd, ref), resolve(project.dir, ref)]
  const path = candidates.find((p) => existsSync(p))
  // A path the user spelled out of the project is theirs to name; one spelled inside must stay inside once followed.
  if (path && !(inline !== undefined && statSync(path).isDirectory())) return loadFile(path, spelledInside(project.dir, path) ? project.dir : undefined)
  if (inline !== undefined) return loadNamed(ref, inline, project)
  const names = Object.keys(project.config.workflows ?? {})
  throw new NotFoundError(
    `No workflow file "${ref}"${names.length ? `, and no workflow named "${ref}" in lode.yaml (workflows: ${names.join(', ')})` : ', and lode.yaml names no workflows'}.`,
    'Give a workflow.yaml or workflow.ts file, a folder holding one, or a name under "workflows:" in lode.yaml.',
  )
}

/** `within`: the project, when the file must not lead out of it (named inside it, or by lode.yaml). */
export function loadFile(path: string, within?: string): LoadedWorkflow {
  let file = path
  if (statSync(path).isDirectory()) {
    const found = DEFAULT_FILES.map((f) => join(path, f)).find((f) => existsSync(f))
    if (!found) throw new NotFoundError(`No workflow in ${path} (looked for ${DEFAULT_FILES.join(', ')}).`)
    file = found
  }
  if (within !== undefined) refuseOutside(file, within, 'workflow file')
  const special = specialKindOf(file)
  if (special) throw new UserError(`Workflow file ${file} is ${special}, not a file.`, 'Give a workflow.yaml or workflow.ts file.')
  const ext = extname(file).toLowerCase()
  if (MODULE_EXT.has(ext)) return {type: 'module', name: moduleName(file), file}
  if (!YAML_EXT.has(ext)) throw new UserError(`Cannot tell what kind of workflow "${file}" is: use a .yaml/.yml file or a .ts/.mts/.js/.mjs module.`)
  return {type: 'yaml', spec: parseYamlFile(file)}
}

export function parseYamlFile(file: string): WorkflowSpec {
  const text = readFileSync(file, 'utf8')
  const doc = parseRemembered(text, () => parseYaml(text, file, {note: ' (nothing was run)', hint: 'Fix the file; YAML needs consistent indentation and quotes around "{{ ... }}" values.', bigIntegers: true}))
  return parseWorkflowDoc(doc, {file, dir: dirname(file), name: stemName(file)})
}

function loadNamed(name: string, value: unknown, project: {dir: string; configPath?: string}): LoadedWorkflow {
  const configPath = project.configPath ?? join(project.dir, 'lode.yaml')
  // `workflows: {train: path/to/workflow.yaml}` or `{file: path}`, or the workflow itself inline.
  const file = typeof value === 'string' ? value : value && typeof value === 'object' && 'file' in value ? String((value as {file: unknown}).file) : null
  if (file !== null) {
    const path = resolve(project.dir, file)
    if (!existsSync(path)) throw new NotFoundError(`lode.yaml: workflows.${name} names ${file}, which does not exist.`)
    return loadFile(path, project.dir)
  }
  return {type: 'yaml', spec: parseWorkflowDoc(value, {file: configPath, dir: project.dir, name, prefix: `workflows.${name}.`})}
}

/** A file reached from inside the project whose real path is outside it: refused, saying where it leads. */
export function refuseOutside(file: string, projectDir: string, what: string): void {
  if (isInside(projectDir, file)) return
  const real = realPath(file)
  throw new UserError(`The ${what} ${file} leads outside the project, to ${real}: lode does not follow project files out of the project.`,
    `If you mean that file, name it by its own path (e.g. ${real}), or copy it into the project.`)
}

function stemName(file: string): string {
  const stem = basename(file, extname(file))
  const name = stem === 'workflow' ? basename(dirname(file)) : stem
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z_]+/, '') || 'workflow'
}

function moduleName(file: string): string {
  return stemName(file)
}
