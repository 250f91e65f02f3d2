import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {RunsRmResult} from '../../lib/runs/remove.ts'
import {RUN_STATES} from '../../lib/types.ts'

export default class RunsRm extends BaseCommand<typeof RunsRm> {
  static summary = 'Delete finished runs (a dry run unless --yes), and the artifact versions they produced that nothing else needs'
  static examples = [
    '<%= config.bin %> runs rm 1a2b3c',
    '<%= config.bin %> runs rm --state error --older-than 7d --yes',
    `<%= config.bin %> runs rm --where 'results.accuracy < 0.5' --keep-artifacts --yes`,
  ]
  static strict = false
  static args = {uid: Args.string({description: 'run uids or unique prefixes'})}
  static flags = {
    where: Flags.string({description: 'the runs this expression holds for (see runs ls --where)'}),
    state: Flags.string({description: 'only runs in this state', options: RUN_STATES.filter((s) => s !== 'created' && s !== 'running')}),
    'older-than': Flags.string({description: 'only runs created longer ago than this (90s, 15m, 2h, 7d, 1w)'}),
    yes: Flags.boolean({description: 'delete; without it, only list what would go'}),
    'keep-artifacts': Flags.boolean({description: 'keep every artifact version the runs produced'}),
  }

  async run(): Promise<RunsRmResult> {
    const [{argv}, {removeRuns}, {formatRunsRm}] = await Promise.all([
      this.parse(RunsRm), import('../../lib/runs/remove.ts'), import('../../lib/views/runs-rm.ts'),
    ])
    const f = this.flags
    const project = await this.openProject()
    try {
      const result = removeRuns(project.store, {uids: argv as string[], where: f.where, state: f.state, olderThan: f['older-than'], yes: f.yes, keepArtifacts: f['keep-artifacts']})
      this.out(formatRunsRm(result))
      return result
    } finally {
      project.close()
    }
  }
}
