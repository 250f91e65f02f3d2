// Entry point of bin/run.js. `--version` is answered without loading oclif, to keep it at Node's start-up cost.
import {readFileSync} from 'node:fs'

export async function run(argv: string[], binUrl: string): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}
    process.stdout.write(`lode/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return
  }
  if (argv[0] === 'run' && argv.some((a) => a.startsWith('hub://')) && argv.some((a) => a === '--help' || a === '-h')) {
    const [{hubRunHelp}, {fromAnyError, formatError}] = await Promise.all([import('./lib/hub/run-help.ts'), import('./lib/base-command.ts')])
    try {
      process.stdout.write((await hubRunHelp(argv.slice(1))) ?? '')
    } catch (error) {
      const e = fromAnyError(error)
      process.stderr.write(formatError(e))
      process.exitCode = e.exitCode
    }
    return
  }
  const oclif = await import('#oclif')
  try {
    await oclif.run(argv, binUrl)
    await oclif.flush()
  } catch (error) {
    await oclif.handle(error as Error)
  }
}
