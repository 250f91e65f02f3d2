// The UI's access token: random, in the URL printed at start (as Jupyter does), checked on every request.
import {randomBytes, timingSafeEqual} from 'node:crypto'
import {UserError} from '../errors.ts'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * Whether a request's Host header names this machine's loopback (`localhost:4400`, `127.0.0.1`, `[::1]:4400`). A page
 * of another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name here.
 */
export function isLoopbackHostHeader(header: string): boolean {
  const m = /^(?:\[([^\]]*)\]|([^:]*))(?::\d*)?$/.exec(header.trim().toLowerCase())
  return m !== null && isLoopback(m[1] ?? m[2]!)
}

/**
 * The token to require: the one given (at least 16 characters), a new random one, or none ('' given) on a loopback
 * host only: anyone who can reach a wider address could otherwise read the store.
 */
export function chooseToken(given: string | undefined, host: string): string {
  if (given === undefined) return newToken()
  if (given === '') {
    if (!isLoopback(host)) throw new UserError(`lode ui --host ${host} refuses to start without a token: anyone who reaches that address could read every run and artifact.`, 'Drop --token (a random one is made), or give --token with at least 16 characters.')
    return ''
  }
  if (given.length < 16 || !/^[A-Za-z0-9_-]+$/.test(given)) throw new UserError('--token must be at least 16 letters, digits, "-" or "_".', 'Drop --token to have a random one made.')
  return given
}

/** Compared in constant time, so a wrong guess tells nothing of the right one. */
export function tokenMatches(expected: string, given: string | null): boolean {
  if (expected === '') return true
  if (given === null) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
