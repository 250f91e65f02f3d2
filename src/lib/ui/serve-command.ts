// `lode ui` as a service: start the server, print its URL, serve until Ctrl-C or SIGTERM, then close.
import type {Project} from '../project/project.ts'
import {startUiServer} from './server.ts'
import {chooseToken} from './token.ts'

export async function serveUi(project: Project, f: {port: number; host: string; token?: string; open?: boolean}, io: {out(text: string): void; note(text: string): void}) {
  const token = chooseToken(f.token, f.host)
  const server = await startUiServer(project.store, {host: f.host, port: f.port, token})
  io.out(server.url)
  io.note(`lode ui: serving ${project.name} (read-only) until Ctrl-C`)
  const {isLoopback} = await import('./token.ts')
  if (!isLoopback(f.host)) io.note(`Listening on ${f.host}: anyone who can reach this machine and has the URL above can read every run and artifact.`)
  if (f.open) {
    const {runProbe} = await import('../executor/spawn.ts')
    void runProbe(process.platform === 'darwin' ? 'open' : 'xdg-open', [server.url]).then((r) => {
      if (r.failure || r.exitCode !== 0) io.note(`Could not open a browser (${r.failure?.message ?? `exit ${r.exitCode}`}); open the URL above.`)
    })
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  project.close()
  return {url: server.url, host: server.host, port: server.port}
}
