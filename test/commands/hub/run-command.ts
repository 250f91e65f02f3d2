// Run an oclif command class in-process, capturing stdout and stderr.
import {fileURLToPath} from 'node:url'

const packageRoot = fileURLToPath(new URL('../../../', import.meta.url))

export interface CommandOutput {
  stdout: string
  stderr: string
  exitCode: number
  /** the --json envelope, when stdout holds one */
  json: {ok: boolean; data?: any; error?: any} | undefined
}

export async function runCommand(cmd: {run(argv: string[], opts?: string): Promise<unknown>}, argv: string[], cwd: string): Promise<CommandOutput> {
  const out: string[] = []
  const err: string[] = []
  const writeOut = process.stdout.write
  const writeErr = process.stderr.write
  const previousCwd = process.cwd()
  const previousExit = process.exitCode
  process.exitCode = undefined
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write
  process.chdir(cwd)
  let exitCode = 0
  try {
    await cmd.run(argv, packageRoot)
    exitCode = Number(process.exitCode ?? 0)
  } finally {
    process.stdout.write = writeOut
    process.stderr.write = writeErr
    process.chdir(previousCwd)
    process.exitCode = previousExit
  }
  const stdout = out.join('')
  let json: CommandOutput['json']
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return {stdout, stderr: err.join(''), exitCode, json}
}
