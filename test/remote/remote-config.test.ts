// lode remote add / ls / rm: remotes in lode.yaml, a default one, bad input refused, no credentials written.
import {expect} from 'chai'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {json, lodeAsync, tempDir} from '../helpers/project.ts'

describe('remote add, ls, rm', function () {
  let dir: string
  beforeEach(async () => {
    dir = tempDir('lode-remote-cfg-')
    expect((await lodeAsync(['init', 'p'], {cwd: dir})).code).to.equal(0)
    dir = join(dir, 'p')
  })
  afterEach(() => rmSync(join(dir, '..'), {recursive: true, force: true}))

  it('adds remotes to lode.yaml, the first as the default, lists and removes them', async () => {
    const a = await lodeAsync(['remote', 'add', 'origin', 's3://team-bucket/proj/a', '--endpoint', 'http://127.0.0.1:9000', '--json'], {cwd: dir})
    expect(a.code, a.stderr).to.equal(0)
    expect(json(a).data).to.include({name: 'origin', bucket: 'team-bucket', prefix: 'proj/a/', endpoint: 'http://127.0.0.1:9000'})
    expect((await lodeAsync(['remote', 'add', 'backup', 's3://other-bucket', '--region', 'eu-west-1'], {cwd: dir})).code).to.equal(0)
    const ls = json(await lodeAsync(['remote', 'ls', '--json'], {cwd: dir})).data.remotes
    expect(ls.map((r: {name: string; default: boolean}) => [r.name, r.default])).to.deep.equal([['origin', true], ['backup', false]])
    const yaml = readFileSync(join(dir, 'lode.yaml'), 'utf8')
    expect(yaml).to.match(/^remote: origin$/m)
    expect(yaml).to.include('# lode project') // the user's comments are kept

    expect((await lodeAsync(['remote', 'add', 'backup2', 's3://other-bucket', '--default'], {cwd: dir})).code).to.equal(0)
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).to.match(/^remote: backup2$/m)
    const rm = await lodeAsync(['remote', 'rm', 'backup2'], {cwd: dir})
    expect(rm.code, rm.stderr).to.equal(0)
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).not.to.match(/^remote:/m)
    const after = json(await lodeAsync(['remote', 'ls', '--json'], {cwd: dir})).data.remotes
    expect(after.map((r: {name: string}) => r.name)).to.deep.equal(['origin', 'backup'])
  })

  it('refuses a malformed URL, a taken name, credentials in the endpoint, and an unknown remote', async () => {
    const bad = await lodeAsync(['remote', 'add', 'origin', 'https://bucket/x'], {cwd: dir})
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('s3://BUCKET/PREFIX')
    const creds = await lodeAsync(['remote', 'add', 'origin', 's3://bucket/x', '--endpoint', 'http://AKIA:secret@127.0.0.1:9000'], {cwd: dir})
    expect(creds.code).to.equal(2)
    expect(creds.stderr).to.include('AWS chain')
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).not.to.include('secret')
    expect((await lodeAsync(['remote', 'add', 'origin', 's3://bucket/x'], {cwd: dir})).code).to.equal(0)
    const taken = await lodeAsync(['remote', 'add', 'origin', 's3://bucket/y'], {cwd: dir})
    expect(taken.code).to.equal(2)
    expect(taken.stderr).to.include('exists already')
    const missing = await lodeAsync(['remote', 'rm', 'nope'], {cwd: dir})
    expect(missing.code).to.equal(4)
    const push = await lodeAsync(['push', '--remote', 'nope'], {cwd: dir})
    expect(push.code).to.equal(4)
    expect(push.stderr).to.include('No remote named "nope"')
  })
})
