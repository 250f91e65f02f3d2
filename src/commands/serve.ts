import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {ServeResult} from '../lib/serving/serve-command.ts'

export default class Serve extends BaseCommand<typeof Serve> {
  static summary = 'Serve a model artifact over HTTP with the V2 inference protocol (KServe, MLRun)'
  static description = `MODEL_REF is a model artifact: KEY, KEY:TAG, KEY:v3, KEY@RUN, RUN/OUTPUT or a store:// URI. Its bytes are checked
against their sha256 before it is loaded. scikit-learn style pickles are served by Python worker processes (each loads
the model once); models of hub://auto_trainer in lode's process.
Endpoints: GET /v2/health/live, GET /v2/health/ready, GET /v2/models/NAME, POST /v2/models/NAME/infer.
Ctrl-C or SIGTERM stops taking requests, answers those in flight (up to --drain-timeout), then exits 0.`
  static examples = [
    '<%= config.bin %> serve model:latest',
    '<%= config.bin %> serve store://models/cancer/model --port 9000 --workers 2 --log-requests',
  ]
  static args = {model: Args.string({required: true, description: 'model artifact reference'})}
  static flags = {
    port: Flags.integer({description: 'port to listen on (0: a free one)', default: 8080, min: 0, max: 65535}),
    host: Flags.string({description: 'address to listen on (0.0.0.0 for every interface)', default: '127.0.0.1'}),
    workers: Flags.integer({description: 'Python worker processes (pickled models)', default: 2, min: 1, max: 64}),
    name: Flags.string({description: 'the model\'s name in /v2/models/NAME (default: its model_name label, else its key)'}),
    python: Flags.string({description: 'Python interpreter for the workers', env: 'LODE_PYTHON'}),
    'log-requests': Flags.boolean({description: 'monitoring: every request (inputs, prediction, status, latency) becomes a row of the dataset NAME-requests, logged by a run when the server stops', default: false}),
    'drain-timeout': Flags.integer({description: 'seconds to answer requests in flight after Ctrl-C/SIGTERM before cutting them off', default: 1, min: 0}),
  }

  async run(): Promise<ServeResult> {
    const {serve} = await import('../lib/serving/serve-command.ts')
    const project = await this.openProject()
    try {
      return await serve(project, this.args.model, this.flags, {note: (t) => this.note(t)})
    } finally {
      project.close()
    }
  }
}
