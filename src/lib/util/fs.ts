// node:fs and node:fs/promises for lode's own modules, as builtins rather than ES imports: an ES import of either
// builds its namespace from every export, which loads fs/promises, readline and several stream modules (~2 ms of
// every lode command). The promise functions here load node:fs/promises at their first call.
import type * as FsPromises from 'node:fs/promises'
import {dirname} from 'node:path'

const fs = process.getBuiltinModule('node:fs')

export const {
  accessSync, appendFileSync, chmodSync, closeSync, constants, copyFileSync, cpSync, createReadStream, createWriteStream,
  existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync,
  readlinkSync, realpathSync, renameSync, rmSync, rmdirSync, statSync, symlinkSync, watch, writeFileSync, writeSync,
  writevSync,
} = fs
export type {FSWatcher, Stats, WriteStream} from 'node:fs'
export type {FileHandle} from 'node:fs/promises'

type Promises = typeof FsPromises
const later = <K extends keyof Promises>(name: K): Promises[K] =>
  ((...args: unknown[]) => (fs.promises[name] as (...a: unknown[]) => unknown)(...args)) as Promises[K]

export const chmod = later('chmod')
export const copyFile = later('copyFile')
export const cp = later('cp')
export const link = later('link')
export const lstat = later('lstat')
export const mkdir = later('mkdir')
export const open = later('open')
export const readFile = later('readFile')
export const readdir = later('readdir')
export const rename = later('rename')
export const rm = later('rm')
export const stat = later('stat')
export const writeFile = later('writeFile')

/**
 * mkdir -p, one folder at a time from the nearest one that exists. Node's recursive mkdir retries for ever where mkdir
 * says ENOENT under a folder that exists (/proc/new/x); made one at a time, that is the error thrown.
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

/** Whether `path` names a regular file (links followed); false when it cannot be looked at. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
