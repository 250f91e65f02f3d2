// Logging a 1 GB file, durably, against sha256 + fsync and cp + fsync; `lode artifacts get` of it against `cp`;
// `lode artifacts ls` on 100,000 versions against 100 versions.
// Run: node bench/artifacts.ts [--size-mb 1024] [--only big|get|ls]   (after npm run build)
// Every path that must read all the bytes has a floor: sha256 of them in one thread, printed beside its ratio.
import {createHash} from 'node:crypto'
import {spawnSync} from 'node:child_process'
import {chmodSync, openSync, readSync, closeSync, fsyncSync, writeFileSync, writeSync, rmSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import {resolveRef} from '../src/lib/artifacts/get-command.ts'
import {BIN, median, report, timeCommand, timeInterleaved, tmp} from './lib.ts'

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined)
const sizeMb = Number(arg('--size-mb') ?? process.env.LODE_BENCH_SIZE_MB ?? 1024) || 1024
const only = arg('--only')

function sha256Alone(path: string): string {
  const fd = openSync(path, 'r')
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(4 << 20)
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null)
    if (!n) break
    hash.update(n === buf.length ? buf : buf.subarray(0, n))
  }
  closeSync(fd)
  return hash.digest('hex')
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  fsyncSync(fd)
  closeSync(fd)
}

let made = 0

/** `mb` MiB of bytes no other call makes (each file's number is in every MiB): nothing is deduplicated. */
function makeBigFile(path: string, mb: number): void {
  const chunk = Buffer.alloc(1 << 20)
  const fd = openSync(path, 'w')
  made++
  for (let i = 0; i < mb; i++) {
    chunk.writeUInt32LE(i, 0)
    chunk.writeUInt32LE(made, 4)
    chunk.fill(i & 0xff, 8, 64)
    writeSync(fd, chunk)
  }
  closeSync(fd)
}

// --- 1. Logging a big file, durably: the honest baselines also put the bytes on disk (fsync), as lode does.
// From the staging area (the handler moves its file into ctx.artifactPath): hashed and fsynced, then renamed into the
// store; baseline sha256 + fsync of a file as freshly written. From elsewhere (a copy): baseline `cp` + fsync.
// Then `lode artifacts get -o` of the stored GB against `cp` of its object: once with the object's verified hash
// remembered (as a second get finds it), once with it forgotten (chmod changes the ctime, so the bytes are hashed).
if (only !== 'ls') {
  const dir = tmp('lode-bench-big-')
  Project.init(dir, {name: 'bench'})
  writeFileSync(join(dir, 'big.ts'), `
    import {renameSync} from 'node:fs'
    import {join} from 'node:path'
    export async function handler(ctx, {src}) {
      // the handler's own file, moved into its staging area (a rename: the store then moves it, no copy)
      const staged = join(ctx.artifactPath, 'big.bin')
      renameSync(src, staged)
      await ctx.logArtifact('big', {localPath: staged})
    }
    export async function fromElsewhere(ctx, {src}) {
      await ctx.logArtifact('big-copy', {localPath: src})
      await ctx.logArtifact('tiny', {body: 'a few bytes'})
    }`)
  const srcDir = join(dir, 'src')
  mkdirSync(srcDir)
  let i = 0
  const runs = only === 'get' ? 1 : 3
  const fresh = () => {
    const f = join(srcDir, `big-${i++}.bin`)
    makeBigFile(f, sizeMb) // distinct bytes each time, so nothing is deduplicated; written just before it is used
    return f
  }
  const times = {hash: [] as number[], hashSync: [] as number[], move: [] as number[], cpSync: [] as number[], copy: [] as number[], close: [] as number[], logCommand: [] as number[],
    copyStoring: [] as number[], logStaging: [] as number[], logStoring: [] as number[]}
  // when the handler's artifact event arrived and when its version was stored: a run's time split into the handler's
  // part (its start-up; for `lode log artifact`, that command's start-up and its staging copy) and lode's storing
  const marks = () => {
    const at = {artifact: 0, ingested: 0}
    const onEvent = (e: {t: string; ts?: number}) => {
      if (e.t === 'artifact' && !at.artifact) at.artifact = e.ts ?? Date.now()
      if (e.t === 'ingested' && !at.ingested) at.ingested = e.ts ?? Date.now()
    }
    return {at, onEvent}
  }
  for (let r = 0; r < runs; r++) {
    const project = await Project.open(dir)
    const a = fresh()
    let t0 = performance.now()
    sha256Alone(a)
    times.hash.push(performance.now() - t0)
    fsyncPath(a)
    times.hashSync.push(performance.now() - t0)
    rmSync(a)

    if (only !== 'get') {
      const run = await project.run('big.ts', {handler: 'handler', params: {src: fresh()}})
      if (run.state !== 'completed') throw new Error(JSON.stringify(run.error))
      times.move.push(run.ended! - run.started!)
    }

    const c = fresh()
    t0 = performance.now()
    const cp = spawnSync('cp', [c, `${c}.copy`])
    if (cp.status !== 0) throw new Error(`cp failed: ${cp.stderr}`)
    fsyncPath(`${c}.copy`)
    times.cpSync.push(performance.now() - t0)
    rmSync(c)
    rmSync(`${c}.copy`)

    const d = fresh()
    const m2 = marks()
    const run2 = await project.run('big.ts', {handler: 'fromElsewhere', params: {src: d}, onEvent: m2.onEvent})
    if (run2.state !== 'completed') throw new Error(JSON.stringify(run2.error))
    times.copy.push(run2.ended! - run2.started!)
    times.copyStoring.push(m2.at.ingested - m2.at.artifact)
    rmSync(d, {force: true})
    // the run is recorded: what closing the store still waits for (a WAL checkpoint, if any)
    t0 = performance.now()
    project.close()
    times.close.push(performance.now() - t0)

    if (only === 'get') continue
    // `lode log artifact` from a shell handler: the command snapshots the file into the staging area, lode moves it
    const e = fresh()
    const again = await Project.open(dir)
    const m3 = marks()
    const run3 = await again.run(undefined, {kind: 'exec', command: ['sh', '-c', `"${process.execPath}" "${BIN}" log artifact big-log "$LODE_PARAM_SRC"`], params: {src: e}, onEvent: m3.onEvent})
    again.close()
    if (run3.state !== 'completed') throw new Error(JSON.stringify(run3.error))
    times.logCommand.push(run3.ended! - run3.started!)
    times.logStaging.push(m3.at.artifact - run3.started!)
    times.logStoring.push(m3.at.ingested - m3.at.artifact)
    rmSync(e, {force: true})
  }
  const floor = median(times.hash)
  console.log(`${sizeMb} MB file, median of ${runs} (whole run, including Node start-up of the handler); sha256 alone ${floor.toFixed(0)} ms`)
  if (only !== 'get') report(`log ${sizeMb} MB from staging (move) / sha256+fsync`, median(times.move), median(times.hashSync), '<= 1.3x')
  report(`log ${sizeMb} MB from elsewhere (copy) / cp+fsync`, median(times.copy), median(times.cpSync), '<= 1.2x')
  report('  (its floor: sha256 alone / cp+fsync)', floor, median(times.cpSync), 'informative')
  report('  (lode storing it, from the event / cp+fsync)', median(times.copyStoring), median(times.cpSync), 'informative')
  report('store close after that run / cp+fsync', median(times.close), median(times.cpSync), 'informative')
  if (only !== 'get') {
    report(`lode log artifact ${sizeMb} MB / cp+fsync`, median(times.logCommand), median(times.cpSync), '<= 1.2x')
    report('  (the command: start-up, staging copy)', median(times.logStaging), median(times.cpSync), 'informative')
    report('  (lode storing the staged copy)', median(times.logStoring), median(times.cpSync), 'informative')
  }

  // --- `lode artifacts get` of the stored file, the real command, interleaved with cp of the same object
  const project = await Project.open(dir)
  const object = project.store.objects.path((await resolveRef(project.store, 'big-copy')).sha256)
  project.close()
  const out = (name: string) => ({path: join(dir, name), clear: () => rmSync(join(dir, name), {force: true})})
  const [o1, o2, o3, o4] = [out('cp.bin'), out('get.bin'), out('get-cold.bin'), out('tiny.txt')]
  const getRuns = {runs: 3, warmup: 1}
  // the same command on a few bytes: lode's start-up and lookup, which no copy of any size avoids
  const [cpWarm, getWarm, getTiny] = timeInterleaved([
    {cmd: 'cp', args: [object, o1.path], before: o1.clear},
    {cmd: process.execPath, args: [BIN, 'artifacts', 'get', 'big-copy', '-o', o2.path], cwd: dir, before: o2.clear},
    {cmd: process.execPath, args: [BIN, 'artifacts', 'get', 'tiny', '-o', o4.path], cwd: dir, before: o4.clear},
  ], getRuns)
  const [cpCold, getCold] = timeInterleaved([
    {cmd: 'cp', args: [object, o1.path], before: o1.clear},
    // a changed ctime makes the remembered hash useless: this get hashes every byte while it copies
    {cmd: process.execPath, args: [BIN, 'artifacts', 'get', 'big-copy', '-o', o3.path], cwd: dir, before: () => { o3.clear(); chmodSync(object, 0o444) }},
  ], getRuns)
  report(`artifacts get ${sizeMb} MB, hash remembered / cp`, getWarm!, cpWarm!, '<= 1.3x')
  report('  (less a get of a few bytes / cp)', getWarm! - getTiny!, cpWarm!, 'informative')
  report(`artifacts get ${sizeMb} MB, hashed on the way / cp`, getCold!, cpCold!, '<= 1.3x')
  report('  (its floor: sha256 alone / cp)', floor, cpCold!, 'informative')
  rmSync(dir, {recursive: true, force: true})
}

if (only !== 'big' && only !== 'get') await listing()

// --- 2. artifacts ls at 100,000 versions against 100 versions
async function storeWith(versions: number): Promise<string> {
  const dir = tmp(`lode-bench-ls-${versions}-`)
  Project.init(dir, {name: 'bench'})
  const project = await Project.open(dir)
  const keys = Math.max(10, Math.floor(versions / 100))
  project.store.db.tx(() => {
    for (let i = 0; i < versions; i++) {
      const sha = createHash('sha256').update(String(i)).digest('hex')
      project.store.artifacts.insert({
        key: `group${i % 10}/key-${i % keys}`, kind: i % 3 ? 'dataset' : 'model', iter: 0, sha256: sha, size: 1000 + i, format: 'parquet',
        producer: sha.slice(0, 32), labels: {team: i % 2 ? 'a' : 'b'}, meta: {dataset: {schema: [], rows: i, stats: null, preview: null}}, objects: [sha],
      }, Date.now() - (versions - i) * 1000)
    }
  })
  project.close()
  return dir
}
async function listing(): Promise<void> {
  const small = await storeWith(100)
  const large = await storeWith(100_000)
  const lsSmall = timeCommand(process.execPath, [BIN, 'artifacts', 'ls'], {cwd: small})
  const lsLarge = timeCommand(process.execPath, [BIN, 'artifacts', 'ls'], {cwd: large})
  report('artifacts ls, 100k versions / 100 versions', lsLarge, lsSmall, '<= 1.5x')
  const lsKind = timeCommand(process.execPath, [BIN, 'artifacts', 'ls', '--kind', 'model', '--all-versions'], {cwd: large})
  report('artifacts ls --kind model --all-versions, 100k / 100', lsKind, lsSmall, '<= 1.5x')
  const lsGlob = timeCommand(process.execPath, [BIN, 'artifacts', 'ls', 'group3/*'], {cwd: large})
  report("artifacts ls 'group3/*', 100k / 100", lsGlob, lsSmall, '<= 1.5x')
}
