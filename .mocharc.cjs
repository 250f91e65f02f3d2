process.env.TSX_TSCONFIG_PATH = require('node:path').join(__dirname, 'test', 'tsconfig.json')
module.exports = {
  'node-option': ['import=tsx', 'disable-warning=ExperimentalWarning'],
  'forbid-only': true,
  timeout: 60000,
  reporter: 'spec',
}
