// Where a run executes, as the user says it: `--runtime slurm --time 1:00:00 ...`, or `runtime:` in lode.yaml (a
// function's, a workflow step's). Checked here, before anything is recorded.
import {UserError} from '../errors.ts'
import type {RuntimeSpec} from '../types.ts'

export const RUNTIMES = ['local', 'slurm'] as const
const SLURM_OPTIONS = ['partition', 'time', 'mem', 'cpus', 'gres', 'args', 'pack'] as const

export interface RuntimeFlags {
  runtime?: string
  partition?: string
  time?: string
  mem?: string
  cpus?: number | string
  gres?: string
  'slurm-arg'?: string[]
  /** workflow run: independent steps packed into one job, up to this many */
  'slurm-pack'?: number | string
}

const TIME_RE = /^(\d+-)?\d+(:\d+){0,2}$|^\d+-\d+$|^UNLIMITED$|^INFINITE$/i
const MEM_RE = /^\d+[KMGT]?$/i

function check(spec: RuntimeSpec, where: string): RuntimeSpec {
  if (spec.name !== 'slurm') return spec
  const hint = 'See: lode run --help (Slurm options: --partition --time --mem --cpus --gres --slurm-arg)'
  if (spec.time !== undefined && !TIME_RE.test(spec.time)) throw new UserError(`${where}: time "${spec.time}" is not a Slurm time limit.`, 'Write minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, e.g. --time 1:00:00')
  if (spec.mem !== undefined && !MEM_RE.test(spec.mem)) throw new UserError(`${where}: mem "${spec.mem}" is not a Slurm memory size.`, 'Write a number with K, M, G or T, e.g. --mem 4G')
  if (spec.cpus !== undefined && (!Number.isInteger(spec.cpus) || spec.cpus < 1)) throw new UserError(`${where}: cpus must be a whole number of at least 1, got ${JSON.stringify(spec.cpus)}.`, hint)
  if (spec.pack !== undefined && (!Number.isInteger(spec.pack) || spec.pack < 1)) throw new UserError(`${where}: pack must be a whole number of at least 1 (steps per job), got ${JSON.stringify(spec.pack)}.`, 'e.g. --slurm-pack 8')
  for (const a of spec.args ?? []) if (!a.startsWith('-')) throw new UserError(`${where}: Slurm argument "${a}" is not an sbatch option.`, 'Give sbatch options whole, e.g. --slurm-arg=--qos=high')
  return spec
}

/** A runtime from `lode run`'s flags over a function's own (lode.yaml); undefined when neither says one. */
export function runtimeFromFlags(f: RuntimeFlags, base?: RuntimeSpec): RuntimeSpec | undefined {
  const slurmFlags = f.partition !== undefined || f.time !== undefined || f.mem !== undefined || f.cpus !== undefined || f.gres !== undefined || f['slurm-arg'] !== undefined || f['slurm-pack'] !== undefined
  const name = f.runtime ?? base?.name
  if (name === undefined) {
    if (slurmFlags) throw new UserError('--partition, --time, --mem, --cpus, --gres and --slurm-arg are options of a cluster runtime.', 'Add --runtime slurm')
    return undefined
  }
  if (name === 'local') {
    if (slurmFlags) throw new UserError('--partition, --time, --mem, --cpus, --gres and --slurm-arg are options of a cluster runtime, not of --runtime local.', 'Add --runtime slurm, or drop them')
    return {name: 'local'}
  }
  if (name !== 'slurm') throw new UserError(`Unknown runtime "${name}".`, `Use one of: ${RUNTIMES.join(', ')}`)
  const from = base?.name === 'slurm' ? base : {name: 'slurm' as const}
  const cpus = f.cpus === undefined ? from.cpus : Number(f.cpus)
  const pack = f['slurm-pack'] === undefined ? from.pack : Number(f['slurm-pack'])
  return check({
    ...from,
    ...(f.partition !== undefined ? {partition: f.partition} : {}),
    ...(f.time !== undefined ? {time: f.time} : {}),
    ...(f.mem !== undefined ? {mem: f.mem} : {}),
    ...(cpus !== undefined ? {cpus} : {}),
    ...(f.gres !== undefined ? {gres: f.gres} : {}),
    ...(pack !== undefined ? {pack} : {}),
    ...(f['slurm-arg'] !== undefined ? {args: [...(from.args ?? []), ...f['slurm-arg']]} : {}),
  }, 'lode run')
}

/** `runtime:` as lode.yaml gives it: `slurm`, or `{name: slurm, partition: P, time: T, mem: M, cpus: N, gres: G, args: [...]}`. */
export function runtimeFromConfig(value: unknown, where: string): RuntimeSpec | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    if (!(RUNTIMES as readonly string[]).includes(value)) throw new UserError(`${where}: unknown runtime "${value}".`, `Use one of: ${RUNTIMES.join(', ')}`)
    return {name: value as RuntimeSpec['name']}
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${where}: "runtime" must be a name (slurm) or a mapping {name: slurm, time: 1:00:00, ...}.`)
  const v = value as Record<string, unknown>
  if (v.name !== 'local' && v.name !== 'slurm') throw new UserError(`${where}: runtime "name" must be one of ${RUNTIMES.join(', ')}, got ${JSON.stringify(v.name)}.`)
  if (v.name === 'local') return {name: 'local'}
  for (const k of Object.keys(v)) {
    if (k !== 'name' && !(SLURM_OPTIONS as readonly string[]).includes(k)) throw new UserError(`${where}: unknown runtime option "${k}".`, `Slurm options: ${SLURM_OPTIONS.join(', ')}`)
  }
  const text = (k: string): string | undefined => {
    if (v[k] === undefined || v[k] === null) return undefined
    if (typeof v[k] !== 'string' && typeof v[k] !== 'number') throw new UserError(`${where}: runtime "${k}" must be text, got ${JSON.stringify(v[k])}.`)
    return String(v[k])
  }
  if (v.args !== undefined && (!Array.isArray(v.args) || v.args.some((a) => typeof a !== 'string'))) throw new UserError(`${where}: runtime "args" must be a list of sbatch options.`)
  const spec: RuntimeSpec = {name: 'slurm'}
  for (const k of ['partition', 'time', 'mem', 'gres'] as const) {
    const t = text(k)
    if (t !== undefined) spec[k] = t
  }
  if (v.cpus !== undefined) spec.cpus = Number(v.cpus)
  if (v.pack !== undefined) spec.pack = Number(v.pack)
  if (v.args !== undefined) spec.args = v.args as string[]
  return check(spec, where)
}
