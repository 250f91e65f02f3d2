// Artifact keys, shared by the SDK (handler side) and the store.
import {UserError} from '../errors.ts'

const KEY_RE = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/

export function validateKey(key: string): void {
  if (typeof key !== 'string' || !KEY_RE.test(key) || key.split('/').some((s) => s === '.' || s === '..') || key.length > 255) {
    throw new UserError(
      `Invalid artifact key ${JSON.stringify(key)}: use letters, digits, '-', '_', '.', and '/' for grouping (no '..', no empty groups).`,
      'Example: datasets/train, model, plots/roc-curve',
    )
  }
}

/** A file name for a key: groups flattened. */
export function keyFileName(key: string): string {
  return key.replaceAll('/', '__')
}
