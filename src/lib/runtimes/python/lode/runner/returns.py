"""Log what a handler returns: a dict's values by key, a data frame as a dataset, anything else as a result."""
from __future__ import annotations

from typing import Any

from ..context import MLClientCtx
from ..frames import is_pandas_frame
from ..jsonvalue import to_json_value

RETURN_KEY = 'return'


def log_returned(context: MLClientCtx, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _log_one(context, str(key), item)
        return
    _log_one(context, RETURN_KEY, value)


def _log_one(context: MLClientCtx, key: str, value: Any) -> None:
    if is_pandas_frame(value):
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
