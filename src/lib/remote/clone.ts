// `lode clone s3://... DIR`: a new project whose records come from the remote; bytes are fetched when used.
import {existsSync, readdirSync, rmSync} from '../util/fs.ts'
import {resolve} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import {CONFIG_FILE} from '../project/project-file.ts'
import {Project} from '../project/project.ts'
import {addRemote, checkEndpoint, layout, parseS3Url, type RemoteConfig} from './config.ts'
import {pull, type PullResult} from './pull.ts'
import {readMarker} from './push.ts'
import {S3Remote} from './s3.ts'

export async function clone(url: string, dir: string, o: {endpoint?: string; region?: string; name?: string} = {}): Promise<PullResult & {dir: string; project: string}> {
  const target = resolve(dir)
  if (existsSync(target) && readdirSync(target).length > 0) throw new UserError(`${target} exists and is not empty.`, 'Clone into a new folder: lode clone URL NEW_DIR')
  if (o.endpoint !== undefined) checkEndpoint(o.endpoint)
  const r: RemoteConfig = {name: o.name ?? 'origin', url, ...parseS3Url(url), ...(o.endpoint ? {endpoint: o.endpoint} : {}), ...(o.region ? {region: o.region} : {})}
  const remote = await S3Remote.open(r)
  let project: string
  try {
    const marker = await remote.getBytes(layout.marker(r))
    if (!marker) throw new NotFoundError(`${url} holds no lode project (no lode-remote.json there).`, 'Check the URL and --endpoint; a project gets there with: lode remote add origin URL; lode push')
    project = readMarker(marker.toString('utf8'), r).project
  } finally {
    remote.close()
  }
  const created = !existsSync(target)
  try {
    Project.init(target, {name: project})
    const p = await Project.open(target, {explicit: target})
    addRemote(resolve(target, CONFIG_FILE), p.config, {name: r.name, url, endpoint: o.endpoint, region: o.region, makeDefault: true})
    p.close()
    const cloned = await Project.open(target, {explicit: target})
    try {
      return {...(await pull(cloned)), dir: target, project}
    } finally {
      cloned.close()
    }
  } catch (error) {
    // nothing half made is left behind
    if (created) rmSync(target, {recursive: true, force: true})
    else for (const f of readdirSync(target)) rmSync(resolve(target, f), {recursive: true, force: true})
    throw error
  }
}
