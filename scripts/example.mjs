// `npm run example`: the breast-cancer pipeline (examples/cancer) end to end, on a fresh machine too. Its train step
// is scikit-learn, so a Python with scikit-learn and pandas is found first (LODE_PYTHON, python3 on PATH, the
// system's); where there is none, Debian's packages are installed when this runs as root with apt-get (as CI does),
// otherwise it says what to install. Extra arguments go to `lode workflow run`.
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const hasPackages = (python) => spawnSync(python, ['-c', 'import sklearn, pandas'], {stdio: 'ignore'}).status === 0
const candidates = [process.env.LODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)

let python = candidates.find(hasPackages)
if (!python && process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0) {
  console.error('example: no Python with scikit-learn and pandas; installing Debian\'s python3-sklearn and python3-pandas')
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  spawnSync('apt-get', ['update', '-q'], {stdio: ['ignore', 'ignore', 'inherit'], env})
  spawnSync('apt-get', ['install', '-y', '-q', 'python3-sklearn', 'python3-pandas'], {stdio: ['ignore', 'ignore', 'inherit'], env})
  python = ['/usr/bin/python3'].find(hasPackages)
}
if (!python) {
  console.error('example: the train step needs a Python with scikit-learn and pandas, and none was found.\n' +
    'Install them (Debian: apt-get install python3-sklearn python3-pandas; elsewhere: pip install scikit-learn pandas),\n' +
    'or point lode at a Python that has them: LODE_PYTHON=/path/to/python3 npm run example')
  process.exit(2)
}
if (python !== candidates[0]) console.error(`example: running Python steps with ${python} (it has scikit-learn and pandas)`)
const args = ['bin/run.js', 'workflow', 'run', 'examples/cancer/workflow.yaml', '--project', 'examples/cancer', ...process.argv.slice(2)]
const r = spawnSync(process.execPath, args, {cwd: root, stdio: 'inherit', env: {...process.env, LODE_PYTHON: python}})
process.exit(r.status ?? 1)
