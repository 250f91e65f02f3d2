"""Turn Python values (numpy and pandas scalars included) into values JSON can carry to lode."""
from __future__ import annotations

import datetime
import decimal
import math
import pathlib
from typing import Any


def to_json_value(value: Any) -> Any:
    """A JSON-safe copy of value: non-finite floats become None, numpy scalars Python ones, unknowns strings."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return to_json_value(float(value))
    if isinstance(value, pathlib.PurePath):
        return str(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    # numpy and pandas scalars and arrays, without importing either
    module = type(value).__module__ or ''
    if module.startswith(('numpy', 'pandas')):
        if hasattr(value, 'isoformat'):
            try:
                return value.isoformat()
            except (TypeError, ValueError):  # NaT
                return None
        if hasattr(value, 'tolist'):
            return to_json_value(value.tolist())
        if hasattr(value, 'item'):
            return to_json_value(value.item())
    return str(value)


def is_scalar(value: Any) -> bool:
    """True for what lode records as a result without a second thought: numbers, strings, booleans, None."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    module = type(value).__module__ or ''
    return module.startswith('numpy') and getattr(value, 'ndim', None) == 0
