// Whether a chunk of a handler's output holds a control byte a terminal would obey (C0 but tab and newline, DEL).
// Every output byte passes through this on its way to the plain lines, so it must cost about what copying does: a
// regular expression or a byte loop in JavaScript costs 5-10 ns a byte (0.3-0.6 s for 64 MB), a 16-byte-wide scan
// in WebAssembly SIMD well under 1 ns. The module is assembled below from named opcodes, so it can be read here.

const CONTROLS = [...Array.from({length: 32}, (_, b) => b).filter((b) => b !== 9 && b !== 10), 0x7f]

// opcodes (WebAssembly core + fixed-width SIMD)
const I32 = 0x7f, V128 = 0x7b, BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, RETURN = 0x0f
const GET = 0x20, SET = 0x21, CONST = 0x41, GE_U = 0x4f, ADD = 0x6a, VOID = 0x40
const simd = (op: number) => [0xfd, op]
const LOAD = simd(0x00), SPLAT = simd(0x0f), EQ = simd(0x23), NE = simd(0x24), LT_U = simd(0x26), AND = simd(0x4e), OR = simd(0x50), ANY = simd(0x53)
const splat = (byte: number) => [CONST, ...(byte < 64 ? [byte] : [0x80 | (byte & 0x7f), byte >> 7]), ...SPLAT]

// (func (param $at i32) (param $end i32) (result i32) (local $v v128)
//   for (; $at < $end; $at += 16) { $v = load($at); if (any((v <u 32 & v != 9 & v != 10) | v == 127)) return 1 }
//   return 0)   -- reads up to 15 bytes past $end: the caller pads them with spaces
const BODY = [
  1, 1, V128,
  BLOCK, VOID, LOOP, VOID,
  GET, 0, GET, 1, GE_U, BR_IF, 1,
  GET, 0, ...LOAD, 0, 0, SET, 2,
  GET, 2, ...splat(0x20), ...LT_U,
  GET, 2, ...splat(9), ...NE, ...AND,
  GET, 2, ...splat(10), ...NE, ...AND,
  GET, 2, ...splat(0x7f), ...EQ, ...OR,
  ...ANY, IF, VOID, CONST, 1, RETURN, END,
  GET, 0, CONST, 16, ADD, SET, 0,
  BR, 0, END, END,
  CONST, 0, END,
]
/** unsigned LEB128, as the binary format writes sizes */
const leb = (n: number): number[] => (n < 0x80 ? [n] : [0x80 | (n & 0x7f), ...leb(n >>> 7)])
const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes]
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 2, I32, I32, 1, I32]), // one type: (i32, i32) -> i32
  ...section(3, [1, 0]), // one function, of that type
  ...section(5, [1, 0, 1]), // one memory, one page to start with
  ...section(7, [2, 1, 0x6d, 2, 0, 1, 0x73, 0, 0]), // exported as "m" and "s"
  ...section(10, [1, ...leb(BODY.length), ...BODY]),
])

/** The little of the WebAssembly API used here (the project's type libraries do not declare it). */
interface Wasm {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => {exports: Record<string, unknown>}
}

interface Scanner {
  memory: {buffer: ArrayBuffer; grow(pages: number): number}
  scan(at: number, end: number): number
}

let scanner: Scanner | null | undefined

function load(): Scanner | null {
  try {
    const wasm = (globalThis as {WebAssembly?: Wasm}).WebAssembly
    if (!wasm || !wasm.validate(MODULE)) return null
    const {exports} = new wasm.Instance(new wasm.Module(MODULE))
    return {memory: exports.m as Scanner['memory'], scan: exports.s as Scanner['scan']}
  } catch {
    return null // no WebAssembly (--jitless) or no SIMD: the byte search below answers the same
  }
}

/** True when `bytes` hold a C0 control other than tab and newline, or DEL. */
export function hasControlBytes(bytes: Uint8Array, opts: {portable?: boolean} = {}): boolean {
  scanner ??= load()
  if (!scanner || opts.portable) return CONTROLS.some((b) => bytes.indexOf(b) >= 0)
  const need = bytes.length + 16
  if (scanner.memory.buffer.byteLength < need) scanner.memory.grow(Math.ceil((need - scanner.memory.buffer.byteLength) / 65_536))
  const mem = new Uint8Array(scanner.memory.buffer, 0, need)
  mem.set(bytes)
  mem.fill(0x20, bytes.length)
  return scanner.scan(0, bytes.length) !== 0
}
