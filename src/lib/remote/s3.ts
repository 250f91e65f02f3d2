// The only module that loads the AWS SDK, and only when a remote is used: other commands start as before.
import type {S3Client} from '@aws-sdk/client-s3'
import type {Readable} from 'node:stream'
import type {RemoteConfig} from './config.ts'
import {remoteError} from './errors.ts'

export interface RemoteObject {
  key: string
  size: number
  /** ms since the epoch */
  modified: number
}

/** How long a remote may stay silent (ms): LODE_REMOTE_TIMEOUT_MS, default 60 s. */
function silentMs(): number {
  const ms = Number(process.env.LODE_REMOTE_TIMEOUT_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : 60_000
}

/** One remote's bucket through the S3 API. Every failure comes out as a LodeError saying what went wrong (errors.ts). */
export class S3Remote {
  readonly config: RemoteConfig
  private readonly client: S3Client
  private readonly sdk: typeof import('@aws-sdk/client-s3')

  private constructor(config: RemoteConfig, sdk: typeof import('@aws-sdk/client-s3'), client: S3Client) {
    this.config = config
    this.sdk = sdk
    this.client = client
  }

  static async open(config: RemoteConfig): Promise<S3Remote> {
    const sdk = await import('@aws-sdk/client-s3')
    const client = new sdk.S3Client({
      region: config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      // MinIO, Ceph and most S3-compatible servers address buckets by path, not by host name
      ...(config.endpoint ? {endpoint: config.endpoint, forcePathStyle: true} : {}),
      maxAttempts: Number(process.env.LODE_REMOTE_ATTEMPTS ?? 4),
      // bytes are checked by their sha256 at both ends: the SDK's own CRC of every body would be a second pass
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // a server that takes the connection but goes silent (before answering, or mid-body) is a network failure,
      // retried like one, not a wait for ever; a slow transfer that keeps moving is never cut
      requestHandler: {connectionTimeout: silentMs(), socketTimeout: silentMs()},
    })
    return new S3Remote(config, sdk, client)
  }

  private async send<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw remoteError(error, this.config, what)
    }
  }

  /** Every object under `prefix` (paged by the server, 1,000 a request). */
  async list(prefix: string): Promise<RemoteObject[]> {
    const out: RemoteObject[] = []
    let token: string | undefined
    do {
      const page = await this.send(`list ${prefix}`, () => this.client.send(new this.sdk.ListObjectsV2Command({Bucket: this.config.bucket, Prefix: prefix, ContinuationToken: token})))
      for (const o of page.Contents ?? []) if (o.Key) out.push({key: o.Key, size: Number(o.Size ?? 0), modified: o.LastModified ? o.LastModified.getTime() : 0})
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return out
  }

  /** The body of an object as a stream, or null when there is no such object. */
  async getStream(key: string): Promise<Readable | null> {
    try {
      const r = await this.client.send(new this.sdk.GetObjectCommand({Bucket: this.config.bucket, Key: key}))
      return r.Body as Readable
    } catch (error) {
      if ((error as {name?: string}).name === 'NoSuchKey') return null
      throw remoteError(error, this.config, `get ${key}`)
    }
  }

  /**
   * A small object's bytes. The SDK retries a request until its response starts; a connection reset while the body
   * is read (a server closing a kept-alive socket) is retried here, a few times, before it is an error.
   */
  async getBytes(key: string): Promise<Buffer | null> {
    for (let attempt = 1; ; attempt++) {
      const stream = await this.getStream(key)
      if (!stream) return null
      const chunks: Buffer[] = []
      try {
        for await (const c of stream) chunks.push(c as Buffer)
        return Buffer.concat(chunks)
      } catch (error) {
        const e = remoteError(error, this.config, `get ${key}`)
        if (e.code !== 'remote_unreachable' || attempt >= BODY_ATTEMPTS) throw e
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
      }
    }
  }

  /**
   * Write a small object. `ifNoneMatch`: only when no object has that key (on servers that honour conditional
   * writes; returns false when one did).
   */
  async put(key: string, body: string | Uint8Array, opts: {ifNoneMatch?: boolean; contentType?: string} = {}): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.PutObjectCommand({Bucket: this.config.bucket, Key: key, Body: body, ContentType: opts.contentType, ...(opts.ifNoneMatch ? {IfNoneMatch: '*'} : {})}))
      return true
    } catch (error) {
      const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
      if (opts.ifNoneMatch && status === 412) return false
      throw remoteError(error, this.config, `put ${key}`)
    }
  }

  async remove(key: string): Promise<void> {
    await this.send(`delete ${key}`, () => this.client.send(new this.sdk.DeleteObjectCommand({Bucket: this.config.bucket, Key: key})))
  }

  /**
   * Upload a stream of `size` bytes: one request when small, else a multipart upload of parts sent several at a time.
   * The stream may fail at its end (a hash that did not match): nothing is then left under `key`.
   */
  async upload(key: string, body: Readable, size: number, onBytes?: (n: number) => void): Promise<void> {
    const {Upload} = await import('@aws-sdk/lib-storage')
    const upload = new Upload({
      client: this.client,
      params: {Bucket: this.config.bucket, Key: key, Body: body, ContentLength: size},
      partSize: PART_BYTES,
      queueSize: 4,
      leavePartsOnError: false,
    })
    let last = 0
    upload.on('httpUploadProgress', (p) => {
      const loaded = Number(p.loaded ?? 0)
      if (loaded > last) onBytes?.(loaded - last)
      last = Math.max(last, loaded)
    })
    await this.send(`upload ${key}`, () => upload.done())
  }

  close(): void {
    this.client.destroy()
  }
}

/** Reads of a small object's body, in all (see getBytes). */
const BODY_ATTEMPTS = 4

/** Parts of a multipart upload: large enough that a 1 GB object is 64 requests, small enough to send 4 at a time. */
const PART_BYTES = 16 * 1024 * 1024
