// Where a command may write the file its -o names. Commands write beside the target and rename into place, which
// replaces whatever is there: a target that would be destroyed rather than written is refused.
import {UserError} from '../errors.ts'
import {CONFIG_FILE} from '../project/project-file.ts'
import {existsSync, lstatSync, readlinkSync, statSync} from './fs.ts'
import {specialKindOf} from './file-kind.ts'
import {isInside} from './inside.ts'
import {dirname, join} from 'node:path'

/** A link to a folder is written into, not renamed over (artifacts get -o DIR of a folder's files). */
function isLinkToNonFolder(path: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false
  } catch {
    return false // nothing there, or a file where a folder should be: said when it is written
  }
  try {
    return !statSync(path).isDirectory()
  } catch {
    return true // dangling, or a loop
  }
}

/**
 * Refuse the store itself (.lode/, which lode alone writes), the project's lode.yaml, a device, FIFO or socket
 * (renaming over it replaces it with a plain file), and a symbolic link to anything but a folder (renaming over it
 * replaces the link, not what it points at: `-o /dev/stdout` with stdout sent to a file replaced /dev/stdout).
 * `instead` is the hint for a device, FIFO or socket.
 */
export function checkOutputTarget(storeDir: string, target: string, instead = 'Give -o the path of a plain file.'): void {
  if (isInside(storeDir, target)) {
    throw new UserError(`Refusing to write into the store: ${target} is inside ${storeDir}, which lode alone writes.`, 'Give -o a path outside .lode/.')
  }
  const config = join(dirname(storeDir), CONFIG_FILE)
  if (existsSync(config) && isInside(config, target)) throw new UserError(`Refusing to write over the project's ${CONFIG_FILE} (${config}).`, 'Give -o another path.')
  if (isLinkToNonFolder(target)) {
    throw new UserError(`${target} is a symbolic link (to ${readlinkSync(target)}): lode writes a file beside it and renames it into place, which would replace the link.`,
      'Give -o the path of a plain file (the file the link points to, if that is where it should go).')
  }
  const special = specialKindOf(target)
  if (special) throw new UserError(`${target} is ${special}: lode writes a file beside it and renames it into place, which would replace it.`, instead)
}
