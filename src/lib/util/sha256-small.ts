// SHA-256 (FIPS 180-4) in plain JavaScript, for a few kilobytes: a command line, a handler file. Loading node:crypto
// costs ~8 ms of a run's start-up, more than hashing that little here. The digest is the same (tests compare them).

/** The first 32 bits of the fractional parts of the square roots (H0) and cube roots (K) of the first primes. */
const PRIMES = (() => {
  const out: number[] = []
  for (let n = 2; out.length < 64; n++) if (out.every((p) => n % p !== 0)) out.push(n)
  return out
})()
const frac32 = (x: number) => ((x - Math.floor(x)) * 2 ** 32) >>> 0
const H0 = PRIMES.slice(0, 8).map((p) => frac32(Math.sqrt(p)))
const K = Int32Array.from(PRIMES, (p) => frac32(Math.cbrt(p)))

/** Up to this many bytes, sha256Small is faster than loading node:crypto for one digest. */
export const SMALL_HASH_LIMIT = 8 * 1024

/** The sha256 of `data` as hex (a string is hashed as UTF-8). */
export function sha256Small(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  // the message, a 1 bit, zeros, and its length in bits as 64 bits, to a whole number of 64-byte blocks
  const blocks = Math.ceil((bytes.length + 9) / 64)
  const padded = new Uint8Array(blocks * 64)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 2 ** 29))
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0)
  const h = Int32Array.from(H0)
  const w = new Int32Array(64)
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(b * 64 + i * 4)
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!
      const y = w[i - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
    }
    let a = h[0]!, bb = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0
      hh = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = bb
      bb = a
      a = (t1 + t2) | 0
    }
    h[0] = (h[0]! + a) | 0
    h[1] = (h[1]! + bb) | 0
    h[2] = (h[2]! + c) | 0
    h[3] = (h[3]! + d) | 0
    h[4] = (h[4]! + e) | 0
    h[5] = (h[5]! + f) | 0
    h[6] = (h[6]! + g) | 0
    h[7] = (h[7]! + hh) | 0
  }
  let hex = ''
  for (const x of h) hex += (x >>> 0).toString(16).padStart(8, '0')
  return hex
}
