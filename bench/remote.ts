// Remotes against an S3 API server (s3rver, in its own process on 127.0.0.1), through the real `lode` command:
// - push of a 1 GB artifact against a bare AWS SDK multipart Upload (lib-storage, its defaults) of the same file to the
//   same server, interleaved in the same run: target <= 1.2x;
// - a no-op push of a store holding 10,000 artifact versions: target <= 2 s;
// - pull of the records of 10,000 runs into a project that has none: target <= 5 s.
// Run: node bench/remote.ts [--size-mb 1024] [--count 10000] [--only big,noop,pull]   (after npm run build)
import {spawn} from 'node:child_process'
import {randomBytes, randomUUID} from 'node:crypto'
import {closeSync, openSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import {addRemote} from '../src/lib/remote/config.ts'
import {BIN, ROOT, report, timeInterleaved, tmp} from './lib.ts'

const argOf = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined)
const SIZE_MB = Number(argOf('--size-mb') ?? 1024)
const COUNT = Number(argOf('--count') ?? 10_000)
const ONLY = new Set((argOf('--only') ?? 'big,noop,pull').split(','))
const ENV = {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'}
Object.assign(process.env, ENV)

/** s3rver in a child process (the timed commands run synchronously here), with bucket `bench`. */
async function startServer(dir: string): Promise<{endpoint: string; stop: () => void}> {
  const script = `import S3rver from 's3rver'
const s = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(dir)}, configureBuckets: [{name: 'bench', configs: []}]})
const a = await s.run(); console.log(a.port)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']})
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())))
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)))
  })
  return {endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill()}
}

/** The baseline: one bare lib-storage Upload of `file`, in a fresh node (as lode is), SDK defaults. */
const BASELINE = `import {S3Client} from '@aws-sdk/client-s3'
import {Upload} from '@aws-sdk/lib-storage'
import {createReadStream, statSync} from 'node:fs'
const [endpoint, file, key] = process.argv.slice(1)
const client = new S3Client({endpoint, forcePathStyle: true, region: 'us-east-1'})
await new Upload({client, params: {Bucket: 'bench', Key: key, Body: createReadStream(file), ContentLength: statSync(file).size}}).done()
client.destroy()`

async function project(dir: string, endpoint: string, prefix: string): Promise<Project> {
  Project.init(dir, {name: 'bench'})
  const p = await Project.open(dir)
  addRemote(join(dir, 'lode.yaml'), p.config, {name: 'origin', url: `s3://bench/${prefix}`, endpoint})
  p.close()
  return Project.open(dir)
}

function lode(args: string[], cwd: string): {cmd: string; args: string[]; cwd: string} {
  return {cmd: process.execPath, args: [BIN, ...args], cwd}
}

/** An absolute target (no baseline): printed in the same shape as report's lines. */
function within(label: string, value: number, limitMs: number): void {
  const pass = value <= limitMs
  console.log(`${label.padEnd(44)} ${value.toFixed(1).padStart(8)} ms  (target <= ${limitMs} ms)  ${pass ? 'PASS' : 'MISS'}`)
  if (!pass) process.exitCode = 1
}

const work = tmp('lode-bench-remote-')
const serverDir = join(work, 's3')
const server = await startServer(serverDir)
try {
  if (ONLY.has('big')) {
    const dir = join(work, 'big')
    const p = await project(dir, server.endpoint, 'big')
    const file = join(work, 'big.bin')
    const fd = openSync(file, 'w')
    const chunk = randomBytes(16 << 20)
    for (let i = 0; i < SIZE_MB / 16; i++) {
      chunk.writeUInt32LE(i, 0) // parts differ
      writeSync(fd, chunk)
    }
    closeSync(fd)
    const put = await p.store.objects.putFile(file, {move: false})
    p.store.db.tx(() => p.store.artifacts.insert({key: 'big', kind: 'artifact', iter: 0, sha256: put.sha256, size: put.size, format: 'bin', producer: null, labels: {}, meta: null, objects: [put.sha256]}))
    p.close()
    // each push starts from an empty remote: the prefix and this clone's knowledge of it are removed first
    const fresh = () => {
      rmSync(join(serverDir, 'bench', 'big'), {recursive: true, force: true})
      rmSync(join(serverDir, 'bench', 'baseline'), {recursive: true, force: true})
      for (const f of ['remote-state.db', 'remote-state.db-wal', 'remote-state.db-shm']) rmSync(join(dir, '.lode', f), {force: true})
    }
    const [pushMs, sdkMs] = timeInterleaved([
      {...lode(['push'], dir), before: fresh},
      {cmd: process.execPath, args: ['--input-type=module', '-e', BASELINE, server.endpoint, file, 'baseline/big.bin'], cwd: ROOT, before: fresh},
    ], {runs: 2, warmup: 0})
    report(`push ${SIZE_MB} MB artifact vs bare SDK Upload`, pushMs!, sdkMs!, '<= 1.2x')
    fresh()
    rmSync(file, {force: true})
  }

  if (ONLY.has('noop')) {
    const dir = join(work, 'noop')
    const p = await project(dir, server.endpoint, 'noop')
    for (let i = 0; i < COUNT; i += 1000) {
      const puts = await Promise.all(Array.from({length: Math.min(1000, COUNT - i)}, (_, j) => p.store.objects.putBytes(`object ${i + j} ${randomUUID()}`)))
      p.store.db.tx(() => puts.forEach((put, j) => p.store.artifacts.insert({key: `k${(i + j) % 2000}`, kind: 'artifact', iter: 0, sha256: put.sha256, size: put.size, format: 'txt', producer: null, labels: {}, meta: null, objects: [put.sha256]}, Date.now() + i + j)))
    }
    p.close()
    const first = timeInterleaved([lode(['push'], dir)], {runs: 1, warmup: 0})[0]!
    console.log(`(first push of ${COUNT} versions and objects: ${(first / 1000).toFixed(1)} s)`)
    const [noopMs, nodeMs] = timeInterleaved([lode(['push'], dir), {cmd: process.execPath, args: ['-e', '0']}], {runs: 5, warmup: 1})
    within(`no-op push, ${COUNT} versions (node -e 0: ${nodeMs!.toFixed(0)} ms)`, noopMs!, 2000)
  }

  if (ONLY.has('pull')) {
    const dir = join(work, 'runs')
    const p = await project(dir, server.endpoint, 'runs')
    const t0 = Date.now() - 86_400_000
    for (let i = 0; i < COUNT; i += 5000) {
      p.store.db.tx(() => {
        for (let j = i; j < Math.min(COUNT, i + 5000); j++) {
          const created = t0 + j
          p.store.runs.create({uid: randomUUID().replaceAll('-', ''), name: `train-${j % 7}`, project: 'bench', kind: 'node', function: 'train.ts', handler: 'train',
            state: 'completed', labels: {team: `t${j % 10}`}, params: {lr: 0.1, epochs: j}, inputs: {}, declaredOutputs: [], outputs: {}, results: {accuracy: j / COUNT},
            error: null, exitCode: 0, signal: null, pid: null, host: 'bench', codeHash: null, workflowId: null, step: null, secrets: [], created, started: created, ended: created + 5})
        }
      })
    }
    p.close()
    timeInterleaved([lode(['push'], dir)], {runs: 1, warmup: 0})
    const target = join(work, 'runs-clone')
    const fresh = () => {
      rmSync(target, {recursive: true, force: true})
      Project.init(target, {name: 'bench'})
      addRemote(join(target, 'lode.yaml'), {name: 'bench'}, {name: 'origin', url: 's3://bench/runs', endpoint: server.endpoint})
    }
    const [pullMs] = timeInterleaved([{...lode(['pull'], target), before: fresh}], {runs: 3, warmup: 0})
    within(`pull of ${COUNT} runs' records`, pullMs!, 5000)
  }
} finally {
  server.stop()
  rmSync(work, {recursive: true, force: true})
}
