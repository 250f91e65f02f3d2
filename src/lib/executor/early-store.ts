// Logged files are worked on as their events arrive, while the handler goes on. A staged file is hashed and fsynced
// (the run's end then only renames it into the store); a file outside staging named by `lode log artifact` is copied
// into the store at once, and the command waiting on its `ack` file told so (a small file as soon as lode holds its
// copy, made durable before the run's record commits). Nothing is recorded before the run ends:
// a kill of lode leaves at most unreferenced objects, which artifacts gc reclaims.
import {renameSync, rmSync, statSync, writeFileSync} from '../util/fs.ts'
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
    const settled = (put: PutResult | Error) => {
      this.#settled.set(ack, put)
      return put
    }
    // A small file is copied at once and the command told so: it goes on while lode makes the copy durable, which
    // the run's record waits for (settle). A failure then fails the run's artifact, as any other would.
    let small: ReturnType<ObjectStore['takeSmallSync']> | Error
    try {
      // what the file is, before a byte is read
      refuseSpecial(e, statSync(e.path))
      small = this.#objects.takeSmallSync(e.path, SMALL_COPY_BYTES)
    } catch (error) {
      small = error as Error
    }
    if (small instanceof Error) {
      answer(ack, `error: ${small.message}`)
      this.#copies.set(ack, Promise.resolve(settled(small)))
      return true
    }
    if (small) {
      answer(ack, 'ok')
      this.#copies.set(ack, small.store().catch((error: Error) => error).then(settled))
      return true
    }
    const copy = this.#objects.putFile(e.path, {move: false}).catch((error: Error) => error)
    this.#copies.set(ack, copy.then((put) => {
      settled(put)
      answer(ack, put instanceof Error ? `error: ${put.message}` : 'ok')
      return put
    }))
    return true
  }
}

/** Up to this size a file logged by `lode log artifact` is copied on lode's thread, at once (~1 ms at most). */
const SMALL_COPY_BYTES = 256 * 1024

/** The answer a `lode log artifact` command waits on, written whole (a rename). A command that has gone is not an error. */
function answer(ack: string, text: string): void {
  const tmp = join(dirname(ack), `.ack-${randomHex(6)}`)
  try {
    writeFileSync(tmp, `${text}\n`, {flag: 'wx'})
    renameSync(tmp, ack)
  } catch {
    rmSync(tmp, {force: true})
  }
}
