// Downloads from a hub URL end in time: a server that never answers, trickles or stalls is a network error (exit 6)
// naming the URL, after LODE_HUB_TIMEOUT_MS (short here), never a hang or a bug. Which of the two limits (silence,
// too slow on average) trips first depends on the machine's load, so both are accepted where both apply.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {LodeError} from '../../../src/lib/errors.ts'
import {listHub} from '../../../src/lib/hub/catalog.ts'
import {packHub} from '../../../src/lib/hub/pack.ts'
import {resolveHubRef} from '../../../src/lib/hub/resolve.ts'
import type {HubSource} from '../../../src/lib/hub/types.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'
import {serveWith, trickle} from './http-hub.ts'

describe('hub/catalog: downloads that do not finish', function () {
  this.timeout(20_000) // without timeouts of their own these took 60 s each
  let root: string
  let saved: string | undefined
  beforeEach(() => {
    root = tempDir('catalog')
    saved = process.env.LODE_HUB_TIMEOUT_MS
    process.env.LODE_HUB_TIMEOUT_MS = '300'
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.LODE_HUB_TIMEOUT_MS
    else process.env.LODE_HUB_TIMEOUT_MS = saved
    removeDir(root)
  })

  async function expectNetworkError(promise: Promise<unknown>, url: string, pattern: RegExp): Promise<void> {
    try {
      await promise
    } catch (error) {
      expect(error).to.be.instanceOf(LodeError)
      expect((error as LodeError).exitCode, (error as Error).message).to.equal(6)
      expect((error as Error).message).to.contain(url).and.match(pattern)
      expect((error as LodeError).hint).to.contain('LODE_HUB_TIMEOUT_MS')
      return
    }
    expect.fail('the download should have failed')
  }

  const sourceOf = (url: string): HubSource[] => [{type: 'url', url}]

  it('gives up on a server that accepts and never answers', async () => {
    const server = await serveWith(() => {})
    try {
      await expectNetworkError(listHub(sourceOf(server.url)), `${server.url}index.json`, /no answer within 0\.3 s/)
    } finally {
      await server.close()
    }
  })

  it('gives up on a server that trickles a byte at a time', async () => {
    const server = await serveWith(trickle(20))
    try {
      await expectNetworkError(listHub(sourceOf(server.url)), `${server.url}index.json`, /too slow|no data/)
    } finally {
      await server.close()
    }
  })

  it('gives up on a server that stops sending in the middle', async () => {
    const server = await serveWith((_req, res) => {
      res.writeHead(200, {'content-length': '1000'})
      res.write('{"schema": 1,')
    })
    try {
      await expectNetworkError(listHub(sourceOf(server.url)), `${server.url}index.json`, /no data for 0\.3 s|too slow/)
    } finally {
      await server.close()
    }
  })

  it('gives up on a package that trickles, naming the package URL', async () => {
    const packed = join(root, 'packed')
    writeFunction(join(root, 'src'), {name: 'greet', version: '1.0.0'})
    packHub(join(root, 'src'), packed)
    const index = readFileSync(join(packed, 'index.json'))
    const slow = trickle(20)
    const server = await serveWith((req, res) => (req.url?.endsWith('index.json') ? res.writeHead(200).end(index) : slow(req, res)))
    try {
      await expectNetworkError(resolveHubRef('hub://greet', {sources: sourceOf(server.url), cacheDir: join(root, 'cache')}), `${server.url}greet-1.0.0.tgz`, /too slow|no data/)
    } finally {
      await server.close()
    }
  })

  it('refuses a LODE_HUB_TIMEOUT_MS that is not a positive number (exit 2)', async () => {
    process.env.LODE_HUB_TIMEOUT_MS = 'soon'
    try {
      await listHub(sourceOf('http://127.0.0.1:9/hub/'))
      expect.fail('should be refused')
    } catch (error) {
      expect((error as LodeError).exitCode).to.equal(2)
      expect((error as Error).message).to.contain('LODE_HUB_TIMEOUT_MS')
    }
  })
})
