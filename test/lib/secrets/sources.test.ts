import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {collectSecrets, readSecretsFile, secretParamWarning} from '../../../src/lib/secrets/sources.ts'

describe('secret sources', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lode-secrets-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads KEY=VALUE lines and YAML/JSON mappings', () => {
    writeFileSync(join(dir, 'a.env'), '# c\n\nexport A=1=2\nB="quoted value"\n')
    writeFileSync(join(dir, 'b.yaml'), 'A: x\nB: 2\n')
    writeFileSync(join(dir, 'c.json'), '{"C": "y"}')
    expect(readSecretsFile(join(dir, 'a.env'))).to.deep.equal({A: '1=2', B: 'quoted value'})
    expect(readSecretsFile(join(dir, 'b.yaml'))).to.deep.equal({A: 'x', B: '2'})
    expect(readSecretsFile(join(dir, 'c.json'))).to.deep.equal({C: 'y'})
  })

  it('never quotes a line of a malformed secrets file', () => {
    writeFileSync(join(dir, 'bad.env'), 'A=ok\nthe-value-itself\n')
    expect(() => readSecretsFile(join(dir, 'bad.env'))).to.throw(/line 2: expected KEY=VALUE/).that.satisfies((e: Error) => !e.message.includes('the-value-itself'))
  })

  it('takes --secret KEY from lode.yaml sources or the environment, KEY=VAR from VAR', () => {
    writeFileSync(join(dir, 'pw'), 'from-file\n')
    const config = {secrets: {db: {file: 'pw'}, api: {env: 'API_VAR'}}}
    const env = {API_VAR: 'from-api-var', PLAIN: 'plain', OTHER: 'other', TOKEN: 'upper'}
    expect(collectSecrets({flags: ['db', 'api', 'PLAIN', 'x=OTHER', 'token']}, {config, dir, env})).to.deep.equal({db: 'from-file', api: 'from-api-var', PLAIN: 'plain', x: 'other', token: 'upper'})
  })

  it('refuses a missing variable without echoing what may be a value, and names that collide', () => {
    expect(() => collectSecrets({flags: ['db=hunter2-value']}, {config: {}, dir, env: {}})).to.throw(/not set/).that.satisfies((e: Error) => !e.message.includes('hunter2'))
    expect(() => collectSecrets({flags: ['db=DB_VAR']}, {config: {}, dir, env: {}})).to.throw(/DB_VAR is not set/)
    expect(() => collectSecrets({flags: ['a=X', 'A=X']}, {config: {}, dir, env: {X: '1'}})).to.throw(/LODE_SECRET_A/)
    expect(() => collectSecrets({}, {config: {secrets: {db: {value: 'x'}}}, dir, env: {}})).to.throw(/\{env: VAR\} or \{file: PATH\}/)
  })

  it('warns about params named like secrets, not about look-alikes', () => {
    expect(secretParamWarning({db_password: 1, apiKey: 2, GITHUB_TOKEN: 3, 'private-key': 4})).to.include('db_password, apiKey, GITHUB_TOKEN, private-key').and.include('--secret')
    expect(secretParamWarning({max_tokens: 1, bypass: 2, author: 3, keyword: 4})).to.equal(null)
  })
})
