// Logged files are worked on as their events arrive, while the handler goes on. A staged file is hashed and fsynced
// (the run's end then only renames it into the store); a file outside staging named by `lode log artifact` is copied
// into the store at once, and the command waiting on its `ack` file told so. Nothing is recorded before the run ends:
// a kill of lode leaves at most unreferenced objects, which artifacts gc reclaims.
import {open, rename, rm, stat} from '../util/fs.ts'
import {basename, dirname, join} from 'node:path'
import type {ObjectStore, Prehashed, PutResult} from '../store/objects.ts'
import {isInside, refuseSpecial, type EarlyWork} from '../artifacts/ingest.ts'
import type {ArtifactEvent} from '../types.ts'
import {randomHex} from '../util/hash.ts'

export class EarlyStore implements EarlyWork {
  readonly #objects: ObjectStore
  readonly #stagingDir: string
  /** the project's .lode folder: a staging folder that leads out of it is not lode's */
  readonly #storeDir: string
  readonly #stop = new AbortController()
  /** by staged path: the newest early pass over it */
  readonly #byPath = new Map<string, Promise<Prehashed | null>>()
  /** by ack file: the copies taken for `lode log artifact` */
  readonly #copies = new Map<string, Promise<PutResult | Error>>()
  readonly #settled = new Map<string, PutResult | Error>()
  /** one staged file at a time: the handler keeps the other core */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(objects: ObjectStore, stagingDir: string) {
    this.#objects = objects
    this.#stagingDir = stagingDir
    this.#storeDir = dirname(dirname(objects.root))
  }

  /** A file was logged: start on it. false: an answer was asked for at a place lode does not write. */
  note(e: ArtifactEvent): boolean {
    if (e.ack !== undefined) return (e.kind === 'artifact' || e.kind === 'plot') && this.#copy(e, e.ack)
    if (this.#stop.signal.aborted || e.kind === 'model' || e.kind === 'dir' || !isInside(e.path, this.#stagingDir, this.#storeDir)) return true
    const pass = this.#queue.then(() => this.#objects.prehash(e.path, this.#stop.signal))
    this.#queue = pass
    this.#byPath.set(e.path, pass)
    return true
  }

  /** The handler ended: passes still waiting give up; those under way finish. */
  stop(): void {
    this.#stop.abort()
  }

  /** Every copy taken for `lode log artifact` finished (they are what the commands were told). */
  async settle(): Promise<void> {
    await Promise.all(this.#copies.values())
  }

  async known(path: string): Promise<Prehashed | null> {
    return (await this.#byPath.get(path)) ?? null
  }

  /** The copy taken for an event with `ack`, once settled: its object, or why it failed. */
  taken(ack: string): PutResult | Error | undefined {
    return this.#settled.get(ack)
  }

  #copy(e: ArtifactEvent, ack: string): boolean {
    // lode writes only into the staging area, and never through a link the handler put there
    if (!isInside(dirname(ack), this.#stagingDir, this.#storeDir) || basename(ack).startsWith('.')) return false
    const copy = (async () => {
      // what the file is, before a byte is read
      refuseSpecial(e, await stat(e.path))
      return this.#objects.putFile(e.path, {move: false})
    })().catch((error: Error) => error)
    const answered = copy.then(async (put) => {
      this.#settled.set(ack, put)
      await answer(ack, put instanceof Error ? `error: ${put.message}` : 'ok').catch(() => undefined)
      return put
    })
    this.#copies.set(ack, answered)
    return true
  }
}

async function answer(ack: string, text: string): Promise<void> {
  const tmp = join(dirname(ack), `.ack-${randomHex(6)}`)
  const fh = await open(tmp, 'wx')
  try {
    await fh.writeFile(`${text}\n`)
  } finally {
    await fh.close()
  }
  await rename(tmp, ack).catch(async (error) => {
    await rm(tmp, {force: true})
    throw error
  })
}
