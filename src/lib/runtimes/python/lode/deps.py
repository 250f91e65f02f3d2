"""Optional packages: imported on first use, with a message saying how to get them when missing."""
from __future__ import annotations

import importlib
import sys
from typing import Any, Optional

from .errors import MissingDependencyError

_INSTALL = {
    'pandas': 'apt-get install python3-pandas, or pip install pandas',
    'sklearn': 'apt-get install python3-sklearn, or pip install scikit-learn',
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
        raise MissingDependencyError(
            f'{needed_for} needs {module}, which this Python ({sys.executable}) cannot import. '
            f'Install it ({_INSTALL.get(module, "pip install " + module)}), '
            'or run with a Python that has it: lode run --python /path/to/python3 (or set LODE_PYTHON).'
        )
    return found


def parquet_engine() -> Optional[str]:
    """The pandas parquet engine available here: pyarrow, fastparquet or None."""
    if optional('pyarrow') is not None and optional('pyarrow.parquet') is not None:
        return 'pyarrow'
    if optional('fastparquet') is not None:
        return 'fastparquet'
    return None


def has_pyarrow() -> bool:
    return optional('pyarrow') is not None
