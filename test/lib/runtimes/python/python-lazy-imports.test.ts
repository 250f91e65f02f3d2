// The runner reads lode's JSON with the C parts of `_json` and imports typing only for annotations that need it:
// json (with re and enum) and typing cost every Python run ~15 ms of start-up. A handler with type hints still gets
// its params converted, and lode's JSON reads and writes as the json package's does.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {pythonSdkDir} from '../../../../src/lib/runtimes/python.ts'
import {TEST_PYTHON, pythonRuns, runHandler, workspace, type HandlerRun} from './run-handler.ts'

const COSTLY = ['typing', 'json', 're', 'enum', 'copy']
const returned = (r: HandlerRun) => (r.events.find((e) => e.t === 'result' && (e as {key: string}).key === 'return') as {value: unknown} | undefined)?.value
const loadedProbe = `" ".join(m for m in ${JSON.stringify(COSTLY)} if m in sys.modules)`

describe('python: the runner imports typing, json and re only where a handler needs them', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  let bare: string[]
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
    // what the interpreter loads by itself (a site hook), and importlib.util, which loading a file by its path needs
    // (on Python 3.9 it imports typing), say nothing about the runner
    bare = spawnSync(TEST_PYTHON, ['-c', `import sys, importlib.util; print(${loadedProbe})`], {encoding: 'utf8'}).stdout.trim().split(' ').filter(Boolean)
  })
  after(async () => ws?.remove())

  for (const [what, handler, source] of [
    ['a handler named in the run, with plain-class hints', 'handler', 'def handler(context, n: int = 1, name: str = "x") -> None:\n    pass\n'],
    ['a file run without a handler name (told from a script without re)', null, 'def handler():\n    pass\n'],
  ] as const) {
    it(`does not import ${COSTLY.join(', ')} for ${what}`, async () => {
      // the probe runs in the handler: sys.modules as the handler sees it, after the runner bound it
      const check = await runHandler(ws.root, {
        source: source.replace(/pass\n$/, `import sys\n    print("loaded:" + ${loadedProbe}, file=sys.stderr)\n`),
        handler,
        params: handler ? {n: '2'} : {},
      })
      expect(check.code, check.stderr).to.equal(0)
      const line = check.stderr.split('\n').find((l) => l.startsWith('loaded:'))
      expect(line, check.stderr).to.be.a('string')
      expect(line!.slice('loaded:'.length).split(' ').filter((m) => m && !bare.includes(m))).to.deep.equal([])
    })
  }

  it('logs a result, a tagged artifact and reads a secret without importing re', async () => {
    const r = await runHandler(ws.root, {
      source: [
        'import sys',
        'def handler(context):',
        '    context.log_result("acc", 0.5)',
        '    context.log_artifact("reports/summary", body="hello", tag="best", labels={"team": "ml"})',
        '    context.get_secret("api-key")',
        `    print("loaded:" + ${loadedProbe}, file=sys.stderr)`,
        '',
      ].join('\n'),
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(r.events.filter((e) => e.t === 'artifact').map((e) => [(e as {key: string}).key, (e as {tag?: string}).tag])).to.deep.equal([['reports/summary', 'best']])
    const line = r.stderr.split('\n').find((l) => l.startsWith('loaded:'))
    expect(line!.slice('loaded:'.length).split(' ').filter((m) => m && !bare.includes(m))).to.deep.equal([])
  })

  it('still converts params by their hints: plain classes, typing constructs, string annotations and an Enum', async () => {
    const plain = await runHandler(ws.root, {
      source: 'def handler(n: int, x: float, ok: bool, s: str, items: list, d: dict) -> dict:\n' +
        '    return {"n": n, "x": x, "ok": ok, "s": s, "items": items, "d": d, "types": [type(v).__name__ for v in (n, x, ok, s, items, d)]}\n',
      params: {n: '7', x: '2.5', ok: 'yes', s: 3, items: 'a, b', d: '{"k": 1}'},
    })
    expect(plain.code, plain.stderr).to.equal(0)
    expect(returned(plain)).to.deep.equal({n: 7, x: 2.5, ok: true, s: '3', items: ['a', 'b'], d: {k: 1}, types: ['int', 'float', 'bool', 'str', 'list', 'dict']})

    const constructs = await runHandler(ws.root, {
      source: [
        'from __future__ import annotations',
        'import enum',
        'from typing import Dict, List, Literal, Optional, Sequence',
        'class Color(enum.Enum):',
        '    RED = "red"',
        'def handler(a: Optional[int], b: List[int], c: Literal["x", "y"], d: Dict[str, float], e: Sequence[int], f: Color, g: int = None):',
        '    return {"a": a, "b": b, "c": c, "d": d, "e": list(e), "f": f.name, "g": g}',
        '',
      ].join('\n'),
      params: {a: '3', b: '[1, "2"]', c: 'y', d: '{"k": "1.5"}', e: '4,5', f: 'red', g: '9'},
    })
    expect(constructs.code, constructs.stderr).to.equal(0)
    expect(returned(constructs)).to.deep.equal({a: 3, b: [1, 2], c: 'y', d: {k: 1.5}, e: [4, 5], f: 'RED', g: 9})

    const wrong = await runHandler(ws.root, {source: 'def handler(n: int):\n    return n\n', params: {n: 'abc'}})
    expect(wrong.code, wrong.stderr).to.equal(0)
    expect(returned(wrong)).to.equal('abc')
    expect(wrong.events.some((e) => e.t === 'warning' && (e as {message: string}).message.includes("Parameter 'n' expects int, got 'abc'"))).to.equal(true)
  })

  it('compiles without a warning: one (an invalid escape, say) is printed at the start of a run, and imports re', () => {
    const script = [
      'import pathlib, sys, warnings',
      'warnings.simplefilter("error")',
      'for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):',
      '    compile(path.read_bytes(), str(path), "exec")',
      'print("ok")',
    ].join('\n')
    const r = spawnSync(TEST_PYTHON, ['-c', script, pythonSdkDir()], {encoding: 'utf8'})
    expect(r.stderr).to.equal('')
    expect(r.stdout.trim()).to.equal('ok')
  })

  it("reads and writes lode's JSON as the json package does, and fails with its errors", () => {
    const script = [
      'import json, sys',
      'from lode.wire_json import dumps, loads',
      'values = [{"a": 1, "b": [1, 2.5, None, True, False, "é\\u2028\\n\\"x"], "c": {"d": -0.0, "e": 10**30}}, "s\\u00e9", 1e300, [], {}, 3, None, {1: 2, None: 3}]',
      'for v in values:',
      '    for ascii in (True, False):',
      '        assert dumps(v, ensure_ascii=ascii) == json.dumps(v, ensure_ascii=ascii, allow_nan=False, separators=(",", ":")), v',
      '        text = " \\n" + json.dumps(v, ensure_ascii=ascii, indent=2) + "\\n "',
      '        assert loads(text) == json.loads(text), v',
      'assert loads("[NaN, -Infinity]")[1] == float("-inf")',
      'for bad in ["", "{", "[1,]", "1 2", "\\ufeff{}", "nan", "{\\"a\\": 1}x"]:',
      '    try:',
      '        loads(bad)',
      '    except json.JSONDecodeError as err:',
      '        try:',
      '            json.loads(bad)',
      '        except json.JSONDecodeError as expected:',
      '            assert str(err) == str(expected), (err, expected)',
      '    else:',
      '        raise AssertionError("no error for %r" % bad)',
      'for bad, error in [(float("nan"), ValueError), ({"a": object()}, TypeError), ({(1, 2): 3}, TypeError)]:',
      '    try:',
      '        dumps(bad)',
      '    except error:',
      '        pass',
      '    else:',
      '        raise AssertionError("no error for %r" % (bad,))',
      'print("ok")',
    ].join('\n')
    const r = spawnSync(TEST_PYTHON, ['-c', script], {encoding: 'utf8', env: {...process.env, PYTHONPATH: pythonSdkDir(), PYTHONDONTWRITEBYTECODE: '1'}})
    expect(r.stderr).to.equal('')
    expect(r.stdout.trim()).to.equal('ok')
  })
})
