// 64 MB of handler output through `lode run` (plain lines, as in CI or a pipe): what lode adds for the output, i.e.
// `lode run --kind exec -- cat FILE` minus `lode run --kind exec -- true`, all run interleaved in the same invocation.
// Shapes: short lines, one line with no newline, many `\r` redraws. `--events` measures `--events ndjson` too (one
// `output` event per line on stdout).
// Baselines. The issue names "cat of it": `cat FILE | cat > /dev/null` (the same bytes through a pipe) is kept and
// shown, but it throws the bytes away, while lode must keep every byte in output.log. The target is judged against
// `cat FILE | cat > copy.log`: the same pipe, the bytes written to a file on the same disk, which is the least any
// tool that keeps the output does. An informative line shows what a bare Node process costs to read the same pipe
// into a file (the floor for lode, which is a Node process), against both baselines. Another shows what Node costs
// when it reads its child's output into one reused buffer (net.Socket's `onread` on the handle of the child's stdout
// pipe, as lode reads it): Node's 'data' events allocate 64 KiB per read, which costs about as much again as the copy.
// Usage: node bench/output.ts [--events] [--shape NAME]   (after npm run build; exits 1 when a target is missed)
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, report, timeInterleaved, tmp} from './lib.ts'
import {spawnSync} from 'node:child_process'

const SIZE = 64 * 1024 * 1024
const TARGET = '<= 2x'
const withEvents = process.argv.includes('--events')
const only = process.argv.includes('--shape') ? process.argv[process.argv.indexOf('--shape') + 1] : undefined
const FLOOR = `const fs = require('fs'); const fd = fs.openSync('floor.log', 'w'); process.stdin.on('data', (c) => fs.writeSync(fd, c))`

// the same, the child's output read into one buffer: its stdout pipe taken over by a socket made with `onread`
const FLOOR_ONREAD = `const net = require('net'), fs = require('fs'), {spawn} = require('child_process')
const fd = fs.openSync('floor.log', 'w'), buffer = Buffer.allocUnsafe(1 << 20)
const child = spawn('cat', ['out.txt'], {stdio: ['ignore', 'pipe', 'ignore']})
const handle = child.stdout._handle
child.stdout._handle = null
child.stdout.destroy()
new net.Socket({handle, readable: true, writable: false, onread: {buffer, callback: (n) => { fs.writeSync(fd, buffer.subarray(0, n)) }}})`

const dir = tmp('lode-bench-output-')
spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], {cwd: dir, stdio: 'ignore'})
writeFileSync(join(dir, 'floor-onread.cjs'), FLOOR_ONREAD)
const shapes: Record<string, string> = {
  'lines': 'a line of handler output, about sixty characters in all....\n',
  'no newline': 'x'.repeat(64),
  '\\r redraws': '\rprogress 42% [#####-----]  ',
}
const lode = (flags: string[], command: string[]) => ({cmd: process.execPath, args: [BIN, 'run', ...flags, '--kind', 'exec', '--', ...command], cwd: dir, discardStderr: true})
try {
  for (const [name, unit] of Object.entries(shapes)) {
    if (only !== undefined && !name.startsWith(only)) continue
    writeFileSync(join(dir, 'out.txt'), unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE))
    const specs = [
      {cmd: 'sh', args: ['-c', 'cat out.txt | cat > /dev/null'], cwd: dir},
      {cmd: 'sh', args: ['-c', 'cat out.txt | cat > copy.log'], cwd: dir},
      lode([], ['true']),
      lode([], ['cat', 'out.txt']),
      // the floor for any Node process that keeps the output in a file: read the pipe, write each chunk
      {cmd: 'sh', args: ['-c', `cat out.txt | "${process.execPath}" -e "${FLOOR}"`], cwd: dir},
      {cmd: process.execPath, args: ['-e', '0'], cwd: dir},
      {cmd: process.execPath, args: ['floor-onread.cjs'], cwd: dir},
      ...(withEvents ? [lode(['--events', 'ndjson'], ['cat', 'out.txt'])] : []),
    ]
    const [discard, copy, empty, plain, floor, node, onread, events] = timeInterleaved(specs, {runs: 3, warmup: 1})
    report(`${name}: lode adds (plain lines)`, plain! - empty!, copy!, TARGET)
    report(`${name}: the same, against cat > /dev/null`, plain! - empty!, discard!, 'informative')
    report(`${name}: node alone, pipe to a file`, floor! - node!, copy!, 'informative')
    report(`${name}: the same, against cat > /dev/null`, floor! - node!, discard!, 'informative')
    report(`${name}: node alone, one reused read buffer`, onread! - node!, copy!, 'informative')
    if (events !== undefined) report(`${name}: lode adds (--events ndjson)`, events - empty!, copy!, 'informative')
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}
