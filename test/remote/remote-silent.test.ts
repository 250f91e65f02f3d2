// A remote server that takes the connection and then says nothing (before answering, or in the middle of a body):
// lode push ends with exit 10 and says the remote did not answer, instead of waiting for ever.
import {expect} from 'chai'
import {rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {join} from 'node:path'
import {json, lodeAsync, tempDir} from '../helpers/project.ts'

/** A TCP server on 127.0.0.1 that does `onConnection` with every socket and never closes one itself. */
async function silentServer(onConnection: (socket: Socket) => void): Promise<{server: Server; endpoint: string; sockets: Set<Socket>}> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {server, endpoint: `http://127.0.0.1:${port}`, sockets}
}

describe('remote: a server that goes silent', function () {
  let root: string
  let stop: (() => Promise<void>) | undefined
  beforeEach(() => (root = tempDir('lode-remote-silent-')))
  afterEach(async () => {
    await stop?.()
    rmSync(root, {recursive: true, force: true})
  })

  const env = {
    AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
    LODE_REMOTE_TIMEOUT_MS: '300', LODE_REMOTE_ATTEMPTS: '2',
  }
  const pushTo = async (endpoint: string) => {
    expect((await lodeAsync(['init', 'p'], {cwd: root})).code).to.equal(0)
    const dir = join(root, 'p')
    writeFileSync(join(dir, 'f.txt'), 'bytes\n')
    const made = await lodeAsync(['run', '--kind', 'exec', '-o', 'f', '--', 'sh', '-c', 'lode log artifact f f.txt'], {cwd: dir})
    expect(made.code, made.stderr).to.equal(0)
    expect((await lodeAsync(['remote', 'add', 'origin', 's3://lode/p', '--endpoint', endpoint], {cwd: dir})).code).to.equal(0)
    return lodeAsync(['push', '--json'], {cwd: dir, env})
  }

  for (const [what, onConnection] of [
    ['takes the connection and never answers', () => undefined],
    // headers, then a part of the body, then nothing
    ['starts an answer and stops in the middle of its body', (socket: Socket) => socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"proj'))],
  ] as const) {
    it(`${what}: push ends with exit 10 and says the remote did not answer`, async () => {
      const s = await silentServer(onConnection)
      stop = async () => {
        for (const socket of s.sockets) socket.destroy()
        await new Promise((resolve) => s.server.close(resolve))
      }
      const pushed = await pushTo(s.endpoint)
      expect(pushed.code, pushed.stderr + pushed.stdout).to.equal(10)
      expect(json(pushed).error.message).to.include('did not answer')
    })
  }
})
