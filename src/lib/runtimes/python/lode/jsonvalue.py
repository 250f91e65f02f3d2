"""Turn Python values (numpy and pandas scalars included) into values JSON can carry to lode."""
from __future__ import annotations

import math
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any


# A date, a Decimal or a Path exists only once its module was imported (by the handler or a library): looked up in
# sys.modules, so the runner need not import datetime, decimal and pathlib at every start.
def _is_datetime(value: Any) -> bool:
    module = sys.modules.get('datetime')
    return module is not None and isinstance(value, (module.datetime, module.date, module.time))


def _is_decimal(value: Any) -> bool:
    module = sys.modules.get('decimal')
    return module is not None and isinstance(value, module.Decimal)


def is_path(value: Any) -> bool:
    module = sys.modules.get('pathlib')
    return module is not None and isinstance(value, module.PurePath)


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
    if _is_datetime(value):
        return value.isoformat()
    if _is_decimal(value):
        return None if value.is_nan() else to_json_value(float(value))
    if is_path(value):
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


def to_result_value(value: Any) -> Any:
    """A result as lode records it: like to_json_value, except that a result which is itself NaN or an infinity
    stays visible as the string "NaN", "Infinity" or "-Infinity" (what the TypeScript SDK sends); inside a list or
    dict such a number becomes None, as JSON has no such numbers."""
    number = _as_float(value)
    if number is not None and not math.isfinite(number):
        return 'NaN' if math.isnan(number) else ('Infinity' if number > 0 else '-Infinity')
    return to_json_value(value)


def _as_float(value: Any) -> Any:
    """value as a float when it is a float, a Decimal or a numpy floating scalar; None otherwise."""
    if isinstance(value, float):
        return value
    if _is_decimal(value):
        return float('nan') if value.is_nan() else float(value)
    module = type(value).__module__ or ''
    if module.startswith('numpy') and getattr(value, 'ndim', None) == 0 and hasattr(value, 'item'):
        item = value.item()
        return item if isinstance(item, float) else None
    return None


def is_scalar(value: Any) -> bool:
    """True for what lode records as a result without a second thought: numbers, strings, booleans, None."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    module = type(value).__module__ or ''
    return module.startswith('numpy') and getattr(value, 'ndim', None) == 0
