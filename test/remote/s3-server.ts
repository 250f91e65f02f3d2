// An S3 API server (s3rver) on 127.0.0.1 for the remote tests, in a process of its own (s3-server-main.ts): started
// by the test, stopped after it.
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

export interface S3Server {
  endpoint: string
  port: number
  directory: string
  stop(): Promise<void>
}

/** Start a server over `directory` (a new temp folder by default) with `buckets`; port 0 picks a free port. */
export async function startS3(opts: {directory?: string; port?: number; buckets?: string[]} = {}): Promise<S3Server> {
  const directory = opts.directory ?? mkdtempSync(join(tmpdir(), 'lode-s3-'))
  const main = join(import.meta.dirname, 's3-server-main.ts')
  const child = spawn(process.execPath, [main, directory, String(opts.port ?? 0), (opts.buckets ?? ['lode']).join(',')], {stdio: ['ignore', 'pipe', 'inherit']})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const first = await new Promise<string | null>((resolve) => {
    const lines = createInterface({input: child.stdout})
    lines.once('line', resolve)
    child.once('exit', () => resolve(null))
  })
  if (first === null) throw new Error(`the S3 test server did not start (exit code ${child.exitCode})`)
  const {port} = JSON.parse(first) as {port: number}
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** The environment a lode process needs to reach the test server: credentials s3rver knows, no shared config files. */
export function s3Env(dir: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...over,
  }
}
