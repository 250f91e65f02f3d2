import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {JsonValue} from '../../lib/types.ts'

export default class LogResult extends BaseCommand<typeof LogResult> {
  static summary = 'Log a result of the running handler (inside `lode run` only)'
  static examples = ['<%= config.bin %> log result accuracy 0.97']
  static args = {key: Args.string({required: true}), value: Args.string({required: true, description: 'parsed as JSON where it parses'})}

  async run(): Promise<{key: string; value: JsonValue}> {
    const {logResultCommand} = await import('../../lib/sdk/from-env.ts')
    return logResultCommand(this.args.key, this.args.value)
  }
}
