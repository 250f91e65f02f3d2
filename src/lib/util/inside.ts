// Whether a path lies inside a folder once symlinks are followed: the real path of the nearest part of it that
// exists, plus the rest. A path "inside" only by its spelling, through a symlink leading out, is outside.
import {realpathSync} from './fs.ts'
import {basename, dirname, isAbsolute, join, relative, resolve} from 'node:path'

export function realPath(path: string): string {
  const abs = resolve(path)
  const rest: string[] = []
  for (let p = abs; ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...rest.reverse())
    } catch {
      if (dirname(p) === p) return abs
      rest.push(basename(p))
    }
  }
}

/** True when `path` is `root` itself or lies under it, both taken by their real paths. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(realPath(root), realPath(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** True when `path`, as spelled (links not followed), is `root` or lies under it. */
export function spelledInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
