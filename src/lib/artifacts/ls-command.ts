// `lode artifacts ls` as a service: the oclif command and the lean start-up path (src/cli-lean.ts) both call it.
import type {CommandIo} from '../runs/ls-command.ts'
import type {ArtifactVersion} from '../types.ts'

export interface ArtifactsLsFlags {
  kind?: string
  tag?: string
  label?: string[]
  producer?: string
  since?: string
  'all-versions'?: boolean
  limit: number
  project?: string
}

export async function artifactsLs(glob: string | undefined, f: ArtifactsLsFlags, io: CommandIo): Promise<ArtifactVersion[]> {
  const [{buildArtifactQuery, listArtifacts, formatArtifactsTable}, {parseLabelFlags}, {Project}] = await Promise.all([
    import('./query.ts'), import('../executor/params.ts'), import('../project/project.ts'),
  ])
  // one more than asked: whether the list was cut short
  const query = buildArtifactQuery({glob, kind: f.kind, tag: f.tag, labels: parseLabelFlags(f.label), producer: f.producer, since: f.since, allVersions: f['all-versions'], limit: f.limit + 1})
  const project = await Project.open(process.cwd(), {explicit: f.project})
  let found: ArtifactVersion[]
  try {
    found = listArtifacts(project.store, query)
  } finally {
    project.close()
  }
  const versions = found.slice(0, f.limit)
  if (!io.json) io.out(formatArtifactsTable(versions, Boolean(glob || f.kind || f.tag || f.label?.length || f.producer || f.since)))
  if (found.length > f.limit) io.note(`(the newest ${f.limit}; --limit N for more)`)
  return versions
}
