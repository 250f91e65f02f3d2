// A handler's stdout and stderr as sockets lode reads into one reused buffer each (net.Socket's `onread`): a pipe's
// 'data' events allocate a new 64 KiB buffer per read, which for 64 MB of output costs about as much again as keeping
// the bytes. Node gives `onread` only to sockets it connects, so each pair is made through a listener on an abstract
// unix address (Linux; no file anywhere), one per lode process, made with the first run. Anyone on the machine can see
// that address and connect: a connection is paired with lode's end only by a random token lode's end sends first, and
// any other is closed. Where none of this is possible (not Linux, the listener failed), the handler gets pipes.
import {createServer, connect, type Server, type Socket} from 'node:net'
import {randomHex} from '../util/hash.ts'

/** Bytes read at a time: a writer such as cat writes 128 KiB at once, which one read then takes whole. */
const READ_BYTES = 256 * 1024
const TOKEN_BYTES = 16
const CLAIM_MS = 2000

/** Lode's end (read with `onread`) and the handler's end (its stdout or stderr) of one stream. */
export interface OutputSocket {
  ours: Socket
  theirs: Socket
}

let listener: Promise<{server: Server; path: string} | null> | null = null
/** token (hex) -> who waits for the connection that sends it */
const waiting = new Map<string, (theirs: Socket) => void>()

function listen(): Promise<{server: Server; path: string} | null> {
  if (process.platform !== 'linux') return Promise.resolve(null)
  return (listener ??= new Promise((resolve) => {
    const path = `\0lode-output-${process.pid}-${randomHex(8)}`
    const server = createServer((socket) => claim(socket))
    // before it listens: no listener, pipes serve; after (a failed accept, out of fds): that connection is lost, its
    // pair then falls back to pipes when its end closes
    server.on('error', () => {
      if (server.listening) return
      listener = null
      resolve(null)
    })
    server.listen(path, () => {
      server.unref()
      resolve({server, path})
    })
  }))
}

/** A connection: the first TOKEN_BYTES say which of lode's ends it belongs to, or it is closed. */
function claim(socket: Socket): void {
  socket.on('error', () => socket.destroy())
  // lode's own end is what keeps lode waiting, never the other one
  socket.unref()
  // lode's own end sends its token at once: a connection that says nothing is not lode's, and holds no fd for long
  socket.setTimeout(CLAIM_MS, () => socket.destroy())
  let got = Buffer.alloc(0)
  const onData = (data: Buffer) => {
    got = Buffer.concat([got, data])
    if (got.length < TOKEN_BYTES) return
    socket.removeListener('data', onData)
    socket.setTimeout(0)
    socket.pause()
    const take = got.length === TOKEN_BYTES ? waiting.get(got.toString('hex')) : undefined
    if (!take) return socket.destroy()
    waiting.delete(got.toString('hex'))
    take(socket)
  }
  socket.on('data', onData)
}

/** One stream's pair; `onChunk` gets each read's bytes, valid only during the call. Null when pipes must serve. */
async function pair(onChunk: (chunk: Buffer) => void): Promise<OutputSocket | null> {
  const at = await listen()
  if (!at) return null
  // from the kernel's random source (util/hash.ts): loading node:crypto would cost a small run ~7 ms
  const key = randomHex(TOKEN_BYTES)
  const token = Buffer.from(key, 'hex')
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  return new Promise((resolve) => {
    const ours = connect({path: at.path, onread: {buffer, callback: (n: number) => {
      onChunk(buffer.subarray(0, n))
      return true
    }}})
    const fail = () => {
      clearTimeout(timer)
      waiting.delete(key)
      ours.destroy()
      resolve(null)
    }
    // never claimed (the listener could not accept it): pipes rather than a run that never starts
    const timer = setTimeout(fail, CLAIM_MS)
    ours.once('error', fail)
    ours.once('close', fail)
    waiting.set(key, (theirs) => {
      clearTimeout(timer)
      ours.removeListener('error', fail)
      ours.removeListener('close', fail)
      // a reset (the handler's side gone) ends the stream as an end of file would: nothing to report
      ours.on('error', () => {})
      theirs.on('error', () => {})
      resolve({ours, theirs})
    })
    ours.write(token)
  })
}

/** The handler's stdout and stderr pairs, or null (pipes then). */
export async function outputSockets(onChunk: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<{stdout: OutputSocket; stderr: OutputSocket} | null> {
  const [stdout, stderr] = await Promise.all([pair((c) => onChunk('stdout', c)), pair((c) => onChunk('stderr', c))])
  if (stdout && stderr) return {stdout, stderr}
  for (const s of [stdout, stderr]) {
    s?.ours.destroy()
    s?.theirs.destroy()
  }
  return null
}
