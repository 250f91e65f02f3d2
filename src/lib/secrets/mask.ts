// Masking secret values in what a handler writes and sends, before lode writes or shows it.

export const MASK = '***'

export interface SecretMask {
  /** the text with every secret value replaced by *** */
  text(s: string): string
  /** a parsed event (or any JSON value) with every string, keys included, masked */
  value<T>(v: T): T
  /**
   * The next chunk of a stream's bytes, masked, and not decoded: bytes that are not UTF-8 stay as they came. A value
   * may arrive split over two chunks: a tail that could begin one is held back until the next chunk, or until flush.
   * The answer may be `bytes` itself, when there was nothing to mask or hold back.
   */
  chunk(stream: string, bytes: Uint8Array): Uint8Array
  /** what is still held back of a stream (at its end) */
  flush(stream: string): Uint8Array
}

const EMPTY = new Uint8Array(0)

const NONE: SecretMask = {text: (s) => s, value: (v) => v, chunk: (_stream, bytes) => bytes, flush: () => EMPTY}

const MASK_BYTES = Buffer.from(MASK)

export function createMask(values: Iterable<string>): SecretMask {
  const forms = [...values].flatMap((v) => [
    v,
    // as JSON.stringify writes it (a handler printing JSON), and each line of a multi-line value (a key file)
    JSON.stringify(v).slice(1, -1),
    ...(v.includes('\n') ? v.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 4) : []),
  ])
  // longest first, so that a value holding another is masked whole
  const secrets = [...new Set(forms.filter((v) => v.length > 0))].sort((a, b) => b.length - a.length)
  if (secrets.length === 0) return NONE
  const text = (s: string) => {
    let out = s
    for (const v of secrets) if (out.includes(v)) out = out.split(v).join(MASK)
    return out
  }
  const value = <T>(v: T): T => {
    if (typeof v === 'string') return text(v) as T
    if (Array.isArray(v)) return v.map(value) as T
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), value(x)])) as T
    return v
  }
  // UTF-8 is self-synchronizing: a value's bytes found in the output are the value, never the end of one character
  // and the start of another, so masking bytes masks what decoding and masking the text would
  const encoded = secrets.map((v) => Buffer.from(v, 'utf8'))
  const longest = Math.max(...encoded.map((v) => v.length))
  const firstBytes = new Set(encoded.map((v) => v[0]!))
  const maskBytes = (bytes: Buffer): Buffer => {
    let out = bytes
    for (const v of encoded) {
      let at = out.indexOf(v)
      if (at < 0) continue
      const parts: Buffer[] = []
      let from = 0
      for (; at >= 0; at = out.indexOf(v, from)) {
        parts.push(out.subarray(from, at), MASK_BYTES)
        from = at + v.length
      }
      parts.push(out.subarray(from))
      out = Buffer.concat(parts)
    }
    return out
  }
  /** how many bytes at the end of `bytes` could begin a secret */
  const openTail = (bytes: Buffer) => {
    for (let n = Math.min(bytes.length, longest - 1); n > 0; n--) {
      const at = bytes.length - n
      if (!firstBytes.has(bytes[at]!)) continue
      if (encoded.some((v) => v.length > n && bytes.compare(v, 0, n, at) === 0)) return n
    }
    return 0
  }
  const held = new Map<string, Buffer>()
  return {
    text,
    value,
    chunk(stream, bytes) {
      const before = held.get(stream)
      const joined = before?.length ? Buffer.concat([before, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const masked = maskBytes(joined)
      const n = openTail(masked)
      // a copy: the chunk's buffer may be reused once this returns
      held.set(stream, Buffer.from(masked.subarray(masked.length - n)))
      return n ? masked.subarray(0, masked.length - n) : masked
    },
    flush(stream) {
      const rest = held.get(stream) ?? EMPTY
      held.delete(stream)
      return rest
    },
  }
}
