// `lode runs ls` as a service: the oclif command and the lean start-up path (src/cli-lean.ts) both call it.
import type {Run, RunState} from '../types.ts'

export interface RunsLsFlags {
  state?: string
  label?: string[]
  name?: string
  limit: number
  where?: string
  sort?: string
  columns?: string
  watch?: boolean
  /** a run uid or prefix: only the runs it made (its iterations, its steps) */
  parent?: string
  project?: string
}

export interface CommandIo {
  json: boolean
  /** the answer, on stdout (nothing under --json) */
  out(text: string): void
  /** notes on stderr */
  note(text: string): void
}

export async function runsLs(f: RunsLsFlags, io: CommandIo): Promise<Run[]> {
  const [{parseLabelFlags}, {listRuns}, {formatRunsTable}, {shouldColor}, {Project}, {parseRunSelection}] = await Promise.all([
    import('../executor/params.ts'), import('./list.ts'), import('../views/runs-format.ts'), import('../views/color.ts'), import('../project/project.ts'),
    import('./selection.ts'),
  ])
  const {where, sort, columns} = parseRunSelection(f)
  const project = await Project.open(process.cwd(), {explicit: f.project})
  const parent = f.parent ? project.store.runs.resolve(f.parent).uid : undefined
  const query = {state: f.state as RunState | undefined, name: f.name, labels: parseLabelFlags(f.label), parent, where, sort, limit: f.limit}
  if (f.watch && !io.json) {
    const {renderRunsWatch} = await import('../views/reporter.ts')
    const watched = await renderRunsWatch(() => listRuns(project.store, query), 500)
    if (!watched) io.note('(--watch refreshes only on a terminal, outside CI: the table was printed once)')
    project.close()
    return []
  }
  // one more than asked: whether the list was cut short
  const found = listRuns(project.store, {...query, limit: query.limit + 1})
  const runs = found.slice(0, query.limit)
  project.close()
  const filtered = Boolean(query.state || query.name || parent || Object.keys(query.labels).length || where)
  io.out(runs.length === 0 && filtered ? 'No runs match these filters.' : formatRunsTable(runs, {color: shouldColor(process.stdout, process.env), columns}))
  if (found.length > query.limit) io.note(`(the ${sort ? 'first' : 'newest'} ${query.limit} run${query.limit === 1 ? '' : 's'}; --limit N for more)`)
  return runs
}
