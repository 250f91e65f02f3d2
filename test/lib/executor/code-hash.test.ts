import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {handlerCodeHash} from '../../../src/lib/executor/code-hash.ts'
import {hashBytes} from '../../../src/lib/util/hash.ts'

describe('executor/code-hash: a handler hashes with the project files it imports', () => {
  let dir: string
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), {recursive: true})
      writeFileSync(join(dir, path), text)
    }
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-codehash-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('a file that imports nothing of the project hashes as its bytes', () => {
    const text = `import {readFileSync} from 'node:fs'\nimport type {Context} from 'lode'\nexport function main() {}\n`
    write({'main.ts': text})
    expect(handlerCodeHash(join(dir, 'main.ts'), 'node', dir)).to.equal(hashBytes(text))
  })

  it('TypeScript: changes with a file imported relatively, through another, by import, export from, import() and require', () => {
    write({
      'main.ts': `import {a} from './lib/a.ts'\nexport * from "./b.mjs"\nconst c = await import('./c')\nconst d = require('./d.js')\n`,
      'lib/a.ts': `import {deep} from '../deep.ts'\nexport const a = deep\n`, 'deep.ts': 'export const deep = 1\n', 'b.mjs': 'export const b = 1\n',
      'c.ts': 'export const c = 1\n', 'd.js': 'module.exports = 1\n', 'unrelated.ts': 'export const x = 1\n',
    })
    const hash = () => handlerCodeHash(join(dir, 'main.ts'), 'node', dir)
    const seen = new Set([hash()])
    for (const file of ['deep.ts', 'b.mjs', 'c.ts', 'd.js']) {
      writeFileSync(join(dir, file), `// edited\n`)
      seen.add(hash())
    }
    expect(seen.size).to.equal(5)
    writeFileSync(join(dir, 'unrelated.ts'), 'export const x = 2\n')
    expect(hash()).to.equal([...seen].at(-1))
  })

  it('Python: changes with a module beside it, a package module and a relative import; not with a file outside the project', () => {
    const outside = mkdtempSync(join(tmpdir(), 'lode-codehash-out-'))
    try {
      write({
        'fn/main.py': `import helper\nfrom pkg import mod\nfrom pkg.sub import thing\nimport os, json\n`,
        'fn/helper.py': 'from .rel import x\n', 'fn/rel.py': 'x = 1\n', 'fn/pkg/__init__.py': '', 'fn/pkg/mod.py': 'y = 1\n', 'fn/pkg/sub.py': 'thing = 1\n',
      })
      const hash = () => handlerCodeHash(join(dir, 'fn/main.py'), 'python', dir)
      const seen = new Set([hash()])
      for (const file of ['fn/rel.py', 'fn/pkg/mod.py', 'fn/pkg/sub.py', 'fn/helper.py']) {
        writeFileSync(join(dir, file), `# edited\n`)
        seen.add(hash())
      }
      expect(seen.size).to.equal(5)
      // a module beside a handler that lies outside the project is not followed
      writeFileSync(join(outside, 'main.py'), 'import helper\n')
      writeFileSync(join(outside, 'helper.py'), 'a = 1\n')
      expect(handlerCodeHash(join(outside, 'main.py'), 'python', dir)).to.equal(hashBytes('import helper\n'))
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
  })
})
