// `npm run bench`: every bench/*.ts in turn (bench/lib.ts is their helpers). Each prints its figures as ratios
// against a baseline measured in the same run, with its target and PASS or MISS, and exits non-zero on a miss.
// This exits non-zero when any bench did.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench')
const only = process.argv.slice(2)
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'lib.ts' && (only.length === 0 || only.some((o) => f.startsWith(o))))
  .sort()
const outcomes = []
for (const file of benches) {
  console.log(`\n== bench/${file}`)
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', join(dir, file)], {stdio: 'inherit'})
  const seconds = ((performance.now() - t0) / 1000).toFixed(0)
  outcomes.push({file, ok: r.status === 0, why: r.status === 0 ? 'all targets met' : r.signal ? `killed by ${r.signal}` : `exit ${r.status}: a target missed or the bench failed`, seconds})
}
console.log('\n== summary')
for (const o of outcomes) console.log(`${o.ok ? 'PASS' : 'MISS'}  bench/${o.file.padEnd(16)} ${o.why} (${o.seconds} s)`)
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1
