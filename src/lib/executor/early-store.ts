// Staged files are hashed and fsynced as soon as they are logged, while the handler goes on; the run's end then only
// renames them into the store. Nothing is stored or recorded early: a kill of lode leaves no object behind.
import type {ObjectStore, Prehashed} from '../store/objects.ts'
import {dirname} from 'node:path'
import {isInside} from '../artifacts/ingest.ts'

export class EarlyStore {
  readonly #objects: ObjectStore
  readonly #stagingDir: string
  readonly #stop = new AbortController()
  /** by staged path: the newest early pass over it */
  readonly #byPath = new Map<string, Promise<Prehashed | null>>()
  /** one file at a time: the handler keeps the other core */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(objects: ObjectStore, stagingDir: string) {
    this.#objects = objects
    this.#stagingDir = stagingDir
  }

  /** A file was logged: start on it (a file outside the staging area is copied at the end, as before). */
  note(path: string): void {
    if (this.#stop.signal.aborted || !isInside(path, this.#stagingDir, dirname(dirname(this.#objects.root)))) return
    const pass = this.#queue.then(() => this.#objects.prehash(path, this.#stop.signal))
    this.#queue = pass
    this.#byPath.set(path, pass)
  }

  /** The handler ended: passes still waiting give up; those under way finish. */
  stop(): void {
    this.#stop.abort()
  }

  /** What the newest pass over `path` learned, if there was one. */
  async known(path: string): Promise<Prehashed | null> {
    return (await this.#byPath.get(path)) ?? null
  }
}
