import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import YAML from 'yaml'
import {removeDir, tempDir, writeFunction} from '../../lib/hub/fixtures.ts'
import {serveFolder, serveWith, trickle} from '../../lib/hub/http-hub.ts'
import {runCommand} from './run-command.ts'

// The commands import src/lib lazily (ESM import()); loading them the same way here keeps one copy of
// each module, so errors keep their class (a statically imported test graph may be loaded as CommonJS).
const {default: HubLs} = await import('../../../src/commands/hub/ls.ts')
const {default: HubShow} = await import('../../../src/commands/hub/show.ts')
const {default: HubPull} = await import('../../../src/commands/hub/pull.ts')
const {default: HubPack} = await import('../../../src/commands/hub/pack.ts')

describe('lode hub', () => {
  let root: string
  let hub: string
  let project: string
  const saved: Record<string, string | undefined> = {}

  beforeEach(() => {
    for (const k of ['LODE_CACHE_DIR', 'LODE_HUB', 'LODE_PROJECT', 'LODE_HUB_TIMEOUT_MS']) saved[k] = process.env[k]
    root = tempDir('hub-cmd')
    process.env.LODE_CACHE_DIR = join(root, 'cache')
    delete process.env.LODE_HUB
    delete process.env.LODE_PROJECT
    hub = join(root, 'hub')
    writeFunction(hub, {name: 'greet-fixture', version: '1.0.0'})
    writeFunction(hub, {name: 'greet-fixture', version: '1.3.0'}, 'greet-next')
    project = join(root, 'project')
    mkdirSync(project)
    writeFileSync(join(project, 'lode.yaml'), 'name: t\n')
  })
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
    else process.env[k] = v
    removeDir(root)
  })

  it('ls lists name, latest version, kind, description and versions, without a project', async () => {
    const {stdout, exitCode} = await runCommand(HubLs, ['--hub', hub], root)
    expect(exitCode).to.equal(0)
    const lines = stdout.split('\n')
    expect(lines[0]).to.match(/^NAME\s+LATEST\s+KIND\s+DESCRIPTION\s+VERSIONS$/)
    expect(lines.find((l) => l.startsWith('greet-fixture'))).to.match(/^greet-fixture\s+1\.3\.0\s+node\s+Greets people \(1\.3\.0\)\s+1\.3\.0, 1\.0\.0$/)
  })

  it('ls --json prints the stable envelope, and uses the hubs of lode.yaml inside a project', async () => {
    writeFileSync(join(project, 'lode.yaml'), 'name: t\nhubs: [../hub]\n')
    const {json, exitCode} = await runCommand(HubLs, ['--json'], project)
    expect(exitCode).to.equal(0)
    expect(json!.ok).to.equal(true)
    const row = json!.data.functions.find((f: {name: string}) => f.name === 'greet-fixture')
    expect(row).to.deep.equal({name: 'greet-fixture', latest: '1.3.0', kind: 'node', description: 'Greets people (1.3.0)', categories: ['examples'], versions: ['1.3.0', '1.0.0'], hub})
  })

  it('show prints handlers with parameters, inputs, outputs, versions and the README', async () => {
    const {stdout, exitCode} = await runCommand(HubShow, ['greet_fixture:1.0.0', '--hub', hub], root)
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('hub://greet-fixture:1.0.0  (node)')
    expect(stdout).to.match(/versions\s+1\.3\.0, 1\.0\.0/)
    expect(stdout).to.contain('HANDLER greet (default)')
    expect(stdout).to.match(/who\s+str\s+required\s+whom to greet/)
    expect(stdout).to.match(/times\s+int\s+default 1\s+how often/)
    expect(stdout).to.match(/INPUTS\n\s+names\s+a csv of names/)
    expect(stdout).to.match(/OUTPUTS\n\s+greeting/)
    expect(stdout).to.contain('README\n\n# greet-fixture')
  })

  it('show --json of an unknown function exits 4 with a not_found error', async () => {
    const {json, exitCode} = await runCommand(HubShow, ['no-such-fn', '--hub', hub, '--json'], root)
    expect(exitCode).to.equal(4)
    expect(json!.ok).to.equal(false)
    expect(json!.error.code).to.equal('not_found')
    expect(json!.error.hint).to.equal('Run: lode hub ls')
  })

  it('pull needs a project, copies the function and records it; local edits need --force', async () => {
    const none = await runCommand(HubPull, ['greet-fixture', '--hub', hub, '--json'], root)
    expect(none.exitCode).to.equal(3)
    const pulled = await runCommand(HubPull, ['greet-fixture:1.0.0', '--hub', hub, '--json'], project)
    expect(pulled.exitCode).to.equal(0)
    expect(pulled.json!.data).to.include({name: 'greet-fixture', version: '1.0.0', path: 'functions/greet-fixture', changed: true})
    expect(YAML.parse(readFileSync(join(project, 'lode.yaml'), 'utf8')).functions['greet-fixture'].source).to.equal('hub://greet-fixture:1.0.0')
    writeFileSync(join(project, 'functions/greet-fixture/greet.ts'), '// edited\n')
    const refused = await runCommand(HubPull, ['greet-fixture', '--hub', hub], project)
    expect(refused.exitCode).to.equal(2)
    expect(refused.stderr).to.match(/Error: functions\/greet-fixture has local edits/)
    expect(refused.stderr).to.contain('Hint: ')
    const forced = await runCommand(HubPull, ['greet-fixture', '--hub', hub, '--force'], project)
    expect(forced.exitCode).to.equal(0)
    expect(forced.stdout).to.contain('Pulled hub://greet-fixture:1.3.0 into functions/greet-fixture (was 1.0.0)')
    const again = await runCommand(HubPull, ['hub://greet-fixture', '--hub', hub], project)
    expect(again.stdout).to.contain('already in functions/greet-fixture; nothing to do')
  })

  it('pull --to .lode or lode.yaml with --force is refused (exit 2) and changes nothing', async () => {
    mkdirSync(join(project, '.lode'))
    writeFileSync(join(project, '.lode', 'lode.db'), 'the store')
    for (const to of ['.lode', 'lode.yaml']) {
      const r = await runCommand(HubPull, ['greet-fixture', '--hub', hub, '--to', to, '--force'], project)
      expect(r.exitCode, r.stderr).to.equal(2)
      expect(r.stderr).to.match(/Error: Cannot pull into .*(store|lode\.yaml)/).and.contain('Hint: ')
    }
    expect(readFileSync(join(project, '.lode', 'lode.db'), 'utf8')).to.equal('the store')
    expect(readFileSync(join(project, 'lode.yaml'), 'utf8')).to.equal('name: t\n')
  })

  it('ls against a hub that trickles bytes is a network error naming the URL (exit 6), not a bug', async function () {
    this.timeout(20_000)
    const server = await serveWith(trickle(20))
    process.env.LODE_HUB_TIMEOUT_MS = '300'
    try {
      const r = await runCommand(HubLs, ['--hub', server.url], root)
      expect(r.exitCode, r.stderr).to.equal(6)
      expect(r.stderr).to.contain(`Cannot fetch ${server.url}index.json`).and.not.contain('bug in lode')
    } finally {
      delete process.env.LODE_HUB_TIMEOUT_MS
      await server.close()
    }
  })

  it('escapes the control characters and bidi overrides of hub text in ls, show and errors; --json stays exact', async () => {
    const hostile = '\x1b]0;PWNED\x07\x1b]52;c;aGk=\x07\u202Eevil'
    const src = join(root, 'hostile-src')
    const dir = writeFunction(src, {name: 'greet-fixture', version: '2.0.0'})
    const yamlText = readFileSync(join(dir, 'function.yaml'), 'utf8')
      .replace('description: Greets people (2.0.0)', 'description: "\\e]0;PWNED\\a\\e]52;c;aGk=\\a\\u202Eevil"')
      .replace('doc: Say hello.', 'doc: "hello \\e[2J\\u202E"')
    writeFileSync(join(dir, 'function.yaml'), yamlText)
    writeFileSync(join(dir, 'README.md'), `# greet\n\n${hostile}\n`)
    const packed = join(root, 'hostile')
    expect((await runCommand(HubPack, [src, '--out', packed], root)).exitCode).to.equal(0)
    const raw = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
    const ls = await runCommand(HubLs, ['--hub', packed], root)
    expect(ls.exitCode).to.equal(0)
    expect(ls.stdout).to.not.match(raw)
    expect(ls.stdout).to.contain('\\x1b]0;PWNED\\x07')
    const lsJson = await runCommand(HubLs, ['--hub', packed, '--json'], root)
    expect(lsJson.json!.data.functions.find((f: {name: string}) => f.name === 'greet-fixture').description).to.equal(hostile)
    const show = await runCommand(HubShow, ['greet-fixture:2.0.0', '--hub', packed], root)
    expect(show.exitCode).to.equal(0)
    expect(show.stdout).to.not.match(raw)
    expect(show.stdout).to.contain('\\x1b]52;c;aGk=\\x07\\u202eevil').and.contain('hello \\x1b[2J\\u202e')
    const showJson = await runCommand(HubShow, ['greet-fixture:2.0.0', '--hub', packed, '--json'], root)
    expect(showJson.json!.data.description).to.equal(hostile)
    expect(showJson.json!.data.readme).to.contain(hostile)
    // a version in the index that is no version: the error names it escaped
    const index = JSON.parse(readFileSync(join(packed, 'index.json'), 'utf8'))
    const fn = index.functions['greet-fixture']
    fn.versions['2.0.0\u202E1'] = fn.versions['2.0.0']
    writeFileSync(join(packed, 'index.json'), JSON.stringify(index))
    const bad = await runCommand(HubShow, ['greet-fixture', '--hub', packed], root)
    expect(bad.exitCode).to.equal(5)
    expect(bad.stderr).to.contain('2.0.0\\u202e1').and.not.match(raw)
    const badJson = await runCommand(HubShow, ['greet-fixture', '--hub', packed, '--json'], root)
    expect(badJson.json!.error.message).to.contain('2.0.0\u202E1')
  })

  it('pack writes a hub that works as an http URL source', async () => {
    const out = join(root, 'packed')
    const packed = await runCommand(HubPack, [hub, '--out', out, '--json'], root)
    expect(packed.exitCode).to.equal(0)
    expect(packed.json!.data.functions.map((f: {file: string}) => f.file)).to.deep.equal(['greet-fixture-1.0.0.tgz', 'greet-fixture-1.3.0.tgz'])
    expect(existsSync(join(out, 'index.json'))).to.equal(true)
    const server = await serveFolder(out)
    try {
      const shown = await runCommand(HubShow, ['greet-fixture', '--hub', server.url, '--json'], root)
      expect(shown.exitCode).to.equal(0)
      expect(shown.json!.data).to.include({name: 'greet-fixture', version: '1.3.0', hub: server.url})
      expect(shown.json!.data.sha256).to.equal(packed.json!.data.functions[1].sha256)
    } finally {
      await server.close()
    }
  })
})
