// One workflow run locally in one project and with --runtime slurm in another: the records that say what was run and
// what came of it must be the same (steps, states, params, results, artifacts and their hashes, lineage); only what
// says where and when differs (uids, times, hosts, pids, job ids, paths).
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {json, lode, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

const FILES: Record<string, string> = {
  'split.ts': `import type {Context} from 'lode'
export async function handler(ctx: Context, {n}: {n: number}) {
  const numbers = Array.from({length: n}, (_, i) => i + 1)
  ctx.logResult('count', numbers.length)
  ctx.setLabel('stage', 'split')
  await ctx.logArtifact('numbers', {body: numbers.join('\\n') + '\\n'})
}
`,
  'square.py': `def handler(context, numbers, power: int = 2):
    values = [int(line) for line in open(numbers.local()).read().split()]
    squares = [v ** power for v in values]
    context.log_result('total', sum(squares))
    context.log_artifact('squares', body='\\n'.join(str(s) for s in squares) + '\\n')
`,
  'double.sh': `#!/bin/sh
set -e
awk '{print $1 * 2}' "$LODE_INPUT_NUMBERS" > "$LODE_OUTPUT_DIR/doubled.txt"
lode log result lines "$(wc -l < "$LODE_INPUT_NUMBERS" | tr -d ' ')"
lode log artifact doubled "$LODE_OUTPUT_DIR/doubled.txt"
`,
  'join.ts': `import type {Context, DataItem} from 'lode'
import {readFileSync} from 'node:fs'
export async function handler(ctx: Context, {a, b, sep = ','}: {a: DataItem; b: DataItem; sep?: string}) {
  const [x, y] = [a, b].map((d) => readFileSync(d.localPath(), 'utf8').split('\\n').filter(Boolean))
  const rows = x!.map((v, i) => v + sep + y![i])
  ctx.logResult('rows', rows.length)
  await ctx.logArtifact('joined', {body: rows.join('\\n') + '\\n'})
  return {last: rows.at(-1)}
}
`,
  'wf.yaml': `name: same
params: {n: 5}
steps:
  split: {function: split.ts, params: {n: '{{ params.n }}'}, outputs: [numbers]}
  square: {function: square.py, params: {power: 3}, inputs: {numbers: '{{ steps.split.outputs.numbers }}'}, outputs: [squares]}
  double: {function: double.sh, inputs: {numbers: '{{ steps.split.outputs.numbers }}'}, outputs: [doubled]}
  join: {function: join.ts, params: {sep: ';'}, inputs: {a: '{{ steps.square.outputs.squares }}', b: '{{ steps.double.outputs.doubled }}'}, outputs: [joined]}
`,
}

/** What says where and when a run happened, not what it did. */
const WHERE_AND_WHEN = new Set(['uid', 'id', 'run', 'workflowId', 'workflow', 'created', 'started', 'ended', 'ts', 'duration', 'durationMs', 'pid', 'host', 'job', 'path', 'updated', 'producerUid'])

describe('slurm: the same workflow locally and on Slurm gives the same records', function () {
  this.timeout(240_000)
  let cluster: Cluster
  let onSlurm: string
  let local: string
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir: onSlurm} = await startSlurmProject(this, 'same', () => FILES))
    local = mkdtempSync(join(tmpdir(), 'lode-same-local-'))
    Project.init(local, {name: 'same'})
    for (const [file, text] of Object.entries(FILES)) writeFileSync(join(local, file), text)
  })
  after(async () => {
    await stopSlurmProject(cluster, onSlurm)
    if (local) rmSync(local, {recursive: true, force: true})
  })

  /** The workflow's records in one project, uids and paths replaced by names so the two can be compared. */
  function records(dir: string, runtime: string[]): unknown {
    const env = {...cluster.env, LODE_PYTHON: PYTHON}
    const cli = (args: string[]) => {
      const r = lode(args, {cwd: dir, env})
      expect(r.code, `lode ${args.join(' ')}: ${explain(r)}`).to.equal(0)
      return json(r).data
    }
    const wf = cli(['workflow', 'run', 'wf.yaml', ...runtime, '--json'])
    const steps = wf.steps as {name: string; run: string}[]
    const names = new Map(steps.map((s) => [s.run, `<${s.name}>`]))
    const runs = steps.map((s) => cli(['runs', 'get', s.run, '--json']))
    const artifacts = runs.flatMap((r) => Object.keys(r.outputs).filter((k) => typeof r.outputs[k] === 'string' && r.outputs[k].startsWith('store://'))
      .map((k) => ({key: k, version: cli(['artifacts', 'get', `${k}@${r.uid}`, '--json']), lineage: cli(['artifacts', 'lineage', `${k}@${r.uid}`, '--json'])})))
    const text = JSON.stringify({workflow: wf, runs, artifacts}, (k, v) => (WHERE_AND_WHEN.has(k) ? undefined : v))
    // a uid, or its 8-character prefix, named by its step; the project's folder by a placeholder
    let named = text.replaceAll(dir, '<project>')
    for (const [uid, name] of names) named = named.replaceAll(uid, name).replaceAll(uid.slice(0, 8), name)
    return JSON.parse(named)
  }

  it('steps, states, params, results, artifact keys and hashes, and lineage match', () => {
    const here = records(local, [])
    const there = records(onSlurm, ['--runtime', 'slurm'])
    // the runs did something: what is compared is not empty
    expect(JSON.stringify(here)).to.include('"total":225').and.include('"rows":5').and.include('sha256')
    expect(there).to.deep.equal(here)
  })
})
