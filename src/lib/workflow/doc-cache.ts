// Parsed workflow files, remembered by content: a workflow of 1,000 steps is ~100 kB of YAML, which the YAML parser
// takes most of a fully cached rerun to read. The cached value is what parsing gave, checked as usual after.
import {mkdirSync, readFileSync} from '../util/fs.ts'
import {join} from 'node:path'
import {writeFileAtomic} from '../project/project-file.ts'
import {defaultCacheDir} from '../util/cache-dir.ts'
import {hashBytes} from '../util/hash.ts'

/** Bumped whenever what parsing returns for the same text could change. */
const FORMAT = 'workflow-doc-v1'

/** `parse(text)`, or the value it gave for the same text before. Only plain JSON values are remembered. */
export function parseRemembered(text: string, parse: (text: string) => unknown, cacheDir = defaultCacheDir()): unknown {
  const path = join(cacheDir, 'workflow-docs', `${hashBytes(`${FORMAT}\0${text}`)}.json`)
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    // not remembered (or unreadable): parsed below
  }
  const value = parse(text)
  const json = exactJson(value)
  if (json === null) return value
  try {
    mkdirSync(join(cacheDir, 'workflow-docs'), {recursive: true})
    writeFileAtomic(path, json)
  } catch {
    // a cache we cannot write only costs the next run the parse
  }
  return value
}

/** JSON that reads back as exactly `value`, or null (a BigInt, a non-finite number or -0 would not). */
function exactJson(value: unknown): string | null {
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint' || (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))) throw new RangeError('not exact as JSON')
      return v
    })
  } catch {
    return null
  }
}
