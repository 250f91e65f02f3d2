// Artifact keys, shared by the SDK (handler side) and the store.
import {UserError} from '../errors.ts'
import {quoteName} from '../util/excerpt.ts'

const KEY_RE = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/

/** The rule a key breaks, or null for a good key. */
export function keyProblem(key: string): string | null {
  if (typeof key === 'string' && key.length > 255) return `at most 255 characters, not ${key.length}`
  if (typeof key !== 'string' || !KEY_RE.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    return "use letters, digits, '-', '_', '.', and '/' for grouping (no '..', no empty groups)"
  }
  return null
}

export function validateKey(key: string): void {
  const problem = keyProblem(key)
  // quoted cut short: a key may be a whole file's worth of text
  if (problem) throw new UserError(`Invalid artifact key ${typeof key === 'string' ? quoteName(key, 80) : JSON.stringify(key)}: ${problem}.`, 'Example: datasets/train, model, plots/roc-curve')
}

const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

export function validateTag(tag: string): void {
  if (typeof tag !== 'string' || !TAG_RE.test(tag)) {
    throw new UserError(`Invalid tag ${JSON.stringify(tag)}: use letters, digits, '-', '_' and '.', starting with a letter, digit or '_'.`)
  }
}

/** A tag users may set or remove: `latest` is lode's own, `v<N>` names version N. */
export function checkUserTag(tag: string): void {
  validateTag(tag)
  if (tag === 'latest') throw new UserError('The tag "latest" moves by itself to the newest version; it cannot be set or removed.')
  if (/^v\d+$/.test(tag)) throw new UserError(`Tags like "${tag}" are reserved for version numbers; choose another tag.`)
}

/** A file name for a key: groups flattened. */
export function keyFileName(key: string): string {
  return key.replaceAll('/', '__')
}
