import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {RUN_STATES, type Run} from '../../lib/types.ts'

export default class RunsLs extends BaseCommand<typeof RunsLs> {
  static summary = 'List runs, newest first'
  static examples = [
    '<%= config.bin %> runs ls --state error',
    '<%= config.bin %> runs ls --label team=ml --limit 10 --json',
    `<%= config.bin %> runs ls --where 'results.accuracy > 0.9 and params.model == "tree"' --sort -results.accuracy --columns params.lr,results.accuracy`,
  ]
  static flags = {
    state: Flags.string({description: 'only runs in this state', options: [...RUN_STATES]}),
    label: Flags.string({description: 'KEY=VALUE label filter (repeatable)', multiple: true}),
    name: Flags.string({description: 'only runs with this name'}),
    parent: Flags.string({description: 'only the runs a run made (its hyperparameter iterations, its pipeline steps), by uid or prefix'}),
    where: Flags.string({description: 'only runs this expression holds for, e.g. \'results.accuracy > 0.9 and params.model == "tree"\''}),
    sort: Flags.string({description: 'order by a field instead of newest first; -FIELD for descending (e.g. -results.accuracy)'}),
    columns: Flags.string({description: 'comma-separated fields shown as extra table columns (e.g. params.lr,results.accuracy)'}),
    limit: Flags.integer({description: 'at most N runs', default: 20, min: 1}),
    watch: Flags.boolean({description: 'a live table that refreshes as runs start and end (q quits)'}),
  }

  async run(): Promise<Run[]> {
    const {runsLs} = await import('../../lib/runs/ls-command.ts')
    return runsLs(this.flags, {json: this.jsonEnabled(), out: (text) => this.out(text), note: (text) => this.note(text)})
  }
}
