import {expect} from 'chai'
import {fileURLToPath} from 'node:url'
import {runInPty} from '../../helpers/pty.ts'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

describe('test helper: runInPty', () => {
  it('runs a command on a real terminal of the given size, where ink moves the cursor', async () => {
    const result = await runInPty(process.execPath, [fixture('ink-hello.mjs')], {cols: 90, rows: 30})
    expect(result.exitCode).to.equal(0)
    expect(result.text).to.include('tty=true size=90x30')
    expect(result.text).to.include('hello 2')
    // erase-line / cursor-up sequences: ink redrew the frame in place
    expect(result.output).to.match(/\u001B\[\d*[ABK]/)
    expect(result.output).to.include('\u001B[32mhello 1')
  })

  it('types keys once the output shows what they wait for', async () => {
    const result = await runInPty(process.execPath, [fixture('ink-keys.mjs')], {input: [{waitFor: 'press q', send: 'q'}]})
    expect(result.exitCode).to.equal(0)
    expect(result.text).to.include('quit by q')
  })

  it('reports the exit code of the command', async () => {
    const result = await runInPty('sh', ['-c', 'echo out; exit 3'])
    expect(result.exitCode).to.equal(3)
    expect(result.output).to.include('out\r\n')
  })
})

describe('views/reporter on a real terminal', () => {
  const tsx = ['--import', 'tsx', '--disable-warning=ExperimentalWarning', fixture('run-reporter-demo.ts')]
  const env = {TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url))}

  it('shows the live view, leaves the summary and lets the process end', async () => {
    const result = await runInPty(process.execPath, tsx, {env})
    expect(result.exitCode).to.equal(0)
    expect(result.output).to.match(/\u001B\[\d*[ABK]/)
    expect(result.text).to.match(/✔ completed train\.ts#train run 1a2b3c4d in 3\.2s/)
    expect(result.text).to.include('logs: lode runs logs 1a2b3c4d')
    expect(result.text).to.match(/done\n?$/)
  })

  it('prints plain lines in CI even on a terminal', async () => {
    const result = await runInPty(process.execPath, tsx, {env: {...env, CI: 'true'}})
    expect(result.exitCode).to.equal(0)
    expect(result.output).not.to.match(/\u001B\[\d*[ABK]/)
    expect(result.text).to.match(/\d\d:\d\d:\d\d run 1a2b3c4d running train\.ts#train/)
    expect(result.text).to.match(/\d\d:\d\d:\d\d completed in 3\.2s/)
  })
})
