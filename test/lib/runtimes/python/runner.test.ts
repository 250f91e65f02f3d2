import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {TEST_PYTHON, assertCompleted, errorEvent, results, runHandler, workspace} from './run-handler.ts'

// Binding, conversion and errors need no third-party package: any Python 3 will do.
const PYTHON = existsSync(TEST_PYTHON) ? TEST_PYTHON : 'python3'

describe('python runner: binding, results and errors', () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('binds params by name, converts them by type hint and logs a returned dict as one result named return (as MLRun)', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
from typing import List, Optional
def handler(context, n: int, rate: float, flag: bool, name: str, tags: list, opts: dict, ids: List[int],
            maybe: Optional[int] = None, untyped="x", default_only=7):
    return {'n': n, 'n_type': type(n).__name__, 'rate': rate, 'flag': flag, 'flag_type': type(flag).__name__,
            'name': name, 'tags': tags, 'opts': opts, 'ids': ids, 'maybe': maybe, 'untyped': untyped,
            'default_only': default_only, 'ctx': type(context).__name__, 'uid': context.uid}
`,
      params: {n: '42', rate: '0.5', flag: 'true', name: 7, tags: 'a, b', opts: '{"k": 1}', ids: ['1', 2], maybe: '3', untyped: 'y'},
    })
    assertCompleted(run)
    expect(results(run).return).to.deep.equal({
      n: 42, n_type: 'int', rate: 0.5, flag: true, flag_type: 'bool', name: '7', tags: ['a', 'b'], opts: {k: 1},
      ids: [1, 2], maybe: 3, untyped: 'y', default_only: 7, ctx: 'MLClientCtx', uid: 'uid' + run.dir.split('run-').pop(),
    })
    for (const e of run.events) expect(e.ts).to.be.a('number').greaterThan(1_600_000_000_000)
  })

  it('understands string annotations, even ones naming mlrun, which is not installed', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
from __future__ import annotations
def handler(context: mlrun.MLClientCtx, data: mlrun.DataItem, n: int, ok: bool):
    return {'ctx': type(context).__name__, 'data': type(data).__name__, 'n': n, 'ok': ok}
`,
      files: {'a.txt': 'x'},
      params: {n: '5', ok: 'yes'},
      inputs: {data: {path: 'a.txt'}},
    })
    assertCompleted(run)
    expect(results(run).return).to.deep.equal({ctx: 'MLClientCtx', data: 'DataItem', n: 5, ok: true})
  })

  it('reads "false", "no" and "0" as False', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `def handler(a: bool, b: bool, c: bool, **kwargs):\n    return {'all': [a, b, c]}\n`,
      params: {a: 'false', b: 'No', c: 0},
    })
    assertCompleted(run)
    expect(results(run).return).to.deep.equal({all: [false, false, false]})
  })

  it('injects the context by annotation whatever its name, and passes the rest to **kwargs', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
from lode import MLClientCtx, DataItem, get_or_create_ctx
def handler(run_ctx: MLClientCtx, data, **kwargs):
    assert get_or_create_ctx() is run_ctx
    return {'data_type': type(data).__name__, 'data_text': data.get(encoding='utf-8'), 'extra': sorted(kwargs),
            'extra_input': kwargs['other'].local().endswith('b.txt'), 'p': kwargs['p']}
`,
      files: {'a.txt': 'hello', 'b.txt': 'other'},
      params: {p: 1},
      inputs: {data: {path: 'a.txt'}, other: {path: 'b.txt'}},
    })
    assertCompleted(run)
    expect(results(run).return).to.deep.equal({data_type: 'DataItem', data_text: 'hello', extra: ['other', 'p'], extra_input: true, p: 1})
  })

  it('hands an input over as a path, bytes or text when the hint asks for it', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
import pathlib
def handler(as_str: str, as_path: pathlib.Path, as_bytes: bytes):
    return {'str': as_str.endswith('a.txt'), 'path': type(as_path).__name__, 'bytes': as_bytes.decode()}
`,
      files: {'a.txt': 'abc'},
      inputs: {as_str: {path: 'a.txt'}, as_path: {path: 'a.txt'}, as_bytes: {path: 'a.txt'}},
    })
    assertCompleted(run)
    expect(results(run).return).to.deep.equal({str: true, path: 'PosixPath', bytes: 'abc'})
  })

  it('logs a scalar return as result "return" and runs async handlers', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `import asyncio\nasync def handler(x: int):\n    await asyncio.sleep(0)\n    return x * 2\n`,
      params: {x: '21'},
    })
    assertCompleted(run)
    expect(results(run)).to.deep.equal({return: 42})
  })

  it('refuses a param the handler does not take, naming the parameters it has', async () => {
    const run = await runHandler(ws.root, {python: PYTHON, source: 'def handler(a, b=1):\n    return a\n', params: {a: 1, c: 2}})
    expect(run.code).to.equal(1)
    const err = errorEvent(run)
    expect(err?.message).to.equal(
      "HandlerBindingError: handler() takes no parameter 'c' (its parameters: a, b). Rename the param or input, or add **kwargs or a context parameter to the handler.",
    )
    expect(run.stderr).to.include("takes no parameter 'c'")
  })

  it('lets a handler with a context read params its signature does not name', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: 'def handler(context):\n    context.log_result("p", context.get_param("p", 0) + 1)\n',
      params: {p: 1},
    })
    assertCompleted(run)
    expect(results(run)).to.deep.equal({p: 2})
  })

  it('says what is missing: a required param, or an input for a DataItem parameter', async () => {
    const source = 'from lode import DataItem\ndef handler(context, dataset: DataItem, n: int):\n    pass\n'
    const missingInput = await runHandler(ws.root, {python: PYTHON, source, params: {n: 1}})
    expect(errorEvent(missingInput)?.message).to.equal(
      "HandlerBindingError: handler() needs input 'dataset', which the run does not give: pass it with -i dataset=PATH",
    )
    const asParam = await runHandler(ws.root, {python: PYTHON, source, params: {n: 1, dataset: 'x.csv'}})
    expect(errorEvent(asParam)?.message).to.include("'dataset' is annotated DataItem, so it is an input: pass it with -i dataset=PATH")
    // a value its hint does not fit is passed as given, as MLRun passes params, with a warning on the run
    const badInt = await runHandler(ws.root, {python: PYTHON, source, params: {n: 'many'}, files: {'d.csv': 'a\n1\n'}, inputs: {dataset: {path: 'd.csv'}}})
    expect(badInt.code).to.equal(0)
    const warning = badInt.events.find((e) => e.t === 'warning')
    expect(warning && 'message' in warning ? warning.message : '').to.match(/^Parameter 'n' expects int, got 'many'.*passed as given/)
  })

  it('names the functions of the file when the handler does not exist', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      handler: 'trian',
      source: 'from os.path import join\ndef train(): pass\ndef evaluate(): pass\ndef _private(): pass\n',
    })
    expect(run.code).to.equal(1)
    expect(errorEvent(run)?.message).to.equal("HandlerNotFoundError: No function 'trian' in handler.py; functions there: evaluate, train")
  })

  it('without a handler name, calls the only function of the file', async () => {
    const run = await runHandler(ws.root, {python: PYTHON, handler: null, source: 'def only():\n    return 5\n'})
    assertCompleted(run)
    expect(results(run)).to.deep.equal({return: 5})
  })

  it('reports an exception: traceback on stderr, an error event "ExcType: msg" with the stack, exit 1', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
def helper(x):
    raise ValueError(f"bad value {x}")

def handler(context):
    context.log_result('before', 1)
    helper(3)
`,
    })
    expect(run.code).to.equal(1)
    expect(results(run)).to.deep.equal({before: 1})
    const err = errorEvent(run)
    expect(err?.message).to.equal('ValueError: bad value 3')
    expect(err?.stack).to.include('in helper').and.include('handler.py').and.not.include('lode_runner.py')
    expect(run.stderr).to.include('Traceback (most recent call last)').and.include('ValueError: bad value 3')
  })

  it('reports an exception whose str() itself raises by its type, with its traceback', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: `
class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError('no text')

def handler(context):
    raise Unprintable()
`,
    })
    expect(run.code).to.equal(1)
    expect(errorEvent(run)?.message).to.equal('Unprintable: <exception str() failed>')
    expect(errorEvent(run)?.stack).to.include('raise Unprintable()')
  })

  it('reports an exception without a message by its type alone', async () => {
    const run = await runHandler(ws.root, {python: PYTHON, source: 'def handler(context):\n    raise StopIteration\n'})
    expect(run.code).to.equal(1)
    expect(errorEvent(run)?.message).to.equal('StopIteration')
  })

  it('reports a handler file that fails to import', async () => {
    const run = await runHandler(ws.root, {python: PYTHON, source: 'import no_such_module_here\ndef handler(): pass\n'})
    expect(run.code).to.equal(1)
    expect(errorEvent(run)?.message).to.equal("ModuleNotFoundError: No module named 'no_such_module_here'")
  })

  it('exits with the code of sys.exit and imports modules next to the handler', async () => {
    const run = await runHandler(ws.root, {
      python: PYTHON,
      source: 'import helper_mod\ndef handler():\n    helper_mod.stop()\n',
      files: {'helper_mod.py': 'import sys\ndef stop():\n    sys.exit(3)\n'},
    })
    expect(run.code).to.equal(3)
    expect(errorEvent(run)?.message).to.equal('SystemExit: 3')
  })
})
