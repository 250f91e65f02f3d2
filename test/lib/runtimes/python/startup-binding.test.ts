// The runner binds a plain function's parameters without the inspect module (it and ast cost a Python run ~15-40 ms
// of start-up), and binds everything else (decorated, partial, callable objects) as inspect.signature reads it.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {TEST_PYTHON, pythonRuns, runHandler, workspace, type HandlerRun} from './run-handler.ts'

const HEAVY = ['inspect', 'ast', 'pathlib', 'shutil', 'pickle', 'mimetypes']
const returned = (r: HandlerRun) => (r.events.find((e) => e.t === 'result' && (e as {key: string}).key === 'return') as {value: unknown} | undefined)?.value

describe('startup: the Python runner binds parameters without inspect', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
  })
  after(async () => ws?.remove())

  it('does not import inspect, ast, pathlib, shutil or pickle for a plain function handler that uses none of them', async () => {
    const heavy = JSON.stringify(HEAVY)
    const bare = spawnSync(TEST_PYTHON, ['-c', `import sys; print(" ".join(m for m in ${heavy} if m in sys.modules))`], {encoding: 'utf8'}).stdout.trim()
    const r = await runHandler(ws.root, {
      source: `import sys\n\ndef handler(context, x: int = 1):\n    return "loaded:" + " ".join(m for m in ${heavy} if m in sys.modules)\n`,
      params: {x: 2},
    })
    expect(r.code, r.stderr).to.equal(0)
    // what the interpreter itself loads (a site hook) says nothing about the runner
    expect(returned(r)).to.equal(`loaded:${bare}`)
  })

  it('still converts a param and an input for a Path hint, and logs a returned Path', async () => {
    const r = await runHandler(ws.root, {
      source: 'import pathlib\n\ndef handler(p: pathlib.Path, f: pathlib.Path):\n    return {"p": type(p).__name__, "f": f.read_text(), "path": pathlib.Path("a/b")}\n',
      files: {'a.txt': 'abc'},
      params: {p: 'x/y'},
      inputs: {f: {path: 'a.txt'}},
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(returned(r)).to.deep.equal({p: 'PosixPath', f: 'abc', path: 'a/b'})
  })

  it('binds positional-only, keyword-only, defaults, *args and **kwargs as inspect.signature reads them', async () => {
    const r = await runHandler(ws.root, {
      source: [
        'def handler(a, b=2, /, c=3, *rest, d, e=5, context=None, **extra):',
        '    return {"a": a, "b": b, "c": c, "rest": list(rest), "d": d, "e": e, "ctx": type(context).__name__, "extra": extra}',
        '',
      ].join('\n'),
      params: {a: 1, c: 30, d: 4, z: 'zz'},
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(returned(r)).to.deep.equal({a: 1, b: 2, c: 30, rest: [], d: 4, e: 5, ctx: 'MLClientCtx', extra: {z: 'zz'}})
  })

  it('says which keyword-only param is missing, and refuses one the handler does not take', async () => {
    const missing = await runHandler(ws.root, {source: 'def handler(*, d: int):\n    return d\n'})
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.contain("handler() needs param 'd'")
    const unknown = await runHandler(ws.root, {source: 'def handler(a, /, b=1):\n    return a\n', params: {a: 1, q: 2}})
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.contain("takes no parameter 'q' (its parameters: a, b)")
  })

  it('binds a decorated handler by the signature it wraps, and a callable object by its __call__', async () => {
    const decorated = await runHandler(ws.root, {
      source: [
        'import functools',
        'def logged(f):',
        '    @functools.wraps(f)',
        '    def wrapper(*args, **kwargs):',
        '        return f(*args, **kwargs)',
        '    return wrapper',
        '@logged',
        'def handler(context, n: int, m: int = 3):',
        '    return n * m',
        '',
      ].join('\n'),
      params: {n: '5'},
    })
    expect(decorated.code, decorated.stderr).to.equal(0)
    expect(returned(decorated)).to.equal(15)
    const callable = await runHandler(ws.root, {
      source: 'class Train:\n    def __call__(self, context, k: int):\n        return k + 1\n\ntrain = Train()\n',
      handler: 'train',
      params: {k: '41'},
    })
    expect(callable.code, callable.stderr).to.equal(0)
    expect(returned(callable)).to.equal(42)
  })
})
