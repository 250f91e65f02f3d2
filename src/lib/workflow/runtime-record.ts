// The --runtime (with its options) a workflow was started with, kept beside its record (`.lode/workflows/<id>/`), so
// that `lode workflow run --resume` runs the rest where the start ran, unless it is given a --runtime of its own.
import {mkdirSync, readFileSync, writeFileSync} from '../util/fs.ts'
import {dirname, join} from 'node:path'
import {UserError} from '../errors.ts'
import {runtimeFromConfig} from '../executor/runtime-spec.ts'
import type {Store} from '../store/store.ts'
import type {RuntimeSpec} from '../types.ts'

function runtimeFile(store: Store, id: string): string {
  return join(store.dir, 'workflows', id, 'runtime.json')
}

export function saveWorkflowRuntime(store: Store, id: string, spec: RuntimeSpec): void {
  const path = runtimeFile(store, id)
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, JSON.stringify(spec) + '\n')
}

/** The runtime the workflow was started (or last resumed) with; undefined when it ran locally. */
export function savedWorkflowRuntime(store: Store, id: string): RuntimeSpec | undefined {
  let text: string
  try {
    text = readFileSync(runtimeFile(store, id), 'utf8')
  } catch {
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UserError(`${runtimeFile(store, id)} (where workflow ${id.slice(0, 8)} ran) is not JSON.`, 'Give the runtime again: lode workflow run --resume ID --runtime slurm|local ...')
  }
  // checked as lode.yaml's `runtime:` is: a file edited by hand is refused with what is wrong in it
  return runtimeFromConfig(value, runtimeFile(store, id))
}
