// Where a command may write the file its -o names. Commands write beside the target and rename into place, which
// replaces whatever is there: a target that would be destroyed rather than written is refused.
import {UserError} from '../errors.ts'
import {CONFIG_FILE} from '../project/project-file.ts'
import {existsSync} from './fs.ts'
import {specialKindOf} from './file-kind.ts'
import {isInside} from './inside.ts'
import {dirname, join} from 'node:path'

/**
 * Refuse the store itself (.lode/, which lode alone writes), the project's lode.yaml, and a device, FIFO or socket
 * (renaming over it replaces it with a plain file). `instead` is the hint for the last.
 */
export function checkOutputTarget(storeDir: string, target: string, instead = 'Give -o the path of a plain file.'): void {
  if (isInside(storeDir, target)) {
    throw new UserError(`Refusing to write into the store: ${target} is inside ${storeDir}, which lode alone writes.`, 'Give -o a path outside .lode/.')
  }
  const config = join(dirname(storeDir), CONFIG_FILE)
  if (existsSync(config) && isInside(config, target)) throw new UserError(`Refusing to write over the project's ${CONFIG_FILE} (${config}).`, 'Give -o another path.')
  const special = specialKindOf(target)
  if (special) throw new UserError(`${target} is ${special}: lode writes a file beside it and renames it into place, which would replace it.`, instead)
}
