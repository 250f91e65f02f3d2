import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {PullResult} from '../lib/remote/pull.ts'

export default class Clone extends BaseCommand<typeof Clone> {
  static summary = 'Make a new project from a remote: its records now, its bytes when they are used'
  static examples = ['<%= config.bin %> clone s3://my-bucket/team/project ./project', '<%= config.bin %> clone s3://lode ./p --endpoint http://127.0.0.1:9000']
  static args = {url: Args.string({required: true, description: 's3://BUCKET/PREFIX'}), dir: Args.string({required: true, description: 'a new (or empty) folder'})}
  static flags = {
    endpoint: Flags.string({description: 'an S3-compatible server, e.g. http://127.0.0.1:9000'}),
    region: Flags.string({description: 'the bucket\'s region'}),
    origin: Flags.string({description: 'the name of the remote in the new project', default: 'origin'}),
  }

  async run(): Promise<PullResult & {dir: string; project: string}> {
    const [{clone}, {pullSummary}] = await Promise.all([import('../lib/remote/clone.ts'), import('../lib/remote/report.ts')])
    const result = await clone(this.args.url, this.args.dir, {endpoint: this.flags.endpoint, region: this.flags.region, name: this.flags.origin})
    this.out(`Cloned ${result.project} into ${result.dir}\n${pullSummary(result)}`)
    return result
  }
}
