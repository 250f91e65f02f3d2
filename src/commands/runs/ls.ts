import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {RUN_STATES, type Run, type RunState} from '../../lib/types.ts'

export default class RunsLs extends BaseCommand<typeof RunsLs> {
  static summary = 'List runs, newest first'
  static examples = ['<%= config.bin %> runs ls --state error', '<%= config.bin %> runs ls --label team=ml --limit 10 --json']
  static flags = {
    state: Flags.string({description: 'only runs in this state', options: [...RUN_STATES]}),
    label: Flags.string({description: 'KEY=VALUE label filter (repeatable)', multiple: true}),
    name: Flags.string({description: 'only runs with this name'}),
    limit: Flags.integer({description: 'at most N runs', default: 20, min: 1}),
    watch: Flags.boolean({description: 'a live table that refreshes as runs start and end (q quits)'}),
  }

  async run(): Promise<Run[]> {
    const [{parseLabelFlags}, {listRuns}, {formatRunsTable}, {shouldColor}] = await Promise.all([
      import('../../lib/executor/params.ts'), import('../../lib/runs/list.ts'), import('../../lib/views/runs-format.ts'), import('../../lib/views/color.ts'),
    ])
    const project = await this.openProject()
    const query = {state: this.flags.state as RunState | undefined, name: this.flags.name, labels: parseLabelFlags(this.flags.label), limit: this.flags.limit}
    if (this.flags.watch && !this.jsonEnabled()) {
      const {renderRunsWatch} = await import('../../lib/views/reporter.ts')
      const watched = await renderRunsWatch(() => listRuns(project.store, query), 500)
      if (!watched) this.note('(--watch refreshes only on a terminal, outside CI: the table was printed once)')
      project.close()
      return []
    }
    // one more than asked: whether the list was cut short
    const found = listRuns(project.store, {...query, limit: query.limit + 1})
    const runs = found.slice(0, query.limit)
    project.close()
    const filtered = Boolean(query.state || query.name || Object.keys(query.labels).length)
    this.out(runs.length === 0 && filtered ? 'No runs match these filters.' : formatRunsTable(runs, {color: shouldColor(process.stdout, process.env)}))
    if (found.length > query.limit) this.note(`(the newest ${query.limit} run${query.limit === 1 ? '' : 's'}; --limit N for more)`)
    return runs
  }
}
