// Who owns what: the database and the objects belong to src/lib/store/. Checked over the sources, so it cannot regress.
import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const STORE = `src${sep}lib${sep}store${sep}`

/** Files outside the store that hold SQL for something other than the store's database, and why. */
const OTHER_SQL: Record<string, string> = {
  [join('src', 'lib', 'artifacts', 'dataset-stats.ts')]: "polars' SQL over an in-memory frame (pl.SQLContext), not the store's database",
}

function sources(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.tsx?$/.test(e.name) ? [relative(ROOT, path)] : []
  })
}

/** Each line of each source file outside src/lib/store/, with its number. */
function linesOutsideStore(): {file: string; n: number; line: string}[] {
  return sources().filter((f) => !f.startsWith(STORE)).flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8').split('\n').map((line, i) => ({file, n: i + 1, line})))
}

const STRING = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g
const SQL = /\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|DROP\s+TABLE|PRAGMA)\b/

describe('ownership: who may do what', () => {
  it('runs no SQL outside src/lib/store/: no db.run/get/all/exec, no prepare, no db handle passed around', () => {
    // a transaction that spans several record modules (store.db.tx) is the caller's to open; nothing else of the db
    const found = linesOutsideStore().filter(({line}) => /\.prepare\(|\.db\b(?!\.tx\()/.test(line))
    expect(found.map(({file, n, line}) => `${file}:${n}: ${line.trim()}`)).to.deep.equal([])
  })

  it('writes no SQL in strings outside src/lib/store/', () => {
    const files = new Map<string, string>()
    for (const file of sources().filter((f) => !f.startsWith(STORE) && !(f in OTHER_SQL))) files.set(file, readFileSync(join(ROOT, file), 'utf8'))
    const found = [...files].flatMap(([file, text]) => (text.match(STRING) ?? []).filter((s) => SQL.test(s)).map((s) => `${file}: ${s.slice(0, 80)}`))
    expect(found).to.deep.equal([])
  })

  it('the SQL check finds a query, and the exempted files hold none for the store', () => {
    expect(SQL.test("'SELECT id FROM artifacts WHERE sha256 = ?'")).to.equal(true)
    expect(SQL.test('`INSERT OR REPLACE INTO tags (key) VALUES (?)`')).to.equal(true)
    expect(SQL.test("'Select the dataset from the list'")).to.equal(false)
    for (const file of Object.keys(OTHER_SQL)) {
      expect(readFileSync(join(ROOT, file), 'utf8'), file).to.not.match(/\b(FROM|INTO|JOIN)\s+(runs|run_inputs|artifacts|artifact_objects|tags|workflows|file_hashes)\b/)
    }
  })

  it('parses references only in src/lib/uri/refs.ts', () => {
    // src/cli.ts looks for hub:// in argv before anything is imported, to keep start-up fast
    const REFS = join('src', 'lib', 'uri', 'refs.ts')
    const PARSING = /startsWith\('(hub|store):\/\/'\)|(lastIndexOf|indexOf|split)\('[#@]'\)|(hub|store):\\\/\\\/|\[0-9a-f\]\{(1|4),32\}/
    const found = sources().filter((f) => f !== REFS && f !== join('src', 'cli.ts')).flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8').split('\n').flatMap((line, i) => (PARSING.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])))
    expect(found).to.deep.equal([])
  })

  it('deletes objects only through src/lib/store/objects.ts', () => {
    const found: string[] = []
    for (const file of sources().filter((f) => !f.startsWith(STORE))) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      // names bound to an object's path, then any rm/unlink of such a name or of an objects path directly
      const bound = [...text.matchAll(/(?:const|let)\s+(\w+)\s*=\s*[^\n]*\.objects\.path\(/g)].map((m) => m[1]!)
      for (const m of text.matchAll(/\b(?:rm|rmSync|unlink|unlinkSync|rmdir|rmdirSync)\(([^,)\n]*)/g)) {
        const arg = m[1]!.trim()
        if (/objects/.test(arg) || bound.includes(arg)) found.push(`${file}: ${m[0]}`)
      }
    }
    expect(found).to.deep.equal([])
  })

  it('views import nothing from the executor or the store (not even through a re-export)', () => {
    const VIEWS = join('src', 'lib', 'views') + sep
    const found = sources().filter((f) => f.startsWith(VIEWS)).flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)]
        .filter((m) => /^\.\.\/(executor|store)\//.test(m[1]!))
        .map((m) => `${file}: ${m[1]}`))
    expect(found).to.deep.equal([])
  })

  it('code outside the views takes no type from a view: domain types live in src/lib/types.ts', () => {
    const VIEWS = join('src', 'lib', 'views') + sep
    const found = sources().filter((f) => !f.startsWith(VIEWS)).flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']*\/views\/[^']+)'/g)]
        .filter((m) => m[1] || /\btype\s/.test(m[2]!))
        .map((m) => `${file}: ${m[0].replace(/\s+/g, ' ')}`))
    expect(found).to.deep.equal([])
  })
})
