// mkdir -p, one folder at a time from the nearest one that exists.
import {existsSync, mkdirSync, statSync} from './fs.ts'
import {dirname} from 'node:path'

/**
 * Make `dir` and the folders above it that are missing. Node's recursive mkdir retries for ever where mkdir says
 * ENOENT under a folder that exists (/proc/new/x); made one at a time, that is the error thrown.
 */
export function mkdirsSync(dir: string): void {
  const missing: string[] = []
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d)
  for (const d of missing) {
    try {
      mkdirSync(d)
    } catch (error) {
      // made meanwhile by another process is fine; a dangling symlink there (EEXIST too) is not
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d, {throwIfNoEntry: false})?.isDirectory()) throw error
    }
  }
}
