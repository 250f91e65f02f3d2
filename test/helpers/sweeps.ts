// Waiting on a sweep started by another process.
import {join} from 'node:path'
import {Store} from '../../src/lib/store/store.ts'
import {waitUntil} from './project.ts'

/** Waits until a sweep in the project `dir` has two iterations running with their handlers started; its parent's uid, or null. */
export async function twoIterationsRunning(dir: string, timeoutMs = 60_000): Promise<string | null> {
  let parent: string | null = null
  const running = () => {
    const store = Store.open(join(dir, '.lode'), 'p')
    try {
      const children = store.runs.list({state: 'running', limit: 100}).filter((r) => r.parent !== null && store.runs.handlerPid(r.uid) !== null)
      parent = children[0]?.parent ?? null
      return children.length >= 2 && store.runs.get(parent!) !== undefined
    } finally {
      store.close()
    }
  }
  return (await waitUntil(running, timeoutMs)) ? parent : null
}
