import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {lode, lodeAsync, tempDir} from '../../helpers/project.ts'
import {UserError} from '../../../src/lib/errors.ts'
import {resolveFunction, splitCommandLine} from '../../../src/lib/executor/resolve-function.ts'
import type {FunctionConfig} from '../../../src/lib/project/project-file.ts'

describe('executor/resolve-function: command lines from lode.yaml', () => {
  it('splits words like a shell, keeping quoted spaces and leaving $ and globs alone', () => {
    expect(splitCommandLine(`printf '[%s]' "a b" $HOME *.csv it\\'s`)).to.deep.equal(['printf', '[%s]', 'a b', '$HOME', '*.csv', "it's"])
    expect(splitCommandLine(`  make   train  `)).to.deep.equal(['make', 'train'])
    expect(splitCommandLine(`echo "" ''`)).to.deep.equal(['echo', '', ''])
    expect(splitCommandLine(`say "a \\"quoted\\" word"`)).to.deep.equal(['say', 'a "quoted" word'])
  })

  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine(`echo "oops`)).to.throw(UserError, /Unclosed "/)
  })
})

describe('executor/resolve-function: functions in lode.yaml with fields of the wrong type', () => {
  const refusal = async (fn: unknown): Promise<UserError> => {
    try {
      await resolveFunction('/nonexistent-project', {name: 'p', functions: {train: fn as FunctionConfig}}, {ref: 'train'})
    } catch (error) {
      expect(error, String(error)).to.be.instanceOf(UserError)
      return error as UserError
    }
    throw new Error('expected the function to be refused')
  }

  it('names the field and what it must be, before any of it is used (exit 2)', async () => {
    expect((await refusal({file: 3})).message).to.equal('lode.yaml: functions.train.file must be a string, got 3.')
    expect((await refusal({file: ['a.py']})).message).to.contain('functions.train.file must be a string')
    expect((await refusal({file: 'a.py', handler: 3})).message).to.contain('functions.train.handler must be a string')
    expect((await refusal({file: 'a.py', kind: 'ruby'})).message).to.contain('functions.train.kind must be node, python or exec, got "ruby"')
    expect((await refusal({file: 'a.py', params: [1, 2]})).message).to.contain('functions.train.params must be a mapping')
    expect((await refusal({command: {a: 1}})).message).to.contain('functions.train.command must be a command line or a list')
    expect((await refusal({command: []})).message).to.contain('functions.train.command must be')
    expect((await refusal({file: 'a.py', source: 3, path: 4})).message).to.contain('functions.train.source must be a string')
    expect((await refusal(3)).message).to.contain('functions.train must be a mapping')
    expect((await refusal({file: 3})).exitCode).to.equal(2)
  })
})

describe('executor/resolve-function: the code hash of a command whose script is an argument', () => {
  it('changes when the script named after the program changed (python3 job.py, bash job.sh), or a module it imports', async () => {
    const {mkdtempSync, rmSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'lode-cmdhash-'))
    try {
      const config = {name: 'p', functions: {py: {command: ['python3', 'job.py', '--fast']}, sh: {command: 'bash job.sh'}}}
      const hashes = async () => Promise.all(['py', 'sh'].map(async (ref) => (await resolveFunction(dir, config, {ref})).codeHash))
      writeFileSync(join(dir, 'job.py'), 'import helper\nprint(1)\n')
      writeFileSync(join(dir, 'helper.py'), 'x = 1\n')
      writeFileSync(join(dir, 'job.sh'), 'echo 1\n')
      const [py1, sh1] = await hashes()
      expect(await hashes()).to.deep.equal([py1, sh1])
      writeFileSync(join(dir, 'job.sh'), 'echo 2\n')
      const [py2, sh2] = await hashes()
      expect(sh2).to.not.equal(sh1)
      expect(py2).to.equal(py1)
      writeFileSync(join(dir, 'helper.py'), 'x = 2\n')
      const [py3] = await hashes()
      expect(py3).to.not.equal(py1)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('executor/resolve-function: a function file that is no regular file', () => {
  it('refuses a FIFO named as the handler file (exit 2) instead of waiting for a writer', async () => {
    const dir = tempDir('lode-fifo-fn-')
    try {
      expect(lode(['init', '.'], {cwd: dir}).code).to.equal(0)
      execFileSync('mkfifo', [join(dir, 'train.ts')])
      const running = lodeAsync(['run', 'train.ts'], {cwd: dir})
      // a lode blocked reading the FIFO does not even hear SIGTERM: end it for good if it has not answered by then
      const timer = setTimeout(() => running.child.kill('SIGKILL'), 30_000)
      const r = await running
      clearTimeout(timer)
      expect(r.code, r.stderr).to.equal(2)
      expect(r.stderr).to.contain('is a FIFO (named pipe), not a handler file')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
