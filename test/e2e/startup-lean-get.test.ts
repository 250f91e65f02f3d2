// `lode artifacts get REF -o FILE` / `--json` and `lode artifacts ls` with plain arguments start without oclif
// (src/cli-lean.ts); each answer is compared with the same request in a form only oclif reads (`-oFILE`, `-- REF`):
// same output, messages, exit codes.
import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type CliResult, json, lode, tempDir} from '../helpers/project.ts'

describe('e2e: lode artifacts get and ls without oclif', function () {
  this.timeout(120_000)
  let dir: string
  let loaded: string
  let env: Record<string, string>

  before(() => {
    dir = tempDir('lode-lean-get-')
    expect(lode(['init', '--name', 'lean'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), "export async function handler(ctx) { await ctx.logArtifact('report', {body: 'hello'}) }\n")
    const r = lode(['run', 'h.ts'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    // records every module the lode process loads, through Node's own module hooks
    loaded = join(dir, 'loaded.txt')
    const hook = join(dir, 'hook.mjs')
    writeFileSync(hook, `import module from 'node:module'\nimport {appendFileSync} from 'node:fs'\n` +
      `module.registerHooks({load(url, ctx, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, ctx) }})\n`)
    env = {NODE_OPTIONS: `--import=${hook}`}
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  /** The command's answer, and whether it loaded oclif. */
  const call = (args: string[], cwd = dir): CliResult & {oclif: boolean} => {
    rmSync(loaded, {force: true})
    const r = lode(['artifacts', ...args], {cwd, env})
    let lines: string[] = []
    try {
      lines = readFileSync(loaded, 'utf8').split('\n')
    } catch {
      /* nothing loaded through the hook */
    }
    const oclif = lines.some((l) => l.endsWith('/dist/vendor/oclif.cjs'))
    // the whole command's file (dist/cli.cjs) comes with oclif, and only then (the plain form is dist/lean.cjs)
    expect(lines.some((l) => l.endsWith('/dist/cli.cjs')), 'dist/cli.cjs loaded with oclif, and only then').to.equal(oclif)
    return {...r, oclif}
  }
  const get = (args: string[], cwd = dir) => call(['get', ...args], cwd)
  const ls = (args: string[], cwd = dir) => call(['ls', ...args], cwd)
  const same = (lean: CliResult & {oclif: boolean}, full: CliResult & {oclif: boolean}, what: string) => {
    expect(lean.oclif, `${what}: the plain form without oclif`).to.equal(false)
    expect(full.oclif, `${what}: the other form through oclif`).to.equal(true)
    // a listing's AGE column ("1s ago") may tick between the two answers
    const answer = (r: CliResult) => ({code: r.code, stdout: r.stdout.replace(/\b\d+(s|m|h|d|w) ago\b/g, 'N$1 ago'), stderr: r.stderr})
    expect(answer(lean), what).to.deep.equal(answer(full))
  }

  it('writes the body to -o FILE as the oclif command does', () => {
    const lean = get(['report', '-o', 'out.txt'])
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).to.equal('hello')
    rmSync(join(dir, 'out.txt'))
    const full = get(['report', '-oout.txt'])
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).to.equal('hello')
    same(lean, full, 'get -o')
    expect(lean.stderr).to.equal(`Wrote report v1 (5 B) to ${join(dir, 'out.txt')}\n`)
  })

  it('answers --json, with -o and without, as the oclif command does', () => {
    same(get(['report', '--json', '-o', 'out.txt']), get(['report', '--json', '-oout.txt']), 'get --json -o')
    const lean = get(['report', '--json'])
    same(lean, get(['--json', '--', 'report']), 'get --json')
    expect(json(lean).data.artifact).to.include({key: 'report', version: 1})
    same(get(['report', '--meta']), get(['--meta', '--', 'report']), 'get --meta')
  })

  it('fails with the same messages and exit codes', () => {
    const missing = get(['nope', '-o', 'x'])
    same(missing, get(['nope', '-ox']), 'no such key')
    expect(missing.code).to.equal(4)
    same(get(['nope', '--json']), get(['--json', '--', 'nope']), 'no such key, --json')
    const format = get(['report', '-o', 'x', '--format', 'csv'])
    same(format, get(['report', '-ox', '--format', 'csv']), '--format of an artifact')
    expect(format.code).to.equal(2)
    const outside = tempDir('lode-lean-get-none-')
    try {
      const none = get(['report', '-o', 'x'], outside)
      same(none, get(['report', '-ox'], outside), 'no project')
      expect(none.code).to.equal(3)
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
  })

  it('leaves to oclif what it does not read plainly: --help, --format without -o, --preview, no ref', () => {
    const help = get(['--help'])
    expect(help.oclif).to.equal(true)
    expect(help.stdout).to.include('USAGE').and.include('$ lode artifacts get REF')
    const format = get(['report', '--format', 'csv'])
    expect(format.oclif).to.equal(true)
    expect(format.code).to.equal(2)
    expect(format.stderr).to.include('--output')
    expect(get(['report', '--preview']).oclif).to.equal(true)
    const none = get(['-o', 'x'])
    expect(none.oclif).to.equal(true)
    expect(none.code).to.equal(2)
  })

  it('lists as the oclif command does: a glob, filters, --all-versions, --limit, --json, and the errors', () => {
    for (const text of ['one', 'two']) {
      const r = lode(['run', '--kind', 'exec', '--', 'sh', '-c', `echo ${text} > n.txt && lode log artifact notes n.txt --label team=a`], {cwd: dir})
      expect(r.code, r.stderr).to.equal(0)
    }
    // `--` (with no argument after it, or before the glob) is read by oclif only
    same(ls([]), ls(['--']), 'ls')
    same(ls(['notes']), ls(['--', 'notes']), 'ls GLOB')
    same(ls(['--all-versions', '--limit', '1', 'note*']), ls(['--all-versions', '--limit', '1', '--', 'note*']), 'ls --all-versions --limit 1')
    expect(ls(['--all-versions', '--limit', '1']).stderr).to.equal('(the newest 1; --limit N for more)\n')
    same(ls(['--label', 'team=a', '--kind', 'artifact', '--since', '1h']), ls(['--label', 'team=a', '--kind', 'artifact', '--since', '1h', '--']), 'ls with filters')
    const listed = ls(['--json', '--all-versions'])
    same(listed, ls(['--json', '--all-versions', '--']), 'ls --json')
    expect(json(listed).data.map((v: {key: string; version: number}) => `${v.key} v${v.version}`)).to.deep.equal(['notes v2', 'notes v1', 'report v1'])
    for (const bad of [['--since', 'soon'], ['--kind', 'nope'], ['--json', '--since', 'soon']]) {
      const lean = ls(bad)
      same(lean, ls([...bad, '--']), `ls ${bad.join(' ')}`)
      expect(lean.code).to.equal(2)
    }
    const outside = tempDir('lode-lean-ls-none-')
    try {
      const none = ls([], outside)
      same(none, ls(['--'], outside), 'no project')
      expect(none.code).to.equal(3)
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
    // what it leaves to oclif: a limit oclif reads otherwise or refuses
    expect(ls(['--limit', '0']).oclif).to.equal(true)
  })

  it('leaves LODE_CONTENT_TYPE=json (oclif\'s --json) to oclif: runs ls and artifacts get answer JSON', () => {
    const ls = lode(['runs', 'ls'], {cwd: dir, env: {LODE_CONTENT_TYPE: 'json'}})
    expect(json(ls).ok).to.equal(true)
    expect(json(lode(['artifacts', 'get', 'report'], {cwd: dir, env: {LODE_CONTENT_TYPE: 'json'}})).data.artifact).to.include({key: 'report'})
  })
})
