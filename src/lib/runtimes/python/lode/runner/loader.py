"""Load a handler file by path and find the handler in it."""
from __future__ import annotations

import importlib.util
import os
import sys
from types import FunctionType, ModuleType

from ..errors import HandlerNotFoundError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Callable, List, Optional


def load_module(path: str) -> ModuleType:
    """Import the file as a module named after it (so objects pickled from it unpickle where it is importable);
    its folder goes first on sys.path, as `python file.py` would put it."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'Handler file not found: {path}')
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    # re.sub(r'\W', '_', ...) without re (~8 ms of a run's start-up): \w is what isalnum() takes, and '_'
    stem = ''.join(c if c.isalnum() or c == '_' else '_' for c in os.path.splitext(os.path.basename(path))[0]) or 'handler'
    name = stem if stem not in sys.modules and not stem[0].isdigit() else '_lode_handler_' + stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f'Cannot load {path} as a Python module')
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def functions_of(module: ModuleType) -> List[str]:
    """Public functions defined in the module itself (not imported into it)."""
    return sorted(
        name for name, value in vars(module).items()
        if isinstance(value, FunctionType) and value.__module__ == module.__name__ and not name.startswith('_')
    )


def find_handler(module: ModuleType, name: Optional[str], path: str) -> Callable[..., Any]:
    """The named function; without a name, `handler`, `main`, or the file's only function."""
    defined = functions_of(module)
    where = os.path.basename(path)
    listing = ', '.join(defined) if defined else 'none'
    if not name:
        for default in ('handler', 'main'):
            found = getattr(module, default, None)
            # `from lode import handler` brings MLRun's decorator in under that name: it is not the handler
            if callable(found) and getattr(found, '__module__', '') != 'lode.package':
                return found
        if len(defined) == 1:
            return getattr(module, defined[0])
        raise HandlerNotFoundError(f'No handler named in the run and {where} has no single function to call; '
                                   f'functions there: {listing}. Name one: {where}#<function>')
    found = getattr(module, name, None)
    if found is None:
        raise HandlerNotFoundError(f'No function {name!r} in {where}; functions there: {listing}')
    if not callable(found):
        raise HandlerNotFoundError(f'{name!r} in {where} is a {type(found).__name__}, not a function; functions there: {listing}')
    return found
