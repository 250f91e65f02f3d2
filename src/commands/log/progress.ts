import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {UserError} from '../../lib/errors.ts'

export default class LogProgress extends BaseCommand<typeof LogProgress> {
  static summary = "Report the running handler's progress, 0..1 or a percentage (inside `lode run` only)"
  static examples = ['<%= config.bin %> log progress 0.5 training', '<%= config.bin %> log progress 50%']
  static args = {fraction: Args.string({required: true}), message: Args.string()}

  async run(): Promise<{fraction: number}> {
    const {contextFromEnv} = await import('../../lib/sdk/from-env.ts')
    const text = this.args.fraction.trim()
    const fraction = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text)
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new UserError(`Progress must be between 0 and 1 (or 0% and 100%), got "${text}".`)
    contextFromEnv().progress(fraction, this.args.message)
    return {fraction}
  }
}
