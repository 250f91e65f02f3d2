// An S3 API server (s3rver) in a process of its own, for the remote tests (s3-server.ts starts it):
// node s3-server-main.ts DIRECTORY PORT BUCKET[,BUCKET...]; prints {"port": N} once it listens, stops on SIGTERM.
// s3rver races with itself on some concurrent requests (a delete removes a folder that is momentarily empty while a
// put into it opens its file): the error it then leaves unhandled fails that one request, not the test process.
import S3rver from 's3rver'

const [directory, port, buckets] = process.argv.slice(2) as [string, string, string]
process.on('uncaughtException', (error) => process.stderr.write(`s3rver: ${error.stack ?? error}\n`))
const server = new S3rver({address: '127.0.0.1', port: Number(port), silent: true, directory, configureBuckets: buckets.split(',').map((name) => ({name, configs: []}))})
const address = (await server.run()) as {port: number}
process.stdout.write(`${JSON.stringify({port: address.port})}\n`)
process.once('SIGTERM', () => {
  // the connections in flight are cut, as when a server goes away
  ;(server as unknown as {httpServer?: {closeAllConnections?: () => void}}).httpServer?.closeAllConnections?.()
  void server.close().then(() => process.exit(0))
})
