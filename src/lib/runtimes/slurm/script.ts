// The batch script of a run: the same handler command lode would start locally, run on a node of the cluster. Its
// events (fd 3) are appended to a file of the run folder by one `cat`, so lines never tear and lode can follow the
// file; the handler's exit status goes into another file once every event is written. No secret is ever written
// here: secrets reach the job through sbatch's environment (--export=ALL, Slurm's default).
import {join} from 'node:path'
import type {LaunchPlan} from '../plan.ts'
import type {RuntimeSpec} from '../../types.ts'

type SlurmSpec = Extract<RuntimeSpec, {name: 'slurm'}>

/** The job's files, in the run's folder (on the filesystem the nodes share). */
export function jobFiles(runDir: string) {
  const dir = join(runDir, 'job')
  return {
    dir,
    script: join(dir, 'job.sh'),
    events: join(dir, 'events.jsonl'),
    stdout: join(dir, 'stdout'),
    stderr: join(dir, 'stderr'),
    /** `<status>` once the handler ended and its events were all written; absent if Slurm ended the job first */
    exit: join(dir, 'exit'),
    /** a packed run's abort: the pack's script ends that run's process group when this appears (or skips the run) */
    cancel: join(dir, 'cancel'),
    /** present when the run is one of a pack (so a later `runs attach` follows and cancels it as one) */
    packed: join(dir, 'packed'),
  }
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`
}

export function jobScript(plan: LaunchPlan, runDir: string): string {
  const f = jobFiles(runDir)
  const env = Object.entries(plan.env).filter(([k]) => !k.startsWith('LODE_SECRET_')).map(([k, v]) => `export ${k}=${shellQuote(v)}`)
  return [
    '#!/bin/bash',
    '# Written by lode: one run as a Slurm job. Its options are on the sbatch command line (see the run\'s record).',
    ...env,
    // the reader ignores SIGTERM (scancel, a time limit) so the events written until then all reach the file
    `exec 3> >(trap '' TERM; exec cat >> ${shellQuote(f.events)})`,
    'events=$!',
    `${[plan.command, ...plan.args].map(shellQuote).join(' ')} </dev/null`,
    'status=$?',
    'exec 3>&-',
    'wait "$events"',
    `printf '%s\\n' "$status" > ${shellQuote(f.exit)}.tmp && mv ${shellQuote(f.exit)}.tmp ${shellQuote(f.exit)}`,
    'exit "$status"',
    '',
  ].join('\n')
}

/** sbatch's arguments: where the output goes, the resources asked for, then the user's own, then the script. */
export function sbatchArgs(spec: SlurmSpec, o: {name: string; cwd: string; output: string; error: string; script: string; array?: string}): string[] {
  const args = [
    '--parsable', `--job-name=lode-${o.name}`, `--chdir=${o.cwd}`, `--output=${o.output}`, `--error=${o.error}`,
    // a requeued job would run the handler again into the same files: a node failure ends the run instead
    '--no-requeue',
  ]
  if (o.array) args.push(`--array=${o.array}`)
  if (spec.partition) args.push(`--partition=${spec.partition}`)
  if (spec.time) args.push(`--time=${spec.time}`)
  if (spec.mem) args.push(`--mem=${spec.mem}`)
  if (spec.cpus !== undefined) args.push(`--cpus-per-task=${spec.cpus}`)
  if (spec.gres) args.push(`--gres=${spec.gres}`)
  args.push(...(spec.args ?? []))
  return [...args, o.script]
}

/** sbatch's arguments for one run as one job: its output into the run's folder. */
export function runSbatchArgs(spec: SlurmSpec, o: {name: string; runDir: string; cwd: string}): string[] {
  const f = jobFiles(o.runDir)
  return sbatchArgs(spec, {name: o.name, cwd: o.cwd, output: f.stdout, error: f.stderr, script: f.script})
}

/**
 * A job array's batch script: task N runs the script of the run at `tasks.get(N)`, its output into that run's folder
 * as a job of its own would have written it.
 */
export function arrayScript(tasks: ReadonlyMap<number, string>): string {
  const cases = [...tasks].map(([n, runDir]) => {
    const f = jobFiles(runDir)
    return `  ${n}) exec ${shellQuote(f.script)} >${shellQuote(f.stdout)} 2>${shellQuote(f.stderr)} ;;`
  })
  return [
    '#!/bin/bash',
    "# Written by lode: a sweep's iterations as one job array; task N runs iteration N's script, in that run's folder.",
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...cases,
    'esac',
    'echo "lode: no iteration for array task $SLURM_ARRAY_TASK_ID" >&2',
    'exit 1',
    '',
  ].join('\n')
}

/**
 * A pack's batch script: several runs of a workflow in one job, one after another, each run's own script in a process
 * group of its own (setsid) with its output in its folder, as a job of its own would have. A run whose cancel file
 * appears is skipped, or its group ended (TERM, then KILL after 2 s) while it runs; the others go on.
 */
export function packScript(runDirs: readonly string[]): string {
  const runs = runDirs.map((runDir) => {
    const f = jobFiles(runDir)
    return `member ${[f.script, f.stdout, f.stderr, f.cancel].map(shellQuote).join(' ')}`
  })
  return [
    '#!/bin/bash',
    "# Written by lode: workflow steps packed into one job (--slurm-pack), run one after another.",
    'member() {',
    '  [ -e "$4" ] && return',
    '  setsid "$1" >"$2" 2>"$3" </dev/null &',
    '  local pid=$!',
    '  ( while kill -0 "$pid" 2>/dev/null; do',
    '      if [ -e "$4" ]; then kill -TERM -- "-$pid" 2>/dev/null; sleep 2; kill -KILL -- "-$pid" 2>/dev/null; exit; fi',
    '      sleep 0.2',
    '    done ) &',
    '  local watcher=$!',
    '  wait "$pid"',
    '  kill "$watcher" 2>/dev/null',
    '  wait "$watcher" 2>/dev/null',
    '}',
    ...runs,
    'exit 0',
    '',
  ].join('\n')
}
