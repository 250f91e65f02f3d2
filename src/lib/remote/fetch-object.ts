// Bytes a record names but this clone does not hold, fetched from the project's remotes when they are used. Each
// object is hashed while it is written to .lode/tmp; one whose sha256 does not match is refused and deleted.
import {createWriteStream, mkdir, open, rm} from '../util/fs.ts'
import {Transform, type Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type {ProjectConfig} from '../project/project-file.ts'
import type {Store} from '../store/store.ts'
import {sha256Hash} from '../util/hash.ts'
import {layout, listRemotes, type RemoteConfig} from './config.ts'
import {remoteError, tamperedObject} from './errors.ts'
import {S3Remote} from './s3.ts'

/** Fetch `shas` from the default remote first, then the others; objects no remote has stay missing (the caller says so). */
export async function fetchObjects(store: Store, config: ProjectConfig, shas: string[]): Promise<void> {
  const {remotes, defaultName} = listRemotes(config)
  const ordered = [...remotes].sort((a, b) => Number(b.name === defaultName) - Number(a.name === defaultName))
  let wanted = shas
  for (const r of ordered) {
    if (wanted.length === 0) return
    const remote = await S3Remote.open(r)
    try {
      const got = await mapLimit(wanted, 4, (sha) => fetchOne(store, remote, sha))
      wanted = wanted.filter((_, i) => !got[i])
    } finally {
      remote.close()
    }
  }
}

/** True when the object was fetched, false when this remote does not have it. */
export async function fetchOne(store: Store, remote: S3Remote, sha256: string): Promise<boolean> {
  if (store.objects.has(sha256)) return true
  const body = await remote.getStream(layout.object(remote.config, sha256))
  if (!body) return false
  await mkdir(store.objects.tmpDir, {recursive: true})
  const tmp = store.objects.tmpPath('fetch')
  try {
    const actual = await writeHashed(body, tmp, remote.config)
    if (actual !== sha256) throw tamperedObject(remote.config, sha256, actual)
    await store.objects.placeFetched(tmp, sha256)
    return true
  } finally {
    await rm(tmp, {force: true})
  }
}

/** Write a stream to `path` (fsynced) and return the sha256 of what was written. */
async function writeHashed(body: Readable, path: string, r: RemoteConfig): Promise<string> {
  const hash = sha256Hash()
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(body, tap, createWriteStream(path, {mode: 0o644}))
  } catch (error) {
    throw remoteError(error, r, 'download an object')
  }
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
  return hash.digest('hex')
}

/** `fn` over `items`, at most `limit` at once, results in order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return out
}
