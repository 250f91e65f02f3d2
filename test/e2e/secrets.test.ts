// Secrets through the real CLI: they reach TS, Python and exec handlers through the environment, never argv, and
// no file under .lode/ (the database included) holds a value; what a handler prints or logs is masked.
import {expect} from 'chai'
import {chmodSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'
const SECRET = 'hunter2-Zq8s3cr3t-value'
const TOKEN = 'tok-Ab9-second-secret'

const LEAK_TS = `
import type {Context} from 'lode'
import {readFileSync} from 'node:fs'

export async function leak(ctx: Context) {
  const s = ctx.getSecret('db_password')
  if (s === undefined) throw new Error('no secret db_password')
  console.log('stdout says ' + s)
  console.error('stderr says ' + s)
  // one value split over two writes: masked all the same
  process.stdout.write('split ' + s.slice(0, 6))
  await new Promise((r) => setTimeout(r, 50))
  process.stdout.write(s.slice(6) + ' end\\n')
  ctx.logger.info('logger says ' + s, {value: s})
  ctx.progress(0.5, 'progress ' + s)
  ctx.setLabel('where', 'label ' + s)
  ctx.logResult('echo', 'result ' + s)
  ctx.logResult('token', ctx.getSecret('api_token') === ${JSON.stringify(TOKEN)})
  ctx.logResult('length', s.length)
  ctx.logResult('in_argv', readFileSync('/proc/self/cmdline', 'utf8').includes(s))
  ctx.logResult('missing', ctx.getSecret('nope') === undefined)
  const spec = readFileSync(process.env.LODE_RUN_SPEC!, 'utf8')
  ctx.logResult('in_spec', spec.includes(s))
}
`

const LEAK_PY = `
def leak(context):
    s = context.get_secret('db_password')
    print('stdout says ' + s)
    context.logger.info('logger says ' + s)
    context.log_result('echo', 'result ' + s)
    context.log_result('length', len(s))
    with open('/proc/self/cmdline', 'rb') as f:
        context.log_result('in_argv', s.encode() in f.read())
    context.log_result('missing', context.get_secret('nope') is None)
    raise RuntimeError('failed with ' + s)
`

const LEAK_SH = `#!/bin/bash
echo "stdout says $LODE_SECRET_DB_PASSWORD"
if tr '\\0' ' ' < /proc/$$/cmdline | grep -qF -- "$LODE_SECRET_DB_PASSWORD"; then lode log result in_argv true; else lode log result in_argv false; fi
lode log result length "\${#LODE_SECRET_DB_PASSWORD}"
`

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((f) => join(dir, f)).filter((p) => statSync(p).isFile())
}

describe('secrets (e2e)', function () {
  this.timeout(120_000)
  let dir: string
  const env = {DB_PASS_VAR: SECRET, API_TOKEN: TOKEN}

  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 's'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'leak.ts'), LEAK_TS)
    writeFileSync(join(dir, 'leak.py'), LEAK_PY)
    writeFileSync(join(dir, 'leak.sh'), LEAK_SH)
    chmodSync(join(dir, 'leak.sh'), 0o755)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('reaches a TS handler through its environment, is masked everywhere and stored nowhere', () => {
    const r = lode(['run', 'leak.ts#leak', '--secret', 'db_password=DB_PASS_VAR', '--secret', 'api_token', '--json'], {cwd: dir, env})
    const run = json(r).data
    expect(run.state, r.stderr).to.equal('completed')
    expect(run.results).to.include({token: true, length: SECRET.length, in_argv: false, missing: true, in_spec: false, echo: 'result ***'})
    expect(run.labels.where).to.equal('label ***')
    expect(run.secrets).to.deep.equal(['api_token', 'db_password'])
    expect(r.stdout + r.stderr).not.to.include(SECRET)
    const logs = lode(['runs', 'logs', run.uid], {cwd: dir})
    expect(logs.stdout).to.include('stdout says ***').and.include('stderr says ***').and.include('logger says ***')
    // the split value: its first part is held back until the rest shows it is the secret (stderr may come between)
    expect(logs.stdout).to.match(/split (.*\n)?\*\*\* end/).and.not.include(SECRET.slice(0, 6))
    const events = lode(['runs', 'logs', run.uid, '--events'], {cwd: dir})
    expect(events.stdout).to.include('progress ***').and.not.include(SECRET)
    const got = lode(['runs', 'get', run.uid], {cwd: dir})
    expect(got.stdout).to.include('db_password').and.not.include(SECRET)
  })

  it('reaches a Python handler; its error message is masked', () => {
    const r = lode(['run', 'leak.py#leak', '--python', PYTHON, '--secret', 'db_password=DB_PASS_VAR', '--json'], {cwd: dir, env})
    const run = json(r).error.details.run
    expect(run.state).to.equal('error')
    expect(run.results).to.include({length: SECRET.length, in_argv: false, missing: true, echo: 'result ***'})
    expect(run.error.message).to.include('failed with ***')
    expect(r.stdout + r.stderr).not.to.include(SECRET)
  })

  it('reaches an exec handler as LODE_SECRET_<KEY>, from a secrets file', () => {
    const file = join(dir, 'secrets.env')
    writeFileSync(file, `# comment\ndb_password=${SECRET}\n`)
    const r = lode(['run', 'leak.sh', '--secret-file', file, '--json'], {cwd: dir})
    const run = json(r).data
    expect(run.state, r.stderr).to.equal('completed')
    expect(run.results).to.deep.include({length: SECRET.length, in_argv: false})
    const logs = lode(['runs', 'logs', run.uid], {cwd: dir})
    expect(logs.stdout).to.include('stdout says ***').and.not.include(SECRET)
    rmSync(file)
  })

  it('comes from lode.yaml `secrets:` (a file) for a workflow step that names it', () => {
    writeFileSync(join(dir, 'pw.txt'), `${SECRET}\n`)
    const config = readFileSync(join(dir, 'lode.yaml'), 'utf8')
    writeFileSync(join(dir, 'lode.yaml'), `${config}\nsecrets:\n  db_password: {file: pw.txt}\n`)
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  leak:\n    function: leak.sh\n    secrets: [db_password]\n')
    const r = lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir})
    expect(r.code, r.stderr + r.stdout).to.equal(0)
    expect(r.stdout + r.stderr).not.to.include(SECRET)
    const runs = json(lode(['runs', 'ls', '--name', 'leak', '--json'], {cwd: dir})).data
    const uid = (Array.isArray(runs) ? runs : runs.runs)[0].uid
    const got = json(lode(['runs', 'get', uid, '--json'], {cwd: dir})).data
    expect(got.results).to.deep.include({length: SECRET.length})
    expect(got.secrets).to.deep.equal(['db_password'])
    rmSync(join(dir, 'pw.txt'))
    writeFileSync(join(dir, 'lode.yaml'), config)
  })

  it('shows and records a value given on the command line too as ***, for a run and a sweep', () => {
    for (const sweep of [[], ['--hyperparam', 'n=[1,2]']]) {
      const r = lode(['run', '--secret', 'db_password=DB_PASS_VAR', ...sweep, '--kind', 'exec', '--', 'sh', '-c', 'echo got "$0"', SECRET], {cwd: dir, env})
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout + r.stderr).not.to.include(SECRET)
      if (!sweep.length) expect(r.stderr).to.include('got ***')
      const last = json(lode(['runs', 'ls', '--json', '--limit', '3'], {cwd: dir})).data as Array<{function: string}>
      for (const run of last) expect(run.function).not.to.include(SECRET)
      expect(last[0]!.function).to.include('***')
    }
  })

  it('leaves no value in any file under .lode/, the database included', () => {
    const leaks = filesUnder(join(dir, '.lode')).filter((p) => {
      const bytes = readFileSync(p)
      return bytes.includes(SECRET) || bytes.includes(TOKEN)
    })
    expect(leaks).to.deep.equal([])
  })

  it('refuses a secret whose environment variable is not set, before anything runs', () => {
    const r = lode(['run', 'leak.ts#leak', '--secret', 'db_password=NOT_SET_ANYWHERE'], {cwd: dir})
    expect(r.code).to.equal(2)
    expect(r.stderr).to.include('NOT_SET_ANYWHERE')
  })

  it('warns about a param whose name looks like a secret, pointing to --secret', () => {
    const r = lode(['run', '--kind', 'exec', '-p', 'db_password=x', '--', 'true'], {cwd: dir})
    expect(r.code).to.equal(0)
    expect(r.stderr).to.match(/db_password/).and.match(/--secret/)
  })
})
