// Test helper for the fidelity tests: a temp lode project where handlers written the MLRun way run through the real
// `lode run`, and what lode recorded (runs, artifact versions, tags) is read back through the real CLI.
import {expect} from 'chai'
import {existsSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir, type CliResult} from '../helpers/project.ts'

export const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'
export const HAS_SKLEARN = existsSync(PYTHON) && lode(['--version'], {cwd: process.cwd()}).code === 0 &&
  (await import('node:child_process')).spawnSync(PYTHON, ['-c', 'import pandas, sklearn'], {stdio: 'ignore'}).status === 0

export interface FidelityProject {
  dir: string
  write(name: string, text: string): void
  /** `lode run FILE#HANDLER ... --json`: the envelope, and the CLI result to explain a failure */
  run(target: string, args?: string[]): {r: CliResult; out: any}
  /** a completed run's record */
  completed(target: string, args?: string[]): any
  /** `lode artifacts get REF --json`'s artifact, or undefined (exit 4) */
  artifact(ref: string): any
  cli(args: string[]): CliResult
  remove(): void
}

export function fidelityProject(name = 'fid'): FidelityProject {
  const dir = tempDir('lode-fidelity-')
  const cli = (args: string[]) => lode(args, {cwd: dir, env: {LODE_PYTHON: PYTHON}})
  expect(cli(['init', '--name', name]).code).to.equal(0)
  const run = (target: string, args: string[] = []) => {
    const r = cli(['run', target, ...args, '--json'])
    return {r, out: json(r)}
  }
  return {
    dir,
    write: (file, text) => writeFileSync(join(dir, file), text),
    run,
    completed(target, args = []) {
      const {r, out} = run(target, args)
      expect(out.ok, `${JSON.stringify(out.error ?? null)}\n${r.stderr}`).to.equal(true)
      expect(out.data.state).to.equal('completed')
      return out.data
    },
    artifact(ref) {
      const r = cli(['artifacts', 'get', ref, '--json'])
      if (r.code === 4) return undefined
      return json(r).data.artifact
    },
    cli,
    remove: () => rmSync(dir, {recursive: true, force: true}),
  }
}
