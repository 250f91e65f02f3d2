// `npm run test:browser`: the web UI driven in a real headless Chromium (after `npm run build`). One file at a time:
// a browser is heavy on a 2-core machine.
const base = require('./.mocharc.cjs')
module.exports = {...base, parallel: false, jobs: 1, spec: ['test/browser/**/*.browser.ts']}
