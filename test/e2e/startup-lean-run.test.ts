// `lode run` with plain arguments starts without loading oclif, from dist/lean.cjs (src/cli-lean.ts, lean-argv.ts);
// anything else goes through oclif (dist/cli.cjs) as before, with the same records, messages and exit codes.
import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {leanArgv, type ManifestFlag} from '../../src/lib/lean-argv.ts'
import {Project} from '../../src/lib/project/project.ts'
import {ROOT, json, lode, tempDir, type CliResult} from '../helpers/project.ts'

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, ManifestFlag>}>}
const RUN_FLAGS = Object.values(MANIFEST.commands.run!.flags)
const LS_FLAGS = Object.values(MANIFEST.commands['runs:ls']!.flags)

describe('e2e: lode run and runs ls without oclif', function () {
  this.timeout(120_000)
  let dir: string
  let hook: string
  let loaded: string

  before(() => {
    dir = tempDir('lode-lean-run-')
    Project.init(dir, {name: 'lean'})
    writeFileSync(join(dir, 'noop.ts'), 'export async function handler() {}\n')
    // records every module the lode process loads (its pid first), through Node's own module hooks
    loaded = join(dir, 'loaded.txt')
    hook = join(dir, 'hook.mjs')
    writeFileSync(hook, `import module from 'node:module'\nimport {appendFileSync} from 'node:fs'\n` +
      `module.registerHooks({load(url, ctx, next) { appendFileSync(${JSON.stringify(loaded)}, process.pid + ' ' + url + '\\n'); return next(url, ctx) }})\n`)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  // oclif, and the whole command's file (dist/cli.cjs) with it: both or neither
  const oclifLoaded = () => {
    const lines = readFileSync(loaded, 'utf8').split('\n')
    const [oclif, whole] = [lines.some((l) => l.endsWith('/dist/vendor/oclif.cjs')), lines.some((l) => l.endsWith('/dist/cli.cjs'))]
    expect(whole, 'dist/cli.cjs loaded with oclif, and only then').to.equal(oclif)
    return oclif
  }

  it('runs a plain `lode run` without loading oclif, and records it as given', () => {
    rmSync(loaded, {force: true})
    const r = lode(['run', 'noop.ts', '-p', 'epochs=3', '--label', 'team=a', '--name', 'lean-noop', '-o', 'nothing'], {cwd: dir, env: {NODE_OPTIONS: `--import=${hook}`}})
    expect(r.code, r.stderr).to.equal(1) // the declared output was not logged
    expect(oclifLoaded()).to.equal(false)
    const runs = json<{data: Array<{name: string; params: unknown; labels: unknown; declaredOutputs: string[]; state: string}>}>(lode(['runs', 'ls', '--json'], {cwd: dir})).data
    expect(runs[0]).to.include({name: 'lean-noop', state: 'error'})
    expect(runs[0]!.params).to.deep.equal({epochs: 3})
    expect(runs[0]!.labels).to.deep.equal({team: 'a'})
  })

  it('runs an exec command after -- without oclif, with its exit code', () => {
    rmSync(loaded, {force: true})
    const r = lode(['run', '--kind=exec', '--', 'sh', '-c', 'exit 0'], {cwd: dir, env: {NODE_OPTIONS: `--import=${hook}`}})
    expect(r.code, r.stderr).to.equal(0)
    expect(oclifLoaded()).to.equal(false)
  })

  it('answers --json as the command does, for a run that completes and one that fails', () => {
    const env = {NODE_OPTIONS: `--import=${hook}`}
    // uid, times and pids differ from run to run; the rest is the same answer
    const shape = (r: CliResult) => {
      const answer = json<{ok: boolean; data?: Record<string, unknown>; error?: {code: string; message: string; exitCode: number; details?: {run?: Record<string, unknown>}}}>(r)
      const run = answer.data ?? answer.error?.details?.run
      const {uid, created, started, ended, pid, handlerPid, ...same} = run ?? {}
      return {code: r.code, ok: answer.ok, error: answer.error && {code: answer.error.code, exitCode: answer.error.exitCode, message: answer.error.message.replace(/[0-9a-f]{8,32}/g, 'UID')}, run: same, recorded: typeof uid}
    }
    for (const command of ['true', 'false']) {
      rmSync(loaded, {force: true})
      const lean = lode(['run', '--json', '--kind', 'exec', '--name', `json-${command}`, '--', command], {cwd: dir, env})
      expect(oclifLoaded(), 'the plain form without oclif').to.equal(false)
      rmSync(loaded, {force: true})
      // oclif reads LODE_CONTENT_TYPE=json as --json; the lean path leaves it to oclif
      const full = lode(['run', '--kind', 'exec', '--name', `json-${command}`, '--', command], {cwd: dir, env: {...env, LODE_CONTENT_TYPE: 'json'}})
      expect(oclifLoaded(), 'LODE_CONTENT_TYPE=json through oclif').to.equal(true)
      expect(shape(lean), command).to.deep.equal(shape(full))
      expect(shape(lean)).to.deep.include({code: command === 'true' ? 0 : 1, ok: command === 'true', recorded: 'string'})
    }
  })

  it('leaves to oclif what it does not read plainly: a bad option value, an argument after a repeatable flag', () => {
    const bad = lode(['run', '--kind', 'bogus', '--', 'true'], {cwd: dir})
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('Expected --kind=bogus to be one of')
    // oclif takes noop.ts as a second -p value: still refused as before
    const greedy = lode(['run', '-p', 'a=1', 'noop.ts'], {cwd: dir})
    expect(greedy.code).to.equal(2)
    expect(greedy.stderr).to.include('Malformed param "noop.ts"')
  })

  it('still warns about a param named like a secret (through oclif)', () => {
    const r = lode(['run', 'noop.ts', '-p', 'password=x'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.include('Warning: param password looks like a secret')
  })

  it('maps errors to the same exit codes: no project, missing file', () => {
    const outside = tempDir('lode-lean-none-')
    try {
      const none = lode(['run', '--kind', 'exec', '--', 'true'], {cwd: outside})
      expect(none.code).to.equal(3)
      expect(none.stderr).to.include('No lode project here')
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
    const missing = lode(['run', 'nope.ts'], {cwd: dir})
    expect(missing.code).to.equal(4)
    expect(missing.stderr).to.match(/^Error: No such function file "nope.ts"/)
  })

  it('reads plain forms only', () => {
    const run = (args: string[]) => leanArgv(args, RUN_FLAGS, {maxArgs: 1, dashDash: true})
    expect(run(['train.ts', '-p', 'a=1', '--param=b=2', '-i', 'x=y.csv', '--kind', 'node'])).to.deep.include({
      args: ['train.ts'], flags: {param: ['a=1', 'b=2'], input: ['x=y.csv'], kind: 'node'},
    })
    expect(run(['--kind', 'exec', '--', 'make', '-j2', '--json'])).to.deep.include({flags: {kind: 'exec'}, dashDash: true})
    for (const args of [['--json'], ['-h'], ['--nope', 'x'], ['-p', 'a=1', 'train.ts'], ['--name', 'a', '--name', 'b'], ['--kind', 'ruby'], ['--name'], ['--name', '-'], ['a.ts', 'b.ts']]) {
      expect(run(args), args.join(' ')).to.equal(null)
    }
    const ls = (args: string[]) => leanArgv(args, LS_FLAGS, {maxArgs: 0, booleans: ['json']})
    expect(ls(['--json', '--state', 'error', '--label', 'a=b', '--limit', '5'])?.flags).to.deep.equal({json: true, state: 'error', label: ['a=b'], limit: '5'})
    for (const args of [['--watch'], ['extra'], ['--', 'x'], ['--json', '--json'], ['--json=true']]) expect(ls(args), args.join(' ')).to.equal(null)
  })

  it('lists runs without oclif, as the command does, table and --json', () => {
    expect(lode(['run', '--kind', 'exec', '--name', 'listed', '--', 'false'], {cwd: dir}).code).to.equal(1)
    rmSync(loaded, {force: true})
    const env = {NODE_OPTIONS: `--import=${hook}`}
    const table = lode(['runs', 'ls', '--limit', '1', '--name', 'listed'], {cwd: dir, env})
    expect(table.code, table.stderr).to.equal(0)
    expect(table.stdout).to.match(/^UID\s+NAME/)
    expect(table.stdout).to.include('listed')
    const j = lode(['runs', 'ls', '--json', '--state', 'error'], {cwd: dir, env})
    expect(json<{ok: boolean; data: Array<{name: string}>}>(j).data.map((r) => r.name)).to.include('listed')
    const none = lode(['runs', 'ls', '--name', 'nobody'], {cwd: dir, env})
    expect(none.stdout).to.equal('No runs match these filters.\n')
    expect(oclifLoaded()).to.equal(false)
    const outside = tempDir('lode-lean-none-')
    try {
      const e = lode(['runs', 'ls', '--json'], {cwd: outside, env})
      expect(e.code).to.equal(3)
      expect(json<{ok: boolean; error: {exitCode: number}}>(e)).to.deep.include({ok: false})
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
    // what it leaves to oclif still works: a limit oclif refuses
    const bad = lode(['runs', 'ls', '--limit', '0'], {cwd: dir})
    expect(bad.code).to.equal(2)
  })
})
