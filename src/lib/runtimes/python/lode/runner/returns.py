"""Log what a handler returns, as MLRun does: a value (a scalar, a list, a dict of such) is one result named `return`,
and a falsy one (None, 0, '', {}) is not logged. What MLRun cannot log as a result lode stores as it would log it: a
data frame as a dataset, bytes as an artifact, and a dict holding such values each under its key."""
from __future__ import annotations

from ..jsonvalue import to_json_value

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any

    from ..context import MLClientCtx

RETURN_KEY = 'return'


def log_returned(context: MLClientCtx, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dict) and any(_needs_artifact(v) for v in value.values()):
        for key, item in value.items():
            _log_one(context, str(key), item)
        return
    if _needs_artifact(value):
        _log_one(context, RETURN_KEY, value)
        return
    try:
        truthy = bool(value)
    except (TypeError, ValueError):  # a numpy array: truth is ambiguous, but it has values to log
        truthy = True
    if truthy:
        _log_one(context, RETURN_KEY, value)


def _needs_artifact(value: Any) -> bool:
    from ..artifacts import Artifact  # loaded for a handler that returns something, not for every run
    from ..frames import is_pandas_frame

    return is_pandas_frame(value) or isinstance(value, (bytes, bytearray, memoryview, Artifact))


def _log_one(context: MLClientCtx, key: str, value: Any) -> None:
    from ..artifacts import Artifact
    from ..frames import is_pandas_frame

    if isinstance(value, Artifact):
        context.log_artifact(value)
    elif is_pandas_frame(value):
        context.log_dataset(key, value)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        context.log_artifact(key, body=bytes(value))
    elif _json_like(value):
        context.log_result(key, value)
    else:
        context.logger.warning(f'Returned {key!r} is a {type(value).__name__}: logged as its text', type=type(value).__name__)
        context.log_result(key, str(value))


def _json_like(value: Any) -> bool:
    """Numbers, strings, booleans, None, numpy scalars and arrays, and lists and dicts of them."""
    converted = to_json_value(value)
    if isinstance(value, str) or not isinstance(converted, str):
        return True
    return False
