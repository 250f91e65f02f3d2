// A damaged metadata database is said to be one (exit 5, with what to do), never taken for a bug or a new store.
import {expect} from 'chai'
import {existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, closeSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {json, lode, tempDir} from '../../helpers/project.ts'

describe('store: a damaged lode.db', function () {
  this.timeout(60_000)
  let dir: string
  let db: string
  const run = (args: string[]) => lode(args, {cwd: dir})
  beforeEach(() => {
    dir = tempDir()
    expect(run(['init', '.']).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), `export async function handler(ctx) { await ctx.logArtifact('a', {body: 'bytes'}) }`)
    expect(run(['run', 'h.ts']).code).to.equal(0)
    db = join(dir, '.lode', 'lode.db')
    // the database as it is on disk once lode has finished with it
    rmSync(`${db}-wal`, {force: true})
    rmSync(`${db}-shm`, {force: true})
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const expectDamaged = (what: string) => {
    for (const args of [['runs', 'ls'], ['artifacts', 'ls'], ['run', 'h.ts']]) {
      const r = run(args)
      expect(r.code, `${what}: lode ${args.join(' ')}\n${r.stderr}`).to.equal(5)
      expect(r.stderr).to.contain('store is damaged').and.contain(db).and.contain('lode.db.damaged')
      expect(r.stderr).to.not.contain('bug in lode')
    }
    const j = json(run(['runs', 'ls', '--json']))
    expect(j.error).to.include({code: 'integrity', exitCode: 5})
    expect(j.error.hint).to.contain('mv')
  }

  it('says a truncated lode.db is damaged (exit 5)', () => {
    truncateSync(db, 2000)
    expectDamaged('truncated')
  })

  it('says a lode.db of garbage is damaged (exit 5)', () => {
    const fd = openSync(db, 'w')
    writeSync(fd, Buffer.alloc(8192, 0x5a))
    closeSync(fd)
    expectDamaged('garbage')
  })

  it('says a lode.db that is a directory is damaged (exit 5)', () => {
    rmSync(db)
    mkdirSync(db)
    expectDamaged('directory')
  })

  it('says a .lode that is a file is damaged (exit 5), not a bug, and leaves the file', () => {
    rmSync(join(dir, '.lode'), {recursive: true})
    writeFileSync(join(dir, '.lode'), 'not a store')
    for (const args of [['runs', 'ls'], ['run', 'h.ts']]) {
      const r = run(args)
      expect(r.code, `lode ${args.join(' ')}\n${r.stderr}`).to.equal(5)
      expect(r.stderr).to.contain('store is damaged').and.contain('is not a folder').and.not.contain('bug in lode')
    }
    expect(readFileSync(join(dir, '.lode'), 'utf8')).to.equal('not a store')
  })

  it('does not take a 0-byte lode.db beside objects and runs for a new store', () => {
    const objectsBefore = readdirSync(join(dir, '.lode', 'objects', 'sha256'))
    writeFileSync(db, '')
    expectDamaged('empty')
    expect(statSync(db).size, 'nothing was written into it').to.equal(0)
    expect(readdirSync(join(dir, '.lode', 'objects', 'sha256'))).to.deep.equal(objectsBefore)
  })

  it('does not start a new store where lode.db is gone but run folders and objects remain', () => {
    const objectsBefore = readdirSync(join(dir, '.lode', 'objects', 'sha256'))
    rmSync(db)
    for (const args of [['runs', 'ls'], ['run', 'h.ts']]) {
      const r = run(args)
      expect(r.code, `lode ${args.join(' ')}\n${r.stderr}`).to.equal(5)
      expect(r.stderr).to.contain('store is damaged').and.contain(db).and.contain('is missing').and.not.contain('bug in lode')
    }
    expect(existsSync(db), 'no new lode.db was made').to.equal(false)
    expect(readdirSync(join(dir, '.lode', 'objects', 'sha256'))).to.deep.equal(objectsBefore)
  })

  it('says a lode.db without its runs table is damaged (exit 5)', () => {
    const sqlite = new DatabaseSync(db)
    sqlite.exec('PRAGMA foreign_keys = OFF; DROP TABLE runs')
    sqlite.close()
    expectDamaged('no runs table')
    expect(run(['runs', 'ls']).stderr).to.contain('runs')
  })

  it('refuses a lode.db made by a newer lode (exit 5), changing nothing', () => {
    const sqlite = new DatabaseSync(db)
    sqlite.exec('PRAGMA user_version = 999')
    sqlite.close()
    const before = readFileSync(db)
    for (const args of [['runs', 'ls'], ['artifacts', 'ls'], ['run', 'h.ts']]) {
      const r = run(args)
      expect(r.code, `lode ${args.join(' ')}\n${r.stderr}`).to.equal(5)
      expect(r.stderr).to.match(/made by a newer lode \(schema 999; this lode knows \d+\)/).and.not.contain('bug in lode')
    }
    rmSync(`${db}-wal`, {force: true})
    expect(readFileSync(db).equals(before), 'the database was left as it was').to.equal(true)
  })

  it('still creates a store where an empty lode.db is all there is (a creation that was cut short)', () => {
    rmSync(join(dir, '.lode'), {recursive: true})
    mkdirSync(join(dir, '.lode'))
    writeFileSync(db, '')
    expect(run(['runs', 'ls']).code).to.equal(0)
    expect(statSync(db).size).to.be.greaterThan(0)
    expect(existsSync(join(dir, '.lode', 'objects'))).to.equal(true)
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).to.contain('name:')
  })
})
