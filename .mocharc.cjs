// Tests never touch the user's hub cache.
process.env.LODE_CACHE_DIR = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'lode-test-cache-'))
process.env.TSX_TSCONFIG_PATH = require('node:path').join(__dirname, 'test', 'tsconfig.json')
module.exports = {
  'node-option': ['import=tsx', 'disable-warning=ExperimentalWarning'],
  // a run that stops before its end fails, even when mocha would exit 0
  require: [require('node:path').join(__dirname, 'test', 'helpers', 'run-ended.cjs')],
  'forbid-only': true,
  timeout: 60000,
  reporter: 'spec',
  // Two files at a time: most of a test's time is spent waiting on the processes it starts, so two workers fit a
  // 2-core machine and halve the suite's wall time. Each file runs in one worker, its tests in order.
  parallel: true,
  jobs: 2,
}
