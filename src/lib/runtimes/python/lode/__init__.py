"""lode's Python handler SDK, named after MLRun's so MLRun handler code ports by changing its import.

    from lode import DataItem, MLClientCtx

    def train(context: MLClientCtx, dataset: DataItem, label_column: str = 'label'):
        df = dataset.as_df()
        context.log_result('rows', len(df))
"""
from __future__ import annotations

from . import not_provided as _not_provided
from .context import Context, MLClientCtx
from .errors import HandlerBindingError, HandlerNotFoundError, MissingDependencyError, MissingInputError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Optional

    from .artifacts import Artifact
    from .data_item import DataItem

__all__ = ['Context', 'DataItem', 'LoggedArtifact', 'MLClientCtx', 'get_or_create_ctx', 'set_current_context',
           'HandlerBindingError', 'HandlerNotFoundError', 'MissingDependencyError', 'MissingInputError',
           'get_or_create_project', 'run_function', 'RunObject', 'RunError', 'LodeCommandError', 'LodeProject',
           'MlrunProject', 'LodeFunction', 'get_model']
__all__ += ['ArtifactType', 'handler', 'mlconf']

# The Python API (runs started from a script) loads on first use: a handler's start-up does not pay for it. Nor for
# the artifact classes, DataItem, the decorator and mlconf (~3 ms): the runner loads them for a run that uses them.
# LoggedArtifact is what log_* return: MLRun's artifact objects (the name lode used before).
_LAZY = {'Artifact': 'artifacts', 'LoggedArtifact': 'artifacts', 'DataItem': 'data_item', 'mlconf': 'config',
         'ArtifactType': 'package', 'handler': 'package',
         'get_or_create_project': 'project', 'LodeProject': 'project', 'MlrunProject': 'project',
         'LodeFunction': 'project', 'run_function': 'run_api', 'RunError': 'run_api',
         'RunObject': 'run_object', 'LodeCommandError': 'cli', 'get_model': 'models'}

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


def get_dataitem(url: str, secrets: Any = None) -> DataItem:
    """MLRun's mlrun.get_dataitem: a local path, file:// URL or store:// address as a DataItem."""
    return get_or_create_ctx().get_dataitem(url)


__all__ += ['get_dataitem']

# MLRun's parts lode does not provide (feature store, serving graphs, nuclio, Kubernetes): they import, and using them
# raises the one error that says so
_not_provided.install()


# modules lode's package loaded with itself before they became lazy: `import lode; lode.artifacts.ModelArtifact` works
_SUBMODULES = ('artifacts', 'artifact_options', 'config', 'data_item', 'frames', 'keys', 'model_staging', 'models',
               'package')


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None and name in _SUBMODULES:
        import importlib

        return importlib.import_module(f'.{name}', __name__)
    if module is None:
        # MLRun's parts lode does not provide: a stub whose use raises the one error saying so (or AttributeError)
        return _not_provided.top_level(name)
    import importlib

    value = getattr(importlib.import_module(f'.{module}', __name__), 'Artifact' if name == 'LoggedArtifact' else name)
    globals()[name] = value  # found by the next look-up without this function
    return value
