// Masking secret values in what a handler writes and sends, before lode writes or shows it.

export const MASK = '***'

export interface SecretMask {
  /** the text with every secret value replaced by *** */
  text(s: string): string
  /** a parsed event (or any JSON value) with every string, keys included, masked */
  value<T>(v: T): T
  /**
   * The next chunk of a stream, masked. A value may arrive split over two chunks: a tail that could begin one is
   * held back until the next chunk, or until flush.
   */
  chunk(stream: string, s: string): string
  /** what is still held back of a stream (at its end) */
  flush(stream: string): string
}

const NONE: SecretMask = {text: (s) => s, value: (v) => v, chunk: (_stream, s) => s, flush: () => ''}

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
  const held = new Map<string, string>()
  /** how many characters at the end of `s` could begin a secret */
  const openTail = (s: string) => {
    for (let n = Math.min(s.length, secrets[0]!.length - 1); n > 0; n--) {
      const tail = s.slice(s.length - n)
      if (secrets.some((v) => v.length > n && v.startsWith(tail))) return n
    }
    return 0
  }
  return {
    text,
    value,
    chunk(stream, s) {
      const masked = text((held.get(stream) ?? '') + s)
      const n = openTail(masked)
      held.set(stream, masked.slice(masked.length - n))
      return n ? masked.slice(0, masked.length - n) : masked
    },
    flush(stream) {
      const rest = held.get(stream) ?? ''
      held.delete(stream)
      return rest
    },
  }
}
