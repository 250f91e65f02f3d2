// `lode ui`'s server without a browser: the token on every request, the JSON API over a real store, artifact bytes
// verified and sandboxed, no path outside the store, and the command itself (ready, --host refusals, Ctrl-C).
import {expect} from 'chai'
import {chmodSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {request} from 'node:http'
import {connect} from 'node:net'
import {lode, lodeAsync} from '../helpers/project.ts'
import {Project} from '../../src/lib/project/project.ts'
import {startUiServer, type UiServer} from '../../src/lib/ui/server.ts'
import {HOSTILE_HTML, uiFixture} from './fixture.ts'

const TOKEN = 'server-test-token-0123456789'

/** A raw GET (no URL normalisation by a client library): status, headers and body. */
function get(server: UiServer, path: string, headers: Record<string, string> = {}): Promise<{status: number; headers: Record<string, string | string[] | undefined>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port: server.port, path, headers}, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}))
    })
    req.on('error', reject).end()
  })
}

describe('lode ui server', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof uiFixture>>
  let server: UiServer
  const api = async (path: string) => {
    const r = await get(server, `${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}`)
    return {status: r.status, headers: r.headers, body: r.body, json: r.headers['content-type']?.toString().startsWith('application/json') ? JSON.parse(r.body) : null}
  }

  before(async () => {
    t = await uiFixture()
    server = await startUiServer(t.project.store, {host: '127.0.0.1', port: 0, token: TOKEN})
  })

  after(async () => {
    await server?.close()
    t?.cleanup()
  })

  it('refuses every request without the token, or with a wrong one (403)', async () => {
    for (const path of ['/', '/app.js', '/api/runs', `/api/runs/${t.runs[0]!.uid}`, '/api/artifacts/1/raw', '/api/events']) {
      expect((await get(server, path)).status, path).to.equal(403)
      expect((await get(server, `${path}?token=wrong-token-0123456789abc`)).status, path).to.equal(403)
      expect((await get(server, path, {'x-lode-token': TOKEN.slice(0, -1)})).status, path).to.equal(403)
    }
    const page = await get(server, `/?token=${TOKEN}`)
    expect(page.status).to.equal(200)
    expect(page.body).to.include(`src="app.js?token=${TOKEN}"`)
    expect(page.headers['content-security-policy']).to.include("script-src 'self'")
  })

  it('answers a page of runs, filtered and sorted with the --where grammar, with the total', async () => {
    const all = await api('/api/runs')
    expect(all.json.total).to.equal(3)
    expect(all.json.runs.map((r: {uid: string}) => r.uid)).to.deep.equal(t.runs.map((r) => r.uid).reverse())
    const some = await api(`/api/runs?where=${encodeURIComponent('params.lr >= 0.2')}&sort=params.lr`)
    expect(some.json.total).to.equal(2)
    expect(some.json.runs.map((r: {params: {lr: number}}) => r.params.lr)).to.deep.equal([0.2, 0.3])
    const paged = await api('/api/runs?limit=1&offset=1&sort=-results.accuracy')
    expect(paged.json.total).to.equal(3)
    expect(paged.json.runs.map((r: {uid: string}) => r.uid)).to.deep.equal([t.runs[1]!.uid])
    const bad = await api(`/api/runs?where=${encodeURIComponent('params.lr >')}`)
    expect(bad.status).to.equal(400)
    expect(bad.json.error.message).to.match(/expected a value after ">"/)
    expect((await api('/api/runs?limit=-1')).status).to.equal(400)
  })

  it('answers a run, its log, its artifacts, lineage, a diff, a compare and the workflows', async () => {
    const [a, b, c] = t.runs
    const run = await api(`/api/runs/${a!.uid.slice(0, 8)}`)
    expect(run.json.run.params).to.deep.equal({lr: 0.1, depth: 2})
    expect(run.json.artifacts.map((v: {key: string}) => v.key).sort()).to.deep.equal(['chart', 'data', 'model', 'page'])
    const data = run.json.artifacts.find((v: {key: string}) => v.key === 'data')
    expect(data.meta.dataset.stats.find((s: {name: string}) => s.name === 'x').histogram.counts.length).to.be.greaterThan(0)
    const log = await api(`/api/runs/${a!.uid}/log`)
    expect(log.json.text).to.include('trained with lr 0.1 depth 2')
    const more = await api(`/api/runs/${a!.uid}/log?from=${log.json.next}`)
    expect(more.json.text).to.equal('')
    expect((await api('/api/runs/ffffffff')).status).to.equal(404)
    const lineage = await api(`/api/artifacts/${data.id}/lineage`)
    expect(lineage.status).to.equal(200)
    const other = t.project.store.artifacts.resolve({key: 'data', producer: c!.uid})
    const diff = await api(`/api/diff?a=${data.id}&b=${other.id}`)
    expect(diff.json.text).to.match(/data v\d+ \(dataset\) -> data v\d+ \(dataset\)/)
    const cmp = await api(`/api/compare?uids=${[a, b, c].map((r) => r!.uid).join(',')}`)
    expect(cmp.json.comparison.rows.find((r: {key: string}) => r.key === 'lr').same).to.equal(false)
    expect((await api(`/api/compare?uids=${a!.uid}`)).status).to.equal(400)
    expect((await api('/api/workflows')).json.workflows).to.deep.equal([])
  })

  it("serves an artifact's bytes verified, HTML under a CSP sandbox, and refuses corrupt bytes", async () => {
    const page = t.project.store.artifacts.resolve({key: 'page'})
    const raw = await api(`/api/artifacts/${page.id}/raw`)
    expect(raw.status).to.equal(200)
    expect(raw.body).to.equal(HOSTILE_HTML)
    expect(raw.headers['content-security-policy']).to.match(/^sandbox;/)
    expect(raw.headers['x-content-type-options']).to.equal('nosniff')
    const dl = await api(`/api/artifacts/${page.id}/raw?download=1`)
    expect(dl.headers['content-disposition']).to.match(/^attachment; filename="page\.html"/)
    const model = t.project.store.artifacts.resolve({key: 'model'})
    expect((await api(`/api/artifacts/${model.id}/raw?file=model.bin`)).body).to.equal('weights 0.3')
    // a corrupt object is refused, not served
    const chart = t.project.store.artifacts.resolve({key: 'chart'})
    const path = t.project.store.objects.path(chart.sha256)
    chmodSync(path, 0o644)
    writeFileSync(path, '<svg>tampered</svg>')
    const bad = await api(`/api/artifacts/${chart.id}/raw`)
    expect(bad.status).to.equal(500)
    expect(bad.json.error.code).to.equal('integrity')
    expect(bad.body).not.to.include('tampered')
  })

  it('never serves a path outside the store', async () => {
    const model = t.project.store.artifacts.resolve({key: 'model'})
    for (const file of ['../../lode.db', '/etc/passwd', '../model.bin', 'model.bin/../../x']) {
      const r = await api(`/api/artifacts/${model.id}/raw?file=${encodeURIComponent(file)}`)
      expect(r.status, file).to.equal(404)
    }
    for (const path of ['/../lode.db', '/%2e%2e/%2e%2e/lode.yaml', '/app.js/../../lode.yaml', '/.lode/lode.db', '/dist/ui/app.js', '/etc/passwd']) {
      const r = await get(server, `${path}?token=${TOKEN}`)
      expect(r.body, path).not.to.include('SQLite')
      expect(r.body, path).not.to.include('name: uitest')
      expect(r.body, path).not.to.include('root:')
    }
  })

  it('sends an event when another process commits to the store', async () => {
    // another connection, as another lode process would be (SQLite's data_version ignores a connection's own commits)
    const other = await Project.open(t.dir)
    let tagged = false
    const events = await new Promise<string>((resolve, reject) => {
      const req = request({host: '127.0.0.1', port: server.port, path: `/api/events?token=${TOKEN}`}, (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk
          if (text.includes('retry:') && !tagged) {
            tagged = true
            other.store.artifacts.setTag(other.store.artifacts.resolve({key: 'data'}), 'seen')
          }
          if (text.includes('event: store')) {
            req.destroy()
            resolve(text)
          }
        })
      })
      req.on('error', reject).end()
    })
    other.close()
    expect(events).to.match(/event: store\ndata: \{"version":\d+\}/)
  })
})

/** One request written by hand: a request line no client library would send. */
function rawRequest(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`${lines.join('\r\n')}\r\n\r\n`))
    let text = ''
    socket.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject)
  })
}

describe('lode ui server: hostile requests', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof uiFixture>>
  let server: UiServer

  before(async () => {
    t = await uiFixture([{lr: 0.1, depth: 2}])
    server = await startUiServer(t.project.store, {host: '127.0.0.1', port: 0, token: ''})
  })

  after(async () => {
    await server?.close()
    t?.cleanup()
  })

  it('answers a request line that is no URL with 400, and keeps serving', async () => {
    for (const target of ['http://[', 'http://a:99999/', 'http://[::1/x']) {
      const answer = await rawRequest(server.port, [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, 'Connection: close'])
      expect(answer, target).to.match(/^HTTP\/1\.1 400 /)
    }
    expect((await get(server, '/api/runs')).status).to.equal(200)
  })

  it('without a token, refuses a Host that is not this machine (DNS rebinding)', async () => {
    for (const host of [`attacker.example:${server.port}`, 'attacker.example', `127.0.0.1.attacker.example:${server.port}`, `localhost.attacker.example:${server.port}`]) {
      for (const path of ['/', '/api/runs', '/api/artifacts', '/api/events']) {
        const r = await get(server, path, {Host: host})
        expect(r.status, `${host} ${path}`).to.equal(403)
        expect(r.body, `${host} ${path}`).not.to.include(t.runs[0]!.uid)
      }
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, '127.0.0.1', `LOCALHOST:${server.port}`]) {
      const r = await get(server, '/api/runs', {Host: host})
      expect(r.status, host).to.equal(200)
      expect(r.body, host).to.include(t.runs[0]!.uid)
    }
  })
})

describe('lode ui server: pages of a sorted list', function () {
  this.timeout(60_000)

  it('keeps a sorted list between pages, and sees a run another process adds', async () => {
    const t = await uiFixture()
    const server = await startUiServer(t.project.store, {host: '127.0.0.1', port: 0, token: TOKEN})
    const page = async (q: string) => JSON.parse((await get(server, `/api/runs?token=${TOKEN}&${q}`)).body) as {total: number; runs: {uid: string}[]}
    try {
      const first = await page('sort=-params.lr&limit=2')
      const second = await page('sort=-params.lr&limit=2&offset=2')
      expect([...first.runs, ...second.runs].map((r) => r.uid)).to.deep.equal(t.runs.map((r) => r.uid).reverse())
      const other = await Project.open(t.dir)
      other.store.runs.create({...t.runs[0]!, uid: 'f'.repeat(32), params: {lr: 9}, created: Date.now()})
      other.close()
      const after = await page('sort=-params.lr&limit=2')
      expect(after.total).to.equal(4)
      expect(after.runs[0]!.uid).to.equal('f'.repeat(32))
    } finally {
      await server.close()
      t.cleanup()
    }
  })
})

describe('lode ui (the command)', function () {
  this.timeout(60_000)

  it('prints its URL with a token, serves it, and ends on SIGTERM', async () => {
    const t = await uiFixture([])
    const child = lodeAsync(['ui', '--port', '0'], {cwd: t.dir})
    try {
      let out = ''
      child.child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
      const deadline = Date.now() + 30_000
      while (!/\?token=/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      const url = new URL(out.trim())
      expect(url.hostname).to.equal('127.0.0.1')
      expect(url.searchParams.get('token')).to.match(/^[A-Za-z0-9_-]{32}$/)
      expect((await fetch(url)).status).to.equal(200)
      expect((await fetch(new URL('/api/runs', url))).status).to.equal(403)
      child.child.kill('SIGTERM')
      expect((await child).code).to.equal(0)
    } finally {
      child.child.kill('SIGKILL')
      t.cleanup()
    }
  })

  it('refuses --host 0.0.0.0 without a token, and a port in use, with exit 2', async () => {
    const t = await uiFixture([])
    try {
      const open = lode(['ui', '--host', '0.0.0.0', '--token', ''], {cwd: t.dir})
      expect(open.code).to.equal(2)
      expect(open.stderr).to.match(/refuses to start without a token/)
      const short = lode(['ui', '--token', 'abc'], {cwd: t.dir})
      expect(short.code).to.equal(2)
      const busy = await startUiServer(t.project.store, {host: '127.0.0.1', port: 0, token: TOKEN})
      try {
        const r = lode(['ui', '--port', String(busy.port)], {cwd: t.dir})
        expect(r.code).to.equal(2)
        expect(r.stderr).to.match(/is in use/)
      } finally {
        await busy.close()
      }
    } finally {
      t.cleanup()
    }
  })
})

describe('lode ui: a workflow DAG', function () {
  this.timeout(60_000)

  it("has its edges from the workflow file, and from its steps' runs once the file is gone", async () => {
    const t = await uiFixture([])
    try {
      t.write('wf.ts', "export async function make(ctx) { await ctx.logArtifact('out', {body: 'made'}, {format: 'txt'}) }\nexport async function use(ctx, {src}) { ctx.logResult('n', 1) }\n")
      t.write('wf.yaml', 'steps:\n  make: {function: wf.ts, handler: make, outputs: [out]}\n  use:\n    function: wf.ts\n    handler: use\n    inputs: {src: "{{ steps.make.outputs.out }}"}\n')
      const r = lode(['workflow', 'run', 'wf.yaml'], {cwd: t.dir})
      expect(r.code, r.stderr).to.equal(0)
      const {apiWorkflow} = await import('../../src/lib/ui/api.ts')
      const id = t.project.store.workflows.list()[0]!.id
      expect((await apiWorkflow(t.project.store, id)).edges).to.deep.equal([['make', 'use']])
      rmSync(join(t.dir, 'wf.yaml'))
      expect((await apiWorkflow(t.project.store, id)).edges).to.deep.equal([['make', 'use']])
    } finally {
      t.cleanup()
    }
  })
})
