// An S3 API server (s3rver) on 127.0.0.1 for the remote tests: started by the test, stopped after it.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import S3rver from 's3rver'

export interface S3Server {
  endpoint: string
  port: number
  directory: string
  stop(): Promise<void>
}

/** Start a server over `directory` (a new temp folder by default) with `buckets`; port 0 picks a free port. */
export async function startS3(opts: {directory?: string; port?: number; buckets?: string[]} = {}): Promise<S3Server> {
  const directory = opts.directory ?? mkdtempSync(join(tmpdir(), 'lode-s3-'))
  const server = new S3rver({address: '127.0.0.1', port: opts.port ?? 0, silent: true, directory, configureBuckets: (opts.buckets ?? ['lode']).map((name) => ({name, configs: []}))})
  const address = (await server.run()) as {port: number}
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    directory,
    stop: async () => {
      const http = (server as unknown as {httpServer?: {closeAllConnections?: () => void}}).httpServer
      http?.closeAllConnections?.()
      await server.close()
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
