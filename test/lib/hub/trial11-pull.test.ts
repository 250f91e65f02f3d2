import {expect} from 'chai'
import {mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../../../src/lib/errors.ts'
import {pullFunction} from '../../../src/lib/hub/pull.ts'
import type {HubSource} from '../../../src/lib/hub/types.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'

describe('hub/pull: the default folder leading out of the project (trial11)', () => {
  let root: string

  afterEach(() => removeDir(root))

  it('refuses a functions/NAME symlinked outside, naming that folder and where it leads (no "undefined"), and deletes nothing', async () => {
    root = tempDir('pull-t11')
    const hub = join(root, 'hub')
    writeFunction(hub, {name: 'greet', version: '1.0.0'})
    const sources: HubSource[] = [{type: 'folder', dir: hub}]
    const dir = join(root, 'project')
    mkdirSync(join(dir, 'functions'), {recursive: true})
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\n')
    const outside = join(root, 'precious')
    mkdirSync(outside)
    writeFileSync(join(outside, 'keep.txt'), 'mine')
    symlinkSync(outside, join(dir, 'functions', 'greet'))
    let error: unknown
    try {
      await pullFunction({dir, configPath: join(dir, 'lode.yaml')}, 'hub://greet', {sources, cacheDir: join(root, 'cache'), force: true})
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(UserError)
    const message = (error as Error).message
    expect(message).to.not.contain('undefined')
    expect(message).to.contain('functions/greet').and.contain(outside).and.contain('outside the project')
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).to.equal('mine')
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).to.equal('name: t\n')
  })
})
