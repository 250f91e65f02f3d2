// The handler `lode serve --log-requests` runs when it stops: the request log becomes a dataset of the model's,
// and the server's figures its results.
import type {Context} from '../sdk/context.ts'
import type {DataItem} from '../sdk/data-item.ts'

export async function logRequests(ctx: Context, args: {requests: DataItem; key: string; request_count: number; errors: number; latency_p50_ms: number; latency_p99_ms: number}): Promise<void> {
  await ctx.logDataset(args.key, {localPath: args.requests.localPath()}, {format: 'parquet', labels: {monitoring: 'requests'}})
  ctx.logResults({requests: args.request_count, errors: args.errors, latency_p50_ms: args.latency_p50_ms, latency_p99_ms: args.latency_p99_ms})
}
