// `lode run hub://NAME [--handler H] --help`: the handler's parameters, from its function.yaml.
import {hubParamDocs} from './param-docs.ts'
import {resolveHubRef} from './resolve.ts'
import {hubSources} from './sources.ts'
import {isHubRef} from '../uri/refs.ts'

export async function hubRunHelp(argv: string[]): Promise<string | null> {
  const ref = argv.find(isHubRef)
  if (!ref) return null
  const flag = argv.findIndex((a) => a === '--handler' || a.startsWith('--handler='))
  const handler = flag < 0 ? undefined : argv[flag]!.includes('=') ? argv[flag]!.split('=')[1] : argv[flag + 1]
  const hubs: string[] = []
  argv.forEach((a, i) => {
    if (a === '--hub' && argv[i + 1]) hubs.push(argv[i + 1]!)
    else if (a.startsWith('--hub=')) hubs.push(a.slice(6))
  })
  const hub = await resolveHubRef(ref, {sources: hubSources({flags: hubs})})
  return `${hubParamDocs(hub.spec, handler)}\nRun it: lode run ${ref} --handler ${handler ?? hub.spec.default_handler} -i INPUT=... -p PARAM=VALUE -o OUTPUT\nAll flags of lode run: lode run --help\n`
}
