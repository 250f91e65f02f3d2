import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {existsSync} from '../../lib/util/fs.ts'
import type {LogsJson} from '../../lib/runs/logs.ts'

export default class RunsLogs extends BaseCommand<typeof RunsLogs> {
  static summary = "Print a run's output (stdout and stderr) and, with --events, its events"
  static description = 'Piped, the output is the exact bytes of the log; on a terminal, control characters are shown escaped. ' +
    'Any size is streamed; --json returns at most the last 8 MB of each log, with truncated: true when it cut.'
  static examples = ['<%= config.bin %> runs logs 1a2b3c', '<%= config.bin %> runs logs 1a2b3c --events', '<%= config.bin %> runs logs 1a2b3c > run.log']
  static args = {uid: Args.string({description: 'run uid or a unique prefix', required: true})}
  static flags = {events: Flags.boolean({description: 'print events.jsonl (logs, results, artifacts, progress) instead'})}

  async run(): Promise<LogsJson | {uid: string; bytes: number}> {
    const {runLogsJson, streamRunLog} = await import('../../lib/runs/logs.ts')
    const project = await this.openProject()
    const run = project.store.runs.resolve(this.args.uid)
    const dir = project.store.runDir(run.uid)
    project.close()
    const events = this.flags.events
    // a run pulled from a remote has no folder here (logs are not sent), and a folder may have been deleted
    const gone = !existsSync(dir)
    if (gone) this.note(`(run ${run.uid.slice(0, 8)} has no log here: ${dir} does not exist; a run pulled from a remote keeps its log in the clone that made it)`)
    if (this.jsonEnabled()) return runLogsJson(dir, run.uid, {events, note: (text) => this.note(text)})
    const bytes = await streamRunLog(dir, {events, out: process.stdout})
    if (bytes === 0 && !events && !gone) this.note(`(run ${run.uid.slice(0, 8)} printed nothing)`)
    return {uid: run.uid, bytes}
  }
}
