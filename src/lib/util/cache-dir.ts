// lode's per-user cache (hub packages, interpreter checks, Python signatures): LODE_CACHE_DIR, else XDG_CACHE_HOME/lode, else ~/.cache/lode.
import {homedir} from 'node:os'
import {join} from 'node:path'

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LODE_CACHE_DIR) return env.LODE_CACHE_DIR
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'lode')
  return join(homedir(), '.cache', 'lode')
}
