import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {RemoteConfig} from '../../lib/remote/config.ts'

export default class RemoteAdd extends BaseCommand<typeof RemoteAdd> {
  static summary = 'Add a remote (S3 API) to share runs and artifacts; credentials come from the AWS chain'
  static examples = ['<%= config.bin %> remote add origin s3://my-bucket/team/project', '<%= config.bin %> remote add local s3://lode --endpoint http://127.0.0.1:9000']
  static args = {name: Args.string({required: true}), url: Args.string({required: true, description: 's3://BUCKET/PREFIX'})}
  static flags = {
    endpoint: Flags.string({description: 'an S3-compatible server (MinIO, Ceph, R2 ...), e.g. http://127.0.0.1:9000'}),
    region: Flags.string({description: 'the bucket\'s region (default: AWS_REGION, else us-east-1)'}),
    default: Flags.boolean({description: 'make it the default remote (the first one added is)'}),
  }

  async run(): Promise<RemoteConfig> {
    const {addRemote} = await import('../../lib/remote/config.ts')
    const {CONFIG_FILE} = await import('../../lib/project/project-file.ts')
    const project = await this.openProject()
    try {
      const r = addRemote(`${project.dir}/${CONFIG_FILE}`, project.config, {name: this.args.name, url: this.args.url, endpoint: this.flags.endpoint, region: this.flags.region, makeDefault: this.flags.default})
      this.out(`Added remote ${r.name} (${r.url}${r.endpoint ? ` at ${r.endpoint}` : ''})`)
      return r
    } finally {
      project.close()
    }
  }
}
