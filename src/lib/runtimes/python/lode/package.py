"""MLRun's handler decorator: `@lode.handler(labels={...}, outputs=["model:model", "test_set:dataset", "score"])`.

Labels are set on the run; the values the function returns are logged by the names and kinds its outputs give
(MLRun's log hints: "key", "key:kind" or {"key": ..., "artifact_type": ...}; None skips a value), and then the
function returns nothing, as MLRun's does. Without outputs the returned value is logged as any handler's is."""
from __future__ import annotations

import functools
import os

from .artifacts import Artifact
from .frames import is_pandas_frame

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Callable, Dict, List, Optional, Union


class ArtifactType:
    OBJECT = 'object'
    PATH = 'path'
    FILE = 'file'
    DATASET = 'dataset'
    MODEL = 'model'
    PLOT = 'plot'
    RESULT = 'result'


_KINDS = ('object', 'path', 'file', 'dataset', 'model', 'plot', 'result', 'artifact', 'directory')


def handler(labels: Optional[Dict[str, Any]] = None, outputs: Optional[List[Union[str, Dict[str, Any], None]]] = None,
            inputs: Union[bool, Dict[str, Any]] = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    hints = [_hint(h) for h in outputs or []]

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            context = _context_of(args, kwargs)
            if context is not None and isinstance(inputs, dict):
                kwargs = _parse_inputs(kwargs, inputs)
            returned = func(*args, **kwargs)
            if context is None:
                return returned
            for key, value in (labels or {}).items():
                context.set_label(key, value)
            if not hints:
                return returned
            values = list(returned) if type(returned) is tuple else [returned]
            for value, hint in zip(values, hints):
                if hint is not None:
                    log_output(context, value, hint['key'], hint.get('artifact_type'))
            return None

        wrapper.__lode_handler__ = True  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _hint(hint: Any) -> Optional[Dict[str, Any]]:
    if hint is None:
        return None
    if isinstance(hint, str):
        key, _, kind = hint.partition(':')
        parsed: Dict[str, Any] = {'key': key.strip(), 'artifact_type': kind.strip() or None}
    elif isinstance(hint, dict) and hint.get('key'):
        parsed = dict(hint)
    else:
        raise ValueError(f'handler(outputs=...): {hint!r} is not a log hint: give "key", "key:kind" or '
                         '{"key": ..., "artifact_type": ...}')
    kind = parsed.get('artifact_type')
    if kind is not None and kind not in _KINDS:
        raise ValueError(f'handler(outputs=...): {hint!r}: unknown kind {kind!r}; lode logs {", ".join(_KINDS)}')
    return parsed


def _context_of(args: tuple, kwargs: dict) -> Any:
    from . import _current
    from .context import MLClientCtx

    for value in list(args) + list(kwargs.values()):
        if isinstance(value, MLClientCtx):
            return value
    return _current


def _parse_inputs(kwargs: Dict[str, Any], wanted: Dict[str, Any]) -> Dict[str, Any]:
    from .data_item import DataItem
    from .runner.binding import input_as

    return {k: (input_as(v, wanted[k]) if k in wanted and isinstance(v, DataItem) else v) for k, v in kwargs.items()}


def default_kind(value: Any) -> str:
    """MLRun's default for a returned value: frames are datasets, larger arrays files, paths paths, artifacts
    themselves, figures plots, plain values results, any other object a pickle."""
    if isinstance(value, Artifact):
        return 'artifact'
    if is_pandas_frame(value):
        return 'dataset'
    if type(value).__module__ == 'numpy' and type(value).__name__ == 'ndarray':
        return 'result' if value.size < 10 else 'file'
    if isinstance(value, os.PathLike):
        return 'path'
    if hasattr(value, 'savefig') or (hasattr(value, 'to_html') and hasattr(value, 'to_plotly_json')):
        return 'plot'
    if value is None or isinstance(value, (int, float, str, bool, dict, list, tuple, set, frozenset, bytes, bytearray)) \
            or type(value).__module__ == 'numpy':
        return 'result'
    return 'object'


def log_output(context: Any, value: Any, key: str, kind: Optional[str] = None) -> None:
    import pickle
    kind = kind or default_kind(value)
    if kind == 'artifact' or isinstance(value, Artifact):
        if isinstance(value, Artifact):
            if not value.key:
                value.key = key
            context.log_artifact(value)
        else:
            context.log_artifact(key, body=value)
    elif kind == 'result':
        if isinstance(value, (bytes, bytearray)):
            value = bytes(value).decode('utf-8', errors='replace')
        if isinstance(value, (set, frozenset, tuple)):
            value = list(value)
        if type(value).__module__ == 'numpy' and hasattr(value, 'tolist'):
            value = value.tolist()
        context.log_result(key, value)
    elif kind == 'dataset':
        if type(value).__module__ == 'numpy':
            import pandas as pd

            value = pd.DataFrame(value)
        context.log_dataset(key, df=value)
    elif kind == 'model':
        context.log_model(key, body=pickle.dumps(value), model_file=f'{key}.pkl', framework=_framework(value),
                          algorithm=type(value).__name__)
    elif kind == 'plot':
        if hasattr(value, 'to_html') and not hasattr(value, 'savefig'):
            context.log_artifact(key, body=value.to_html(), format='html', kind='plot')
        else:
            context.log_artifact(key, body=value, kind='plot')
    elif kind in ('path', 'directory'):
        context.log_artifact(key, local_path=os.fspath(value))
    elif kind == 'file':
        _log_file(context, key, value)
    else:  # object
        context.log_artifact(key, body=pickle.dumps(value), format='pkl')


def _log_file(context: Any, key: str, value: Any) -> None:
    import pickle
    if is_pandas_frame(value):
        frame = value.to_frame() if type(value).__name__ == 'Series' else value
        context.log_artifact(key, body=frame.to_csv(index=False), format='csv')
    elif type(value).__module__ == 'numpy' and hasattr(value, 'tofile'):
        import io

        import numpy as np

        buffer = io.BytesIO()
        np.save(buffer, value)
        context.log_artifact(key, body=buffer.getvalue(), format='npy')
    elif isinstance(value, (bytes, bytearray, str, dict, list)):
        context.log_artifact(key, body=value)
    else:
        context.log_artifact(key, body=pickle.dumps(value), format='pkl')


def _framework(value: Any) -> str:
    module = type(value).__module__.split('.')[0]
    return {'sklearn': 'sklearn', 'xgboost': 'xgboost', 'lightgbm': 'lightgbm'}.get(module, module)
