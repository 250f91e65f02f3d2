"""The runner's work (lode_runner.py starts it): take the run, load the handler file, bind params and inputs to the
handler's parameters by name, call it, log what it returns, and report an exception as an `error` event (exit 1)."""
from __future__ import annotations

import os
import sys
import types
# collections.abc's Awaitable, from the module os has already loaded: collections.abc imports collections (~2 ms)
from _collections_abc import Awaitable

from .. import MLClientCtx, set_current_context
from ..deps import missing_module_hint
from ..errors import HandlerBindingError, HandlerNotFoundError, MissingDependencyError
from ..events import EventChannel
from ..wire_json import loads
from .binding import bind
from .loader import find_handler, load_module
from .returns import log_returned


_RUNNER_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_RUNNER_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(_RUNNER_PACKAGE.rstrip(os.sep))), 'lode_runner.py')


def _is_runner_frame(filename: str) -> bool:
    """The runner's own frames and importlib's (when the handler file fails to import)."""
    return filename == _RUNNER_SCRIPT or filename.startswith(_RUNNER_PACKAGE) or filename.startswith('<frozen importlib')


def report(channel: EventChannel, err: BaseException, with_stack: bool) -> None:
    """The traceback to stderr (it lands in the run's log) and an error event to lode."""
    text = _text(err)
    message = f'{type(err).__name__}: {text}' if text else type(err).__name__  # as Python's traceback ends
    hint = missing_module_hint(err)
    if with_stack:
        tb = err.__traceback__
        while tb is not None and _is_runner_frame(tb.tb_frame.f_code.co_filename):  # start at the handler's frames
            tb = tb.tb_next
        import traceback  # only for an error: it costs every run ~10 ms to import

        stack = ''.join(traceback.format_exception(type(err), err, tb or err.__traceback__))
        sys.stderr.write(stack)
    else:
        stack = None
        sys.stderr.write(message + '\n')
    if hint:
        message = f'{message}. {hint}'
        sys.stderr.write(hint + '\n')
    sys.stderr.flush()
    channel.send('error', message=message, stack=stack)


def _text(err: BaseException) -> str:
    """str(err), or what Python's own traceback says when the exception's __str__ itself raises."""
    try:
        return str(err)
    except Exception:
        return '<exception str() failed>'


def _read_line(fd: int):
    """The first line lode writes on the event pipe; None when lode closed it first. Lode writes nothing after it."""
    import select

    data = b''
    while b'\n' not in data:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            select.select([fd], [], [])
            continue
        if not chunk:
            return None
        data += chunk
    return data[:data.index(b'\n')].decode('utf-8')


def await_run() -> None:
    """A runner lode started ahead of its run (LODE_RUNNER_PRESTART), so that the interpreter and lode's modules load
    while lode opens its project: take the run's environment and folder from lode, or end when lode closes the pipe."""
    line = _read_line(int(os.environ['LODE_EVENT_FD']))
    if line is None:
        sys.exit(0)
    start = loads(line)
    guessed = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    os.environ.clear()
    os.environ.update(start['env'])
    os.chdir(start['cwd'])
    # PYTHONPATH went into sys.path as the interpreter started: the run's entries replace the guessed ones
    wanted = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    at = next((i for i in range(len(sys.path)) if guessed and sys.path[i:i + len(guessed)] == guessed), None)
    if at is None:
        at = 1
    else:
        del sys.path[at:at + len(guessed)]
    sys.path[at:at] = wanted


def main() -> int:
    if os.environ.get('LODE_RUNNER_PRESTART'):
        await_run()
    channel = EventChannel.from_env()
    spec_path = os.environ.get('LODE_RUN_SPEC')
    if not spec_path:
        sys.stderr.write('lode_runner.py runs handlers for lode: LODE_RUN_SPEC is not set\n')
        return 2
    try:
        with open(spec_path, encoding='utf-8') as f:
            spec = loads(f.read())
    except (OSError, ValueError) as err:
        report(channel, err, with_stack=False)
        return 2
    os.makedirs(spec['stagingDir'], exist_ok=True)
    context = MLClientCtx(spec, channel)
    set_current_context(context)
    sys.argv = [spec['file']]

    script = not spec.get('handler') and is_script(spec['file'])
    try:
        if not script:
            module = load_module(spec['file'])
            handler = find_handler(module, spec.get('handler'), spec['file'])
            binding = bind(handler, context, context.parameters, context.inputs)
    except (HandlerNotFoundError, HandlerBindingError, FileNotFoundError) as err:
        report(channel, err, with_stack=False)
        return 1
    except BaseException as err:  # the handler file itself failed to import
        report(channel, err, with_stack=True)
        return 1
    if not script and binding.unbound:
        context.logger.debug('params and inputs not in the handler signature (read them through the context)',
                             keys=binding.unbound)

    try:
        if script:
            run_script(spec['file'])
            return 0
        returned = handler(*binding.args, **binding.kwargs)
        if _awaitable(returned):
            import asyncio  # only for a coroutine handler: it costs more to load than the rest of the runner
            returned = asyncio.run(_await(returned))
        log_returned(context, returned)
        if context._error is not None:  # MLRun's context.set_state(error=...): the run failed
            report(channel, RuntimeError(context._error), with_stack=False)
            return 1
    except (HandlerBindingError, MissingDependencyError) as err:  # a param the handler cannot use, a package to install
        report(channel, err, with_stack=False)
        return 1
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
        if code != 0:
            report(channel, err, with_stack=True)
        return code
    except KeyboardInterrupt:
        return 130
    except BaseException as err:
        report(channel, err, with_stack=True)
        return 1
    finally:
        sys.stdout.flush()
    return 0


def is_script(path: str) -> bool:
    """A file run without a handler that has none to guess (no `handler` or `main`, not exactly one function) and
    code of its own at the top (calls, `if __name__ == '__main__':`, loops): a script, run as `python3 FILE` runs it."""
    try:
        with open(path, 'rb') as f:
            source = f.read()
    except OSError:
        return False  # loading it as a handler file says what is wrong
    # a handler file (most runs) is told by its top-level defs without the cost of the ast module (~40 ms)
    functions = _top_level_defs(source)
    if b'handler' in functions or b'main' in functions:
        return False
    if len(functions) == 1 and not _named_outside_defs(source, functions[0]):
        return False  # the file's one function, named nowhere else at the top: its handler
    import ast

    try:
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError):
        return False
    if len(functions) == 1:
        # a pipeline with one helper (`pool.map(step, ...)`) calls it from its own code: it is a script, whose steps
        # would otherwise all run as the file is imported, before the helper is called as a handler without params
        return _used_at_top(tree, functions[0].decode('utf-8', 'replace'))
    return any(isinstance(n, (ast.If, ast.For, ast.While, ast.With, ast.Try)) or
               (isinstance(n, ast.Expr) and not isinstance(n.value, ast.Constant)) for n in tree.body)


def _named_outside_defs(source: bytes, name: bytes) -> bool:
    """Whether `name` occurs in a line of the module's own code: not in a def, a class or an `if __name__` block
    (told by indentation). A quick filter that spares most handler files the ast module; _used_at_top decides."""
    outside = False
    for line in source.split(b'\n'):
        if line[:1] not in (b' ', b'\t', b'', b'#', b'\r'):
            outside = not line.startswith((b'def', b'async', b'class', b'@', b'if __name__'))
        if outside and name in line:
            return True
    return False


def _used_at_top(tree, name: str) -> bool:
    """Whether the module's own code names the function `name`, outside defs, classes and an
    `if __name__ == '__main__':` block (where a handler file tries its handler out)."""
    import ast

    def is_main_guard(node) -> bool:
        test = getattr(node, 'test', None)
        return (isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
                and test.left.id == '__name__')

    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or is_main_guard(statement):
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(statement)):
            return True
    return False


def _top_level_defs(source: bytes) -> list:
    r"""The names of the functions defined at the start of a line (re.findall of
    rb'^(?:async[ \t]+)?def[ \t]+([A-Za-z]\w*)' with re.M, without re and enum: ~8 ms of every run's start-up)."""
    names = []
    for line in source.split(b'\n'):
        if line.startswith(b'async'):
            rest = line[5:].lstrip(b' \t')
            if len(rest) == len(line) - 5:
                continue
            line = rest
        if not line.startswith(b'def') or line[3:4] not in (b' ', b'\t'):
            continue
        rest = line[3:].lstrip(b' \t')
        end = 0
        while end < len(rest) and (rest[end:end + 1].isalnum() or rest[end:end + 1] == b'_'):
            end += 1
        if end and rest[:1].isalpha():
            names.append(rest[:end])
    return names


def run_script(path: str) -> None:
    """Run the file as `__main__`, its folder first on sys.path (as `python3 FILE` would)."""
    import types

    path = os.path.abspath(path)
    sys.path.insert(0, os.path.dirname(path))
    with open(path, 'rb') as f:
        code = compile(f.read(), path, 'exec')
    main = types.ModuleType('__main__')
    main.__file__ = path
    sys.modules['__main__'] = main  # what the script pickles by class is found where `python3 FILE` would find it
    exec(code, main.__dict__)


def _awaitable(value) -> bool:
    """inspect.isawaitable, without importing inspect (and ast with it) for every run."""
    return isinstance(value, Awaitable) or (isinstance(value, types.GeneratorType) and bool(value.gi_code.co_flags & 0x100))


async def _await(awaitable):
    return await awaitable
