import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {jobFiles, jobScript, runSbatchArgs} from '../../../../src/lib/runtimes/slurm/script.ts'

describe('slurm batch script', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-slurm-script-'))
    mkdirSync(jobFiles(dir).dir)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  // the script is run by bash as Slurm would run it, with its output going where sbatch --output/--error send it
  function runScript(plan: {command: string; args: string[]; env: Record<string, string>}) {
    const f = jobFiles(dir)
    const script = jobScript(plan, dir)
    const r = spawnSync('bash', ['-c', `bash ${JSON.stringify(f.script)} >${JSON.stringify(f.stdout)} 2>${JSON.stringify(f.stderr)}`], {input: '', encoding: 'utf8'})
    return {script, status: r.status}
  }

  it('runs the command with its environment; events go to the job event file, output to stdout/stderr, status last', async () => {
    const {writeFileSync} = await import('node:fs')
    const f = jobFiles(dir)
    const plan = {
      command: '/bin/sh', args: ['-c', `echo "out $GREETING"; echo err >&2; for i in 1 2 3; do echo "{\\"t\\":\\"result\\",\\"key\\":\\"k$i\\",\\"value\\":$i}" >&3; done; exit 3`],
      env: {GREETING: "it's me", LODE_EVENT_FD: '3', LODE_SECRET_TOKEN: 'hunter2'},
    }
    writeFileSync(f.script, jobScript(plan, dir))
    const {script, status} = runScript(plan)
    expect(status).to.equal(3)
    expect(readFileSync(f.stdout, 'utf8')).to.equal("out it's me\n")
    expect(readFileSync(f.stderr, 'utf8')).to.equal('err\n')
    expect(readFileSync(f.events, 'utf8').trim().split('\n').map((l) => JSON.parse(l).key)).to.deep.equal(['k1', 'k2', 'k3'])
    expect(readFileSync(f.exit, 'utf8')).to.equal('3\n')
    // secrets reach the job through sbatch's environment, never a file
    expect(script).to.not.include('hunter2')
    expect(script).to.not.include('LODE_SECRET_TOKEN')
  })

  it('quotes arguments so they reach the handler as given', async () => {
    const {writeFileSync} = await import('node:fs')
    const f = jobFiles(dir)
    const odd = [`a b`, `it's`, '$HOME', '`date`', '"q"', '']
    const plan = {command: '/bin/sh', args: ['-c', 'for a in "$@"; do printf "[%s]" "$a"; done', 'sh', ...odd], env: {}}
    writeFileSync(f.script, jobScript(plan, dir))
    runScript(plan)
    expect(readFileSync(f.stdout, 'utf8')).to.equal(odd.map((a) => `[${a}]`).join(''))
  })

  it('a handler killed by a signal is recorded as 128+N', async () => {
    const {writeFileSync} = await import('node:fs')
    const f = jobFiles(dir)
    const plan = {command: '/bin/sh', args: ['-c', 'kill -TERM $$'], env: {}}
    writeFileSync(f.script, jobScript(plan, dir))
    runScript(plan)
    expect(readFileSync(f.exit, 'utf8')).to.equal('143\n')
  })

  it('sbatch arguments: output files in the run folder, no requeue, the resources asked for, then the user\'s own', () => {
    const args = runSbatchArgs({name: 'slurm', partition: 'gpu', time: '1:00:00', mem: '4G', cpus: 4, gres: 'gpu:1', args: ['--qos=high']}, {name: 'train', runDir: dir, cwd: '/proj'})
    const f = jobFiles(dir)
    expect(args).to.deep.equal([
      '--parsable', '--job-name=lode-train', '--chdir=/proj', `--output=${f.stdout}`, `--error=${f.stderr}`, '--no-requeue',
      '--partition=gpu', '--time=1:00:00', '--mem=4G', '--cpus-per-task=4', '--gres=gpu:1', '--qos=high', f.script,
    ])
  })
})
