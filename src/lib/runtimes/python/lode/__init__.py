"""lode's Python handler SDK, named after MLRun's so MLRun handler code ports by changing its import.

    from lode import DataItem, MLClientCtx

    def train(context: MLClientCtx, dataset: DataItem, label_column: str = 'label'):
        df = dataset.as_df()
        context.log_result('rows', len(df))
"""
from __future__ import annotations

from typing import Any, Optional

from .context import Context, LoggedArtifact, MLClientCtx
from .data_item import DataItem
from .errors import HandlerBindingError, HandlerNotFoundError, MissingDependencyError, MissingInputError

__all__ = ['Context', 'DataItem', 'LoggedArtifact', 'MLClientCtx', 'get_or_create_ctx', 'set_current_context',
           'HandlerBindingError', 'HandlerNotFoundError', 'MissingDependencyError', 'MissingInputError',
           'get_or_create_project', 'run_function', 'RunObject', 'RunError', 'LodeCommandError', 'LodeProject',
           'MlrunProject', 'LodeFunction', 'get_model']

# The Python API (runs started from a script) loads on first use: a handler's start-up does not pay for it.
_LAZY = {'get_or_create_project': 'project', 'LodeProject': 'project', 'MlrunProject': 'project',
         'LodeFunction': 'project', 'run_function': 'run_api', 'RunError': 'run_api',
         'RunObject': 'run_object', 'LodeCommandError': 'cli', 'get_model': 'models'}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    import importlib

    return getattr(importlib.import_module(f'.{module}', __name__), name)

_current: Optional[MLClientCtx] = None


def get_or_create_ctx(name: str = '', *args: Any, **kwargs: Any) -> MLClientCtx:
    """The run's context (the one the handler received); outside a lode run, a local one that prints to stderr."""
    global _current
    if _current is None:
        _current = MLClientCtx.from_env(name)
    return _current


def set_current_context(context: Optional[MLClientCtx]) -> None:
    """Make context the one get_or_create_ctx() returns (the runner does this before calling the handler)."""
    global _current
    _current = context
