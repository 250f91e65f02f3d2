// A handler's stdout and stderr read into one reused buffer each (net.Socket's `onread`): a pipe's 'data' events
// allocate a new 64 KiB buffer per read, which for 64 MB of output costs about as much again as keeping the bytes.
// Node gives `onread` only to sockets it makes itself, not to a child's pipes, so lode's end of each pipe Node made
// (a Unix socketpair on Linux and macOS) is taken over, at once, by a socket of its own made with `onread` from the
// same handle: the way Node itself makes a child's stdio sockets (`{handle}`). No bytes can have been read before,
// since reads happen only when the event loop next polls. Where that handle is not there (the process could not be
// started, a Node without it), the pipe's 'data' events serve.
import {Socket} from 'node:net'
import type {Readable} from 'node:stream'

/** Bytes read at a time: a writer such as cat writes 128 KiB at once, which one read then takes whole. */
const READ_BYTES = 256 * 1024

/**
 * A socket reading `pipe`'s bytes into one buffer, `onChunk` getting each read (valid only during the call); `pipe`
 * is then closed without closing the handle it gave up. Null when it cannot be taken over: read `pipe` itself then.
 */
export function readIntoBuffer(pipe: Readable | null | undefined, onChunk: (chunk: Buffer) => void): Socket | null {
  const owner = pipe as unknown as {_handle?: object | null} | null | undefined
  const handle = owner?._handle
  if (!pipe || !handle || !(pipe instanceof Socket)) return null
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  let ours: Socket
  try {
    ours = new Socket({handle, readable: true, writable: false, onread: {buffer, callback: (n: number) => {
      onChunk(buffer.subarray(0, n))
      return true
    }}} as ConstructorParameters<typeof Socket>[0])
  } catch {
    return null
  }
  owner._handle = null
  pipe.destroy()
  // a reset (the handler's side gone) ends the stream as an end of file would: nothing to report
  ours.on('error', () => {})
  return ours
}
