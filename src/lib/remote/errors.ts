// What a remote's failures mean to the user, each with its own exit code (README: exit codes).
import {IntegrityError, LodeError} from '../errors.ts'
import type {RemoteConfig} from './config.ts'

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET'])
const AUTH = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'InvalidToken', 'CredentialsProviderError', 'Forbidden', 'AllAccessDisabled', 'InvalidClientTokenId'])

function where(r: RemoteConfig): string {
  return `remote "${r.name}" (${r.url}${r.endpoint ? ` at ${r.endpoint}` : ''})`
}

/** An SDK or socket error as a LodeError; a LodeError passes through. */
export function remoteError(error: unknown, r: RemoteConfig, what: string): LodeError {
  if (error instanceof LodeError) return error
  const e = error as Error & {name?: string; code?: string; Code?: string; $metadata?: {httpStatusCode?: number}; cause?: {code?: string}}
  const name = e.name ?? ''
  const code = e.code ?? e.cause?.code ?? ''
  const status = e.$metadata?.httpStatusCode
  if (name === 'RequestTimeTooSkewed' || name === 'RequestExpired' || /skew/i.test(e.message ?? '')) {
    return new LodeError('clock_skew', `${where(r)} refused the request: this machine's clock is too far from the server's (${e.message}).`, {
      hint: 'Set the clock right (timedatectl set-ntp true, or your system\'s time settings), then try again.',
      cause: error,
    })
  }
  if (AUTH.has(name) || status === 403 || /credential/i.test(name)) {
    return new LodeError('remote_auth', `${where(r)} refused the credentials (${name || status}: ${e.message}).`, {
      hint: 'lode takes credentials from the AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or ~/.aws/credentials. Check them (aws sts get-caller-identity) and that they may read and write this bucket.',
      cause: error,
    })
  }
  if (name === 'NoSuchBucket' || (status === 404 && /bucket/i.test(e.message ?? ''))) {
    return new LodeError('remote_no_bucket', `${where(r)}: the bucket "${r.bucket}" does not exist.`, {
      hint: `Create it (aws s3 mb s3://${r.bucket}${r.endpoint ? ` --endpoint-url ${r.endpoint}` : ''}), or fix the URL: lode remote rm ${r.name}; lode remote add ${r.name} s3://BUCKET/PREFIX`,
      cause: error,
    })
  }
  if (NETWORK.has(code) || NETWORK.has(name) || name === 'TimeoutError' || name === 'AbortError' || /socket hang up|ECONNRE|network|timed? ?out/i.test(e.message ?? '') || (status !== undefined && status >= 500)) {
    return new LodeError('remote_unreachable', `${where(r)} did not answer (${what}: ${code || name || status}: ${e.message}), after retries.`, {
      hint: 'Check the endpoint and your network, then run the same command again (a push resumes: what it uploaded is kept, and nothing partial became visible).',
      cause: error,
    })
  }
  return new LodeError('external', `${where(r)} failed to ${what}: ${name ? `${name}: ` : ''}${e.message}`, {cause: error})
}

/** Bytes from a remote that are not what their name says: refused, never stored. */
export function tamperedObject(r: RemoteConfig, sha256: string, actual: string): IntegrityError {
  return new IntegrityError(`The object ${sha256.slice(0, 12)} on ${where(r)} does not match its sha256 (its bytes hash to ${actual.slice(0, 12)}): it was refused and nothing was stored.`,
    `The copy on the remote is damaged or was changed. Push it again from a clone that has it intact (lode artifacts verify there first), or remove the object from the bucket.`,
    {sha256, actual, remote: r.name})
}
