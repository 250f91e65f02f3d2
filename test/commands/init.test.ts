// `lode init` makes a folder where TypeScript handlers type-check against lode's own types, with nothing installed.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, lode, tempDir} from '../helpers/project.ts'

const HANDLER = `
import type {Context, DataItem} from 'lode'
import pl from 'nodejs-polars'
import {readFileSync} from 'node:fs'

export async function train(ctx: Context, {dataset, n_estimators = 100}: {dataset: DataItem; n_estimators?: number}) {
  const df: pl.DataFrame = await dataset.asDf()
  ctx.logger.info('loaded', {rows: df.height, bytes: readFileSync(dataset.localPath()).length})
  ctx.logResult('accuracy', 0.97)
  await ctx.logDataset('test_set', df.tail(10))
  return {trees: n_estimators}
}
`

/** This repository's own TypeScript compiler, on the folder's tsconfig.json. */
function typeCheck(dir: string): {code: number | null; output: string} {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], {encoding: 'utf8'})
  return {code: r.status, output: r.stdout + r.stderr}
}

describe('lode init', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => (dir = tempDir('lode-init-')))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('writes a tsconfig.json under which a handler importing lode type-checks, and one with a type error does not', () => {
    const init = lode(['init', 'proj'], {cwd: dir})
    expect(init.code, init.stderr).to.equal(0)
    const project = join(dir, 'proj')
    expect(init.stdout).to.include(`Wrote ${join(project, 'tsconfig.json')}`)
    writeFileSync(join(project, 'train.ts'), HANDLER)
    const good = typeCheck(project)
    expect(good.output).to.equal('')
    expect(good.code).to.equal(0)

    writeFileSync(join(project, 'broken.ts'), `import type {Context} from 'lode'\nexport async function h(ctx: Context) { ctx.logResult(42, 'accuracy') }\n`)
    const bad = typeCheck(project)
    expect(bad.code).to.equal(2)
    expect(bad.output).to.include('broken.ts').and.include('TS2345')
  })

  it('says where no project folder can be made (a file, a path under a file, a dangling symlink) with exit 2, not an internal error', () => {
    writeFileSync(join(dir, 'afile'), 'x')
    symlinkSync(join(dir, 'nowhere', 'at-all'), join(dir, 'dangling'))
    for (const [target, said] of [['afile', 'exists and is not a folder'], ['afile/sub', 'Cannot make the project folder'], ['dangling', 'Cannot make the project folder']] as const) {
      const r = lode(['init', target], {cwd: dir})
      expect(r.code, r.stderr).to.equal(2)
      expect(r.stderr).to.contain(said).and.not.contain('Internal error')
    }
    expect(readFileSync(join(dir, 'afile'), 'utf8')).to.equal('x')
  })

  it('refuses to make a project inside a store (.lode/), and makes nothing there', () => {
    expect(lode(['init', 'p'], {cwd: dir}).code).to.equal(0)
    const before = readdirSync(join(dir, 'p', '.lode')).sort()
    const r = lode(['init', join('.lode', 'x')], {cwd: join(dir, 'p')})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('inside a store')
    expect(readdirSync(join(dir, 'p', '.lode')).sort()).to.deep.equal(before)
  })

  it('leaves a tsconfig.json that is already there as it was', () => {
    writeFileSync(join(dir, 'tsconfig.json'), '{"compilerOptions": {"strict": false}}\n')
    const init = lode(['init'], {cwd: dir})
    expect(init.code, init.stderr).to.equal(0)
    expect(init.stdout).not.to.include('tsconfig.json')
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).to.equal('{"compilerOptions": {"strict": false}}\n')
  })
})
