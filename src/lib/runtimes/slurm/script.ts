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

/** sbatch's arguments for a run: where the output goes, the resources asked for, then the user's own. */
export function sbatchArgs(spec: SlurmSpec, o: {name: string; runDir: string; cwd: string}): string[] {
  const f = jobFiles(o.runDir)
  const args = [
    '--parsable', `--job-name=lode-${o.name}`, `--chdir=${o.cwd}`, `--output=${f.stdout}`, `--error=${f.stderr}`,
    // a requeued job would run the handler again into the same files: a node failure ends the run instead
    '--no-requeue',
  ]
  if (spec.partition) args.push(`--partition=${spec.partition}`)
  if (spec.time) args.push(`--time=${spec.time}`)
  if (spec.mem) args.push(`--mem=${spec.mem}`)
  if (spec.cpus !== undefined) args.push(`--cpus-per-task=${spec.cpus}`)
  if (spec.gres) args.push(`--gres=${spec.gres}`)
  args.push(...(spec.args ?? []))
  return [...args, f.script]
}
