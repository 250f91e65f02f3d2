import {expect} from 'chai'
import {existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import YAML from 'yaml'
import {IntegrityError, LodeError} from '../../../src/lib/errors.ts'
import {pullFunction} from '../../../src/lib/hub/pull.ts'
import type {HubSource} from '../../../src/lib/hub/types.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'

describe('hub/pull', () => {
  let root: string
  let project: {dir: string; configPath: string}
  let hub: string
  let sources: HubSource[]
  let cacheDir: string

  beforeEach(() => {
    root = tempDir('pull')
    hub = join(root, 'hub')
    cacheDir = join(root, 'cache')
    writeFunction(hub, {name: 'greet', version: '1.0.0'})
    sources = [{type: 'folder', dir: hub}]
    const dir = join(root, 'project')
    mkdirSync(dir)
    project = {dir, configPath: join(dir, 'lode.yaml')}
    writeFileSync(project.configPath, '# my project\nname: t # the name\n')
  })
  afterEach(() => removeDir(root))

  async function expectConflict(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    try {
      await promise
    } catch (error) {
      expect(error).to.be.instanceOf(LodeError)
      expect((error as LodeError).code).to.equal('conflict')
      expect((error as Error).message).to.match(pattern)
      return
    }
    expect.fail('the pull should have been refused')
  }

  it('copies the exact version into functions/<name> and records it in lode.yaml, keeping comments', async () => {
    const result = await pullFunction(project, 'hub://greet', {sources, cacheDir})
    expect(result).to.include({name: 'greet', version: '1.0.0', path: 'functions/greet', file: 'functions/greet/greet.ts', changed: true, previous: null})
    const dest = join(project.dir, 'functions/greet')
    expect(readFileSync(join(dest, 'greet.ts'), 'utf8')).to.contain('hello 1.0.0')
    expect(lstatSync(join(dest, 'greet.ts')).mode & 0o200, 'the project copy is writable').to.not.equal(0)
    expect(lstatSync(join(dest, 'bin/run.sh')).mode & 0o111).to.not.equal(0)
    const text = readFileSync(project.configPath, 'utf8')
    expect(text).to.contain('# my project').and.contain('# the name')
    expect(YAML.parse(text).functions.greet).to.deep.equal({
      source: 'hub://greet:1.0.0', version: '1.0.0', sha256: result.sha256, path: 'functions/greet', kind: 'node', file: 'functions/greet/greet.ts', handler: 'greet',
    })
  })

  it('is a no-op when the same version is pulled again', async () => {
    await pullFunction(project, 'hub://greet:1.0.0', {sources, cacheDir})
    const before = readFileSync(project.configPath, 'utf8')
    const again = await pullFunction(project, 'hub://greet', {sources, cacheDir})
    expect(again.changed).to.equal(false)
    expect(readFileSync(project.configPath, 'utf8')).to.equal(before)
  })

  it('refuses to overwrite local edits, then overwrites them with force', async () => {
    await pullFunction(project, 'hub://greet', {sources, cacheDir})
    const edited = join(project.dir, 'functions/greet/greet.ts')
    writeFileSync(edited, '// my local change\n')
    writeFunction(hub, {name: 'greet', version: '1.1.0'}, 'greet-next')
    await expectConflict(pullFunction(project, 'hub://greet', {sources, cacheDir}), /functions\/greet has local edits: its files differ from hub:\/\/greet:1\.0\.0/)
    expect(readFileSync(edited, 'utf8')).to.equal('// my local change\n')
    expect(YAML.parse(readFileSync(project.configPath, 'utf8')).functions.greet.version).to.equal('1.0.0')
    // a new file counts as an edit too
    writeFileSync(edited, readFileSync(join(hub, 'greet', 'greet.ts')))
    writeFileSync(join(project.dir, 'functions/greet/notes.txt'), 'mine')
    await expectConflict(pullFunction(project, 'hub://greet:1.0.0', {sources, cacheDir}), /local edits/)
    const forced = await pullFunction(project, 'hub://greet', {sources, cacheDir, force: true})
    expect(forced).to.include({version: '1.1.0', previous: '1.0.0', changed: true})
    expect(readFileSync(edited, 'utf8')).to.contain('hello 1.1.0')
    expect(existsSync(join(project.dir, 'functions/greet/notes.txt'))).to.equal(false)
  })

  it('upgrades an unedited folder to a newer version without force', async () => {
    await pullFunction(project, 'hub://greet', {sources, cacheDir})
    writeFunction(hub, {name: 'greet', version: '1.1.0'}, 'greet-next')
    const result = await pullFunction(project, 'hub://greet', {sources, cacheDir})
    expect(result).to.include({version: '1.1.0', previous: '1.0.0'})
    expect(YAML.parse(readFileSync(project.configPath, 'utf8')).functions.greet.source).to.equal('hub://greet:1.1.0')
  })

  it('refuses a folder lode.yaml does not know, and pulls --to another folder', async () => {
    mkdirSync(join(project.dir, 'functions/greet'), {recursive: true})
    writeFileSync(join(project.dir, 'functions/greet/mine.ts'), '')
    await expectConflict(pullFunction(project, 'hub://greet', {sources, cacheDir}), /functions\/greet already exists and lode.yaml does not record it/)
    const result = await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'vendor/greeter'})
    expect(result).to.include({path: 'vendor/greeter', file: 'vendor/greeter/greet.ts'})
    expect(existsSync(join(project.dir, 'vendor/greeter/function.yaml'))).to.equal(true)
    expect(existsSync(join(project.dir, 'functions/greet/mine.ts'))).to.equal(true)
  })

  it('refuses a recorded version whose hash changed in the hub', async () => {
    const first = await pullFunction(project, 'hub://greet', {sources, cacheDir})
    writeFileSync(join(hub, 'greet', 'greet.ts'), '// republished without a new version\n')
    try {
      // another cache: only lode.yaml remembers the hash
      await pullFunction(project, 'hub://greet:1.0.0', {sources, cacheDir: join(root, 'cache2')})
      expect.fail('should be refused')
    } catch (error) {
      expect(error).to.be.instanceOf(IntegrityError)
      expect((error as Error).message).to.contain(`lode.yaml records sha256 ${first.sha256}`)
    }
  })

  it('never pulls into the project folder itself', async () => {
    try {
      await pullFunction(project, 'hub://greet', {sources, cacheDir, to: '.'})
      expect.fail('should be refused')
    } catch (error) {
      expect((error as Error).message).to.contain('holds the project itself')
    }
    expect(existsSync(project.configPath)).to.equal(true)
  })
  it('pull --to refuses the store, lode.yaml, any file and the project itself, with or without --force', async () => {
    mkdirSync(join(project.dir, '.lode', 'objects'), {recursive: true})
    writeFileSync(join(project.dir, '.lode', 'lode.db'), 'the store')
    writeFileSync(join(project.dir, 'notes.txt'), 'mine')
    const yaml = readFileSync(project.configPath, 'utf8')
    const cases: [string, RegExp][] = [
      ['.lode', /store/], ['.lode/objects', /store/], ['.lode/functions/greet', /store/], ['lode.yaml', /lode\.yaml|file/],
      ['notes.txt', /file/], ['lode.yaml/greet', /lode\.yaml, not a folder/], ['notes.txt/greet', /file/], [project.dir, /project itself/], ['.', /project itself/],
    ]
    for (const [to, pattern] of cases) {
      for (const force of [false, true]) {
        try {
          await pullFunction(project, 'hub://greet', {sources, cacheDir, to, force})
          expect.fail(`--to ${to} should be refused`)
        } catch (error) {
          expect(error, `--to ${to}`).to.be.instanceOf(LodeError)
          expect((error as LodeError).exitCode, `--to ${to}: ${(error as Error).message}`).to.equal(2)
          expect((error as Error).message, `--to ${to}`).to.match(pattern)
          expect((error as LodeError).hint, `--to ${to}`).to.contain('--to')
        }
      }
    }
    expect(readFileSync(join(project.dir, '.lode', 'lode.db'), 'utf8')).to.equal('the store')
    expect(existsSync(join(project.dir, '.lode', 'objects'))).to.equal(true)
    expect(existsSync(join(project.dir, '.lode', 'functions'))).to.equal(false)
    expect(readFileSync(project.configPath, 'utf8')).to.equal(yaml)
    expect(readFileSync(join(project.dir, 'notes.txt'), 'utf8')).to.equal('mine')
  })

  it('pull --force replaces only a folder that holds a pulled function, never another folder', async () => {
    mkdirSync(join(project.dir, 'src'))
    writeFileSync(join(project.dir, 'src', 'main.ts'), 'mine')
    try {
      await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'src', force: true})
      expect.fail('should be refused')
    } catch (error) {
      expect((error as LodeError).exitCode).to.equal(2)
      expect((error as Error).message).to.contain('not a pulled hub function').and.contain('function.yaml')
    }
    expect(readFileSync(join(project.dir, 'src', 'main.ts'), 'utf8')).to.equal('mine')
    // a folder holding a pulled function (its function.yaml) is replaced with --force
    await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'vendor/greet'})
    writeFileSync(join(project.dir, 'vendor/greet/greet.ts'), '// edited\n')
    const forced = await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'vendor/greet', force: true})
    expect(forced.changed).to.equal(true)
    expect(readFileSync(join(project.dir, 'vendor/greet/greet.ts'), 'utf8')).to.contain('hello 1.0.0')
    // an empty folder holds nothing to lose
    mkdirSync(join(project.dir, 'empty'))
    expect((await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'empty'})).path).to.equal('empty')
  })

  it('pull --force never deletes a folder outside the project that lode.yaml names as the path', async () => {
    const outside = join(root, 'precious')
    mkdirSync(outside)
    writeFileSync(join(outside, 'keep.txt'), 'mine')
    await pullFunction(project, 'hub://greet', {sources, cacheDir})
    const text = readFileSync(project.configPath, 'utf8').replace('path: functions/greet', `path: ${outside}`)
    writeFileSync(project.configPath, text)
    for (const force of [false, true]) {
      try {
        await pullFunction(project, 'hub://greet', {sources, cacheDir, force})
        expect.fail('should be refused')
      } catch (error) {
        expect(error).to.be.instanceOf(LodeError)
        expect((error as LodeError).exitCode).to.equal(2)
        expect((error as Error).message).to.contain('outside the project').and.not.contain('local edits')
        expect((error as LodeError).hint).to.contain('--to')
      }
      expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).to.equal('mine')
    }
  })

  it('pull --to outside the project is refused (exit 2), also through a symlinked folder', async () => {
    for (const to of [join(root, 'elsewhere'), '../elsewhere']) {
      try {
        await pullFunction(project, 'hub://greet', {sources, cacheDir, to})
        expect.fail('should be refused')
      } catch (error) {
        expect((error as LodeError).exitCode).to.equal(2)
        expect((error as Error).message).to.contain('outside the project')
      }
    }
    mkdirSync(join(root, 'target'))
    symlinkSync(join(root, 'target'), join(project.dir, 'vendor'))
    try {
      await pullFunction(project, 'hub://greet', {sources, cacheDir, to: 'vendor/greet', force: true})
      expect.fail('should be refused')
    } catch (error) {
      expect((error as Error).message).to.contain('outside the project')
    }
    expect(existsSync(join(root, 'elsewhere'))).to.equal(false)
    expect(existsSync(join(root, 'target', 'greet'))).to.equal(false)
  })
})
