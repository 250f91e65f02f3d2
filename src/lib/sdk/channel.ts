// The handler's side of the event pipe: one JSON line per event, written synchronously so none is lost on exit.
import {writeSync} from 'node:fs'
import {ENV, type HandlerEvent} from '../types.ts'

type EventBody = HandlerEvent extends infer E ? (E extends {ts: number} ? Omit<E, 'ts'> : never) : never

export class EventChannel {
  private readonly fd: number

  constructor(fd: number) {
    this.fd = fd
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): EventChannel | null {
    const fd = Number(env[ENV.eventFd])
    return Number.isInteger(fd) && fd > 2 ? new EventChannel(fd) : null
  }

  send(event: EventBody): void {
    const line = JSON.stringify({...event, ts: Date.now()}) + '\n'
    const buf = Buffer.from(line)
    let off = 0
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') continue
        if (code === 'EPIPE' || code === 'EBADF') return // lode is gone; nothing to report to
        throw error
      }
    }
  }
}
