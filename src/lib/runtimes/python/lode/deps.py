"""Optional packages: imported on first use, with a message saying how to get them when missing."""
from __future__ import annotations

import importlib
import sys

from .errors import MissingDependencyError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Optional

_INSTALL = {
    'pandas': 'apt-get install python3-pandas, or pip install pandas',
    'sklearn': 'apt-get install python3-sklearn, or pip install scikit-learn',
    'numpy': 'apt-get install python3-numpy, or pip install numpy',
    'scipy': 'apt-get install python3-scipy, or pip install scipy',
    'matplotlib': 'apt-get install python3-matplotlib, or pip install matplotlib',
    'pyarrow': 'pip install pyarrow',
}

_cache: dict = {}


def optional(module: str) -> Optional[Any]:
    """The module, or None when it cannot be imported."""
    if module not in _cache:
        try:
            _cache[module] = importlib.import_module(module)
        except ImportError:
            _cache[module] = None
    return _cache[module]


def require(module: str, needed_for: str) -> Any:
    """The module, or a MissingDependencyError naming the interpreter and what to install."""
    found = optional(module)
    if found is None:
        raise MissingDependencyError(f'{needed_for} needs {module}, which {_how_to_get(module)}')
    return found


def missing_module_hint(err: BaseException) -> str:
    """For a handler's own `import pandas` (or another well-known package) that failed: what to install.
    Empty for other errors, and for modules that are not well-known packages (the handler's own files)."""
    name = getattr(err, 'name', None) if isinstance(err, ModuleNotFoundError) else None
    package = (name or '').split('.')[0]
    if package not in _INSTALL:
        return ''
    return f'The handler imports {package}, which {_how_to_get(package)}'


def _how_to_get(module: str) -> str:
    return (f'this Python ({sys.executable}) cannot import. '
            f'Install it ({_INSTALL.get(module, "pip install " + module)}), '
            'or run with a Python that has it: lode run --python /path/to/python3 (or set LODE_PYTHON).')


def parquet_engine() -> Optional[str]:
    """The pandas parquet engine available here: pyarrow, fastparquet or None."""
    if optional('pyarrow') is not None and optional('pyarrow.parquet') is not None:
        return 'pyarrow'
    if optional('fastparquet') is not None:
        return 'fastparquet'
    return None


def has_pyarrow() -> bool:
    return optional('pyarrow') is not None
