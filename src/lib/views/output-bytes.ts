// Byte work on a handler's output for the plain lines, at about the cost of copying it: finding control bytes a
// terminal would obey, and putting the `12:03:04 out   ` lead after every newline. Every output byte passes through
// here; a regular expression or a byte loop in JavaScript costs 5-10 ns a byte (0.3-0.6 s for 64 MB), and a native
// replace still makes a string per chunk that must be encoded again to be written. WebAssembly SIMD looks at 16
// bytes at a time. The module is assembled below from named opcodes, so it can be read here.

const CONTROLS = [...Array.from({length: 32}, (_, b) => b).filter((b) => b !== 9 && b !== 10), 0x7f]
const NL = 10

// opcodes (WebAssembly core, bulk memory and fixed-width SIMD)
const I32 = 0x7f, V128 = 0x7b, BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b, BR = 0x0c, BR_IF = 0x0d
const RETURN = 0x0f, GET = 0x20, SET = 0x21, CONST = 0x41, EQZ = 0x45, LE_U = 0x4d, GE_U = 0x4f, CTZ = 0x68
const POPCNT = 0x69, ADD = 0x6a, SUB = 0x6b, VOID = 0x40, COPY = [0xfc, 10, 0, 0]
const simd = (op: number) => [0xfd, ...leb(op)]
const LOAD = simd(0x00), STORE = simd(0x0b), SPLAT = simd(0x0f), EQ = simd(0x23), NE = simd(0x24), LT_U = simd(0x26)
const AND = simd(0x4e), OR = simd(0x50), ANY = simd(0x53), BITMASK = simd(0x64)
const splat = (byte: number) => [CONST, ...(byte < 64 ? [byte] : [0x80 | (byte & 0x7f), byte >> 7]), ...SPLAT]
/** unsigned LEB128, as the binary format writes sizes and SIMD opcodes */
function leb(n: number): number[] {
  return n < 0x80 ? [n] : [0x80 | (n & 0x7f), ...leb(n >>> 7)]
}
const NOALIGN = [0, 0]

// scan(at, end): for (; at < end; at += 16) if (any((v <u 32 & v != 9 & v != 10) | v == 127)) return 1; return 0
// count(at, end): the newlines in [at, end). Both read up to 15 bytes past end: the caller pads them with spaces.
// lead(src, end, dst, between, size): src's bytes to dst with the `size` bytes at `between` in place of each newline,
// 16 bytes at a time; answers where dst ended, or -1 when the bytes are not plain (a control byte as scan finds
// them, or 0xC2 or 0xE2, see isPlainText): one pass both checks and copies. It writes up to 32 bytes past that end,
// and reads 32 at `between`.
const SCAN = [
  1, 1, V128,
  BLOCK, VOID, LOOP, VOID,
  GET, 0, GET, 1, GE_U, BR_IF, 1,
  GET, 0, ...LOAD, ...NOALIGN, SET, 2,
  GET, 2, ...splat(0x20), ...LT_U,
  GET, 2, ...splat(9), ...NE, ...AND,
  GET, 2, ...splat(10), ...NE, ...AND,
  GET, 2, ...splat(0x7f), ...EQ, ...OR,
  ...ANY, IF, VOID, CONST, 1, RETURN, END,
  GET, 0, CONST, 16, ADD, SET, 0,
  BR, 0, END, END,
  CONST, 0, END,
]
const COUNT = [
  1, 1, I32,
  BLOCK, VOID, LOOP, VOID,
  GET, 0, GET, 1, GE_U, BR_IF, 1,
  GET, 2, GET, 0, ...LOAD, ...NOALIGN, ...splat(NL), ...EQ, ...BITMASK, POPCNT, ADD, SET, 2,
  GET, 0, CONST, 16, ADD, SET, 0,
  BR, 0, END, END,
  GET, 2, END,
]
const LEAD = [
  3, 3, V128, 1, I32, 1, V128, // $v, $b0, $b1 (the first 32 bytes of between), $m, $bad
  GET, 3, ...LOAD, ...NOALIGN, SET, 6,
  GET, 3, CONST, 16, ADD, ...LOAD, ...NOALIGN, SET, 7,
  BLOCK, VOID, LOOP, VOID,
  GET, 0, GET, 1, GE_U, BR_IF, 1,
  // store 16 bytes as they are, and note any that is not plain; keep them all when they hold no newline
  GET, 0, ...LOAD, ...NOALIGN, SET, 5,
  GET, 2, GET, 5, ...STORE, ...NOALIGN,
  GET, 9,
  GET, 5, ...splat(0x20), ...LT_U,
  GET, 5, ...splat(9), ...NE, ...AND,
  GET, 5, ...splat(10), ...NE, ...AND,
  GET, 5, ...splat(0x7f), ...EQ, ...OR,
  GET, 5, ...splat(0xc2), ...EQ, ...OR,
  GET, 5, ...splat(0xe2), ...EQ, ...OR,
  ...OR, SET, 9,
  GET, 5, ...splat(NL), ...EQ, ...BITMASK, SET, 8,
  GET, 8, EQZ, IF, VOID,
  GET, 0, CONST, 16, ADD, SET, 0,
  GET, 2, CONST, 16, ADD, SET, 2,
  BR, 1, END,
  // else keep the bytes before the first newline, and put between in its place
  GET, 8, CTZ, SET, 8,
  GET, 2, GET, 8, ADD, SET, 2,
  GET, 0, GET, 8, ADD, CONST, 1, ADD, SET, 0,
  GET, 4, CONST, 32, LE_U, IF, VOID,
  GET, 2, GET, 6, ...STORE, ...NOALIGN,
  GET, 2, CONST, 16, ADD, GET, 7, ...STORE, ...NOALIGN,
  ELSE,
  GET, 2, GET, 3, GET, 4, ...COPY,
  END,
  GET, 2, GET, 4, ADD, SET, 2,
  BR, 0, END, END,
  GET, 9, ...ANY, IF, VOID, CONST, 0x7f, RETURN, END,
  // the last 16 bytes may have gone past end: dst - (src - end)
  GET, 2, GET, 0, GET, 1, SUB, SUB, END,
]
const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes]
const body = (code: number[]) => [...leb(code.length), ...code]
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [2, 0x60, 2, I32, I32, 1, I32, 0x60, 5, I32, I32, I32, I32, I32, 1, I32]), // (i32 i32)->i32, (i32 x5)->i32
  ...section(3, [3, 0, 0, 1]), // scan, count, lead
  ...section(5, [1, 0, 1]), // one memory, one page to start with
  ...section(7, [4, 1, 0x6d, 2, 0, 1, 0x73, 0, 0, 1, 0x63, 0, 1, 1, 0x6c, 0, 2]), // exported as m, s, c, l
  ...section(10, [3, ...body(SCAN), ...body(COUNT), ...body(LEAD)]),
])

/** The little of the WebAssembly API used here (the project's type libraries do not declare it). */
interface Wasm {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => {exports: Record<string, unknown>}
}

type Fn = (...args: number[]) => number

interface Simd {
  memory: {buffer: ArrayBuffer; grow(pages: number): number}
  scan: Fn
  count: Fn
  lead: Fn
}

let simdModule: Simd | null | undefined

function simdOf(): Simd | null {
  if (simdModule !== undefined) return simdModule
  try {
    const wasm = (globalThis as {WebAssembly?: Wasm}).WebAssembly
    if (!wasm || !wasm.validate(MODULE)) return (simdModule = null)
    const {exports: e} = new wasm.Instance(new wasm.Module(MODULE))
    return (simdModule = {memory: e.m as Simd['memory'], scan: e.s as Fn, count: e.c as Fn, lead: e.l as Fn})
  } catch {
    return (simdModule = null) // no WebAssembly (--jitless) or no SIMD: the portable code below answers the same
  }
}

/** The module's memory, at least `size` bytes. */
function memory(simd: Simd, size: number): Uint8Array {
  const have = simd.memory.buffer.byteLength
  if (have < size) simd.memory.grow(Math.ceil((size - have) / 65_536))
  return new Uint8Array(simd.memory.buffer)
}

/** Copies `parts` one after the other at `at`, followed by 16 spaces (what the scans read past the end). */
function place(mem: Uint8Array, at: number, parts: readonly Uint8Array[]): number {
  let end = at
  for (const part of parts) {
    mem.set(part, end)
    end += part.length
  }
  mem.fill(0x20, end, end + 16)
  return end
}

/** True when `bytes` hold a C0 control other than tab and newline, or DEL. */
export function hasControlBytes(bytes: Uint8Array, opts: {portable?: boolean} = {}): boolean {
  const simd = opts.portable ? null : simdOf()
  if (!simd) return CONTROLS.some((b) => bytes.indexOf(b) >= 0)
  const end = place(memory(simd, bytes.length + 16), 0, [bytes])
  return simd.scan(0, end) !== 0
}

/**
 * `before`, the bytes of `parts` (one text, cut anywhere) with `between` in place of each newline, and `after`: one
 * lead per line at the cost of a copy, with no string made. Null when the text is not plain (isPlainText): the same
 * pass looks for what a terminal would obey.
 */
export function replaceNewlines(parts: readonly Uint8Array[], between: Uint8Array, around: {before?: Uint8Array; after?: Uint8Array; portable?: boolean; alloc?: Alloc; write?: Write} = {}): Buffer | null {
  const {before = EMPTY, after = EMPTY} = around
  const simd = around.portable ? null : simdOf()
  const length = parts.reduce((n, part) => n + part.length, 0)
  if (!simd) return replacePortably(Buffer.concat(parts, length), between, before, after)
  const src = Math.max(64, between.length + 32)
  let mem = memory(simd, src + length + 16)
  mem.set(between, 0)
  const end = place(mem, src, parts)
  const dst = end + 16
  // room for a lead at every byte when that is little (a pipe's chunk), else the newlines counted first
  const newlines = length * between.length <= WORST_CASE ? length : simd.count(src, end)
  mem = memory(simd, dst + before.length + length + newlines * between.length + after.length + 48)
  mem.set(before, dst)
  const stop = simd.lead(src, end, dst + before.length, 0, between.length)
  if (stop < 0) return null
  mem.set(after, stop)
  if (around.write) {
    around.write(mem.subarray(dst, stop + after.length))
    return WRITTEN
  }
  // one memcpy out of the module's memory (Buffer.from would copy it as an array-like, byte by byte)
  const size = stop + after.length - dst
  const out = around.alloc?.(size) ?? Buffer.allocUnsafe(size)
  out.set(mem.subarray(dst, stop + after.length))
  return out
}

/** Where the lines are put: a Buffer of exactly `size` bytes (e.g. part of one that is reused). */
export type Alloc = (size: number) => Buffer

/**
 * Takes the lines straight from the module's memory, which the next call overwrites: only for a writer done with them
 * when it returns (a file written synchronously). replaceNewlines then answers an empty buffer.
 */
export type Write = (bytes: Uint8Array) => void

const WRITTEN = Buffer.alloc(0)

const WORST_CASE = 4 * 1024 * 1024

const EMPTY = new Uint8Array(0)

function replacePortably(text: Buffer, between: Uint8Array, before: Uint8Array, after: Uint8Array): Buffer | null {
  if (hasControlBytes(text, {portable: true}) || text.indexOf(0xc2) >= 0 || text.indexOf(0xe2) >= 0) return null
  const out: Uint8Array[] = [before]
  let from = 0
  for (let nl = text.indexOf(NL); nl >= 0; nl = text.indexOf(NL, from)) {
    out.push(text.subarray(from, nl), between)
    from = nl + 1
  }
  out.push(text.subarray(from), after)
  return Buffer.concat(out)
}
