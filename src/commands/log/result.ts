import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {JsonValue} from '../../lib/types.ts'

export default class LogResult extends BaseCommand<typeof LogResult> {
  static summary = 'Log a result of the running handler (inside `lode run` only)'
  static examples = ['<%= config.bin %> log result accuracy 0.97']
  static args = {key: Args.string({required: true}), value: Args.string({required: true, description: 'parsed as JSON where it parses'})}

  async run(): Promise<{key: string; value: JsonValue}> {
    const [{contextFromEnv}, {parseParamValue}] = await Promise.all([import('../../lib/sdk/from-env.ts'), import('../../lib/executor/params.ts')])
    const value = parseParamValue(this.args.value)
    contextFromEnv().logResult(this.args.key, value)
    return {key: this.args.key, value}
  }
}
