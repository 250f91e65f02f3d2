// `lode log result|artifact KEY VALUE` with plain arguments start without oclif, from dist/log.cjs (src/cli-log.ts):
// a shell handler calls them once per value. Each answer is compared with the same request in a form only oclif reads (`-- KEY VALUE`):
// same output, messages and exit codes, from inside a real run.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

describe('e2e: lode log without oclif', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-lean-log-')
    expect(lode(['init', '--name', 'lean'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'small.txt'), 'hello')
    expect(spawnSync('mkfifo', [join(dir, 'ff')]).status).to.equal(0)
    // records every module a `lode log` process loads, through Node's own module hooks
    writeFileSync(join(dir, 'hook.mjs'), `import module from 'node:module'\nimport {appendFileSync} from 'node:fs'\n` +
      `module.registerHooks({load(url, ctx, next) { appendFileSync(process.env.LOADED, url + '\\n'); return next(url, ctx) }})\n`)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('answers as the oclif command does: results, artifacts, --json, and their errors', () => {
    const cases: Record<string, [string[], string[]]> = {
      result: [['result', 'k', '5'], ['result', '--', 'k', '5']],
      resultJson: [['result', 'k', '{"a": [1]}', '--json'], ['result', '--json', '--', 'k', '{"a": [1]}']],
      artifact: [['artifact', 'a', 'small.txt', '--label', 'x=1'], ['artifact', '--label', 'x=1', '--', 'a', 'small.txt']],
      artifactJson: [['artifact', 'a', 'small.txt', '--json'], ['artifact', '--json', '--', 'a', 'small.txt']],
      missing: [['artifact', 'm', 'nonexistent.txt'], ['artifact', '--', 'm', 'nonexistent.txt']],
      missingJson: [['artifact', 'm', 'nonexistent.txt', '--json'], ['artifact', '--json', '--', 'm', 'nonexistent.txt']],
      fifo: [['artifact', 'f', 'ff'], ['artifact', '--', 'f', 'ff']],
      badKind: [['artifact', 'b', 'small.txt', '--kind', 'model'], ['artifact', '--kind', 'model', '--', 'b', 'small.txt']],
    }
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`
    const lines = Object.entries(cases).flatMap(([name, forms]) => forms.map((args, i) =>
      `LOADED=loaded-${name}-${i} NODE_OPTIONS=--import=./hook.mjs lode log ${args.map(quote).join(' ')} > out-${name}-${i} 2> err-${name}-${i}; echo $? > code-${name}-${i}`))
    writeFileSync(join(dir, 'step.sh'), `${lines.join('\n')}\n`)
    const r = lode(['run', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const answer = (name: string, i: number) => {
      const read = (what: string) => readFileSync(join(dir, `${what}-${name}-${i}`), 'utf8')
      const loaded = read('loaded').split('\n')
      return {code: read('code'), stdout: read('out'), stderr: read('err'), oclif: loaded.some((l) => l.endsWith('/dist/vendor/oclif.cjs')), whole: loaded.some((l) => l.endsWith('/dist/cli.cjs'))}
    }
    for (const name of Object.keys(cases)) {
      const [lean, full] = [answer(name, 0), answer(name, 1)]
      expect(lean.oclif, `${name}: the plain form without oclif`).to.equal(name === 'badKind')
      // the plain form from dist/log.cjs (src/cli-log.ts), without the whole command's file
      expect(lean.whole, `${name}: the plain form without dist/cli.cjs`).to.equal(name === 'badKind')
      expect(full.oclif && full.whole, `${name}: the other form through oclif, in dist/cli.cjs`).to.equal(true)
      expect({code: lean.code, stdout: lean.stdout, stderr: lean.stderr}, name).to.deep.equal({code: full.code, stdout: full.stdout, stderr: full.stderr})
    }
    expect(answer('missing', 0).code.trim()).to.equal('4')
    expect(answer('fifo', 0).code.trim()).to.equal('2')
    expect(JSON.parse(answer('resultJson', 0).stdout).data).to.deep.equal({key: 'k', value: {a: [1]}})
    const run = json(lode(['runs', 'get', '--json', json(lode(['runs', 'ls', '--json'], {cwd: dir})).data[0].uid], {cwd: dir})).data
    expect(run.results).to.deep.equal({k: {a: [1]}})
    expect(Object.keys(run.outputs).sort()).to.deep.equal(['a', 'k'])
  })
})
