import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class RunsLogs extends BaseCommand<typeof RunsLogs> {
  static summary = "Print a run's output (stdout and stderr) and, with --events, its events"
  static examples = ['<%= config.bin %> runs logs 1a2b3c', '<%= config.bin %> runs logs 1a2b3c --events']
  static args = {uid: Args.string({description: 'run uid or a unique prefix', required: true})}
  static flags = {events: Flags.boolean({description: 'print events.jsonl (logs, results, artifacts, progress) instead'})}

  async run(): Promise<{uid: string; output: string; events?: unknown[]}> {
    const [{readRunLogs}, {escapeControls, escapeJsonControls}] = await Promise.all([import('../../lib/runs/show.ts'), import('../../lib/views/format.ts')])
    const project = await this.openProject()
    const run = project.store.runs.resolve(this.args.uid)
    const logs = readRunLogs(project.store, run.uid)
    project.close()
    if (this.flags.events) this.out(escapeJsonControls(logs.eventsText))
    // a terminal shows escape sequences from the handler, not obeys them; a pipe gets the output as it was
    else if (logs.output) process.stdout.write(this.jsonEnabled() ? '' : process.stdout.isTTY ? escapeControls(logs.output, {multiline: true}) : logs.output)
    else this.note(`(run ${run.uid.slice(0, 8)} printed nothing)`)
    return {uid: run.uid, output: logs.output, ...(this.flags.events ? {events: logs.events} : {})}
  }
}
