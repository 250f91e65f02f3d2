// An artifact's bytes over HTTP: verified against their sha256 first (as `artifacts get` does), and served so that
// a handler's HTML or SVG cannot run script in the page: a CSP sandbox on the response, an iframe sandbox in the page.
import {createReadStream} from '../util/fs.ts'
import type {ServerResponse} from 'node:http'
import {UserError, NotFoundError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion} from '../types.ts'
import {defaultFileName} from '../artifacts/fetch.ts'

/** Objects up to this size are read and hashed in memory, so the bytes sent are the bytes verified. */
const IN_MEMORY = 32 * 1024 * 1024

export const SANDBOX_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

const TYPES: Record<string, string> = {
  svg: 'image/svg+xml', html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', png: 'image/png', jpg: 'image/jpeg',
  jpeg: 'image/jpeg', gif: 'image/gif', json: 'text/plain; charset=utf-8', csv: 'text/plain; charset=utf-8', txt: 'text/plain; charset=utf-8',
  md: 'text/plain; charset=utf-8', log: 'text/plain; charset=utf-8', yaml: 'text/plain; charset=utf-8', ndjson: 'text/plain; charset=utf-8',
}

export function contentType(v: ArtifactVersion, file?: string): string {
  const mime = file ? undefined : v.meta?.mime?.split(';')[0]?.trim().toLowerCase()
  if (mime === 'text/html') return TYPES.html!
  if (mime && ['image/svg+xml', 'image/png', 'image/jpeg', 'image/gif'].includes(mime)) return mime
  const ext = (file ? file.split('.').pop() : v.format)?.toLowerCase() ?? ''
  return TYPES[ext] ?? 'application/octet-stream'
}

/** A name safe in a header: anything but plain letters, digits, '.', '-' and '_' becomes '_'. */
function headerName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'artifact'
}

export async function sendArtifactBytes(store: Store, v: ArtifactVersion, q: URLSearchParams, res: ServerResponse): Promise<void> {
  let sha256 = v.sha256
  let size = v.size
  let name = defaultFileName(v)
  const file = q.get('file')
  if (v.kind === 'dir' || v.kind === 'model') {
    if (file === null) throw new UserError(`${v.key} is a folder: name one of its files (?file=PATH).`)
    // a path is looked up in the version's verified manifest, never joined onto a folder on disk
    const entry = (await store.objects.readManifest(v.sha256)).find((f) => f.path === file)
    if (!entry) throw new NotFoundError(`${v.key} v${v.version} has no file ${JSON.stringify(file)}.`)
    ;({sha256, size} = entry)
    name = entry.path.split('/').pop() ?? name
  }
  const headers: Record<string, string | number> = {
    'Content-Type': contentType(v, file ?? undefined), 'Content-Security-Policy': SANDBOX_CSP, 'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store', 'Content-Length': size,
    ...(q.get('download') === '1' ? {'Content-Disposition': `attachment; filename="${headerName(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`} : {}),
  }
  if (size <= IN_MEMORY) {
    const bytes = await store.objects.readVerified(sha256)
    res.writeHead(200, headers).end(bytes)
    return
  }
  const path = await store.objects.assertIntact(sha256) // objects are read-only once stored
  res.writeHead(200, headers)
  await new Promise<void>((resolve) => createReadStream(path).on('end', resolve).on('error', () => { res.destroy(); resolve() }).pipe(res))
}
