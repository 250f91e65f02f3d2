// Loaded by mocha (.mocharc.cjs) in its main process and in each worker. A test file's process that dies after its
// tests (an error thrown by work a failed test left running) can end mocha's parallel run early with no summary and
// exit code 0; the main process then exits 1 and says so, unless the run reached its end (mochaGlobalTeardown).
let ended = false
exports.mochaGlobalTeardown = () => {
  ended = true
}
// workers are forked with an IPC channel; the main process has none
if (!process.send) {
  process.on('exit', () => {
    if (ended) return
    process.stderr.write('\nmocha stopped before the end of the run (a test file\'s process failed after its tests; see above): failing the run\n')
    process.exit(1)
  })
}
