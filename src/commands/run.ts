import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {Run} from '../lib/types.ts'

export default class RunCommand extends BaseCommand<typeof RunCommand> {
  static summary = 'Run a handler in its own process and record the run'
  static description = `FUNCTION is a file (train.ts, train.py, build.sh), FILE#HANDLER, a function named in lode.yaml, or hub://NAME[:VERSION].
For any other command: lode run --kind exec -- COMMAND ARGS... ({inputs.KEY} and {params.KEY} are replaced in ARGS).
Exit status: 0 completed, 1 the run failed, 130 aborted, 2 bad input, 3 no project, 4 not found.`
  static examples = [
    '<%= config.bin %> run train.ts#train -i dataset=data/iris.csv -p epochs=10 -o model',
    '<%= config.bin %> run hub://auto_trainer --handler train -i dataset=dataset:latest -p model_class=sklearn.ensemble.RandomForestClassifier -p label_columns=label -o model',
    '<%= config.bin %> run --kind exec -i data=raw.csv -- python3 prep.py --in {inputs.data}',
  ]
  static strict = false
  static args = {function: Args.string({description: 'file[#handler], lode.yaml function, or hub://name[:version]', required: false})}
  static flags = {
    handler: Flags.string({description: 'handler (exported function) to call'}),
    input: Flags.string({char: 'i', description: 'KEY=PATH_OR_URI (repeatable): a file, store:// URI, KEY[:TAG], or RUN/OUTPUT', multiple: true}),
    param: Flags.string({char: 'p', description: 'KEY=VALUE (repeatable); JSON values (numbers, booleans, arrays, objects) are parsed', multiple: true}),
    'params-file': Flags.string({description: 'params from a YAML or JSON file (-p wins)'}),
    output: Flags.string({char: 'o', description: 'declared output KEY (repeatable): the run fails if it was not logged', multiple: true}),
    name: Flags.string({description: 'run name (default: from the function and handler)'}),
    label: Flags.string({description: 'KEY=VALUE label (repeatable)', multiple: true}),
    kind: Flags.string({description: 'function kind', options: ['node', 'python', 'exec']}),
    python: Flags.string({description: 'Python interpreter for .py handlers', env: 'LODE_PYTHON'}),
    hub: Flags.string({description: 'hub folder or URL to resolve hub:// from (repeatable)', multiple: true}),
    events: Flags.string({description: 'print every event as one JSON line on stdout', options: ['ndjson']}),
    secret: Flags.string({description: 'KEY or KEY=ENV_VAR (repeatable): a secret from lode.yaml `secrets:` or an environment variable; reaches the handler, never the records', multiple: true}),
    'secret-file': Flags.string({description: 'secrets from a file: KEY=VALUE lines, or a YAML/JSON mapping (repeatable)', multiple: true}),
  }

  async run(): Promise<Run> {
    const [{parseInputFlags}, {parseLabelFlags, parseParamFlags, readParamsFile}, {runWithUi}, {collectSecrets, secretParamWarning}] = await Promise.all([
      import('../lib/executor/resolve-inputs.ts'), import('../lib/executor/params.ts'), import('../lib/executor/run-command.ts'), import('../lib/secrets/sources.ts'),
    ])
    const f = this.flags
    const params = {...(f['params-file'] ? readParamsFile(f['params-file']) : {}), ...parseParamFlags(f.param)}
    const inputs = parseInputFlags(f.input)
    const project = await this.openProject()
    const secrets = collectSecrets({flags: f.secret, files: f['secret-file']}, {config: project.config, dir: project.dir})
    const warning = secretParamWarning(params)
    if (warning) this.warn(warning)
    const rest = this.argv.includes('--') ? this.argv.slice(this.argv.indexOf('--') + 1) : []
    const fnRef = this.args.function && !rest.includes(this.args.function) ? this.args.function : undefined
    const {run, failure} = await runWithUi(project, fnRef, {
      handler: f.handler, params, inputs, outputs: f.output, name: f.name, labels: parseLabelFlags(f.label),
      kind: f.kind as 'node' | 'python' | 'exec' | undefined, command: rest.length ? rest : undefined, python: f.python, hubs: f.hub, secrets,
    }, {json: this.jsonEnabled(), events: f.events as 'ndjson' | undefined})
    project.close()
    return this.settle(run, failure)
  }
}
