"""Convert a param to what the handler's type hint asks for: int, float, bool, str, list, dict, and unions."""
from __future__ import annotations

import sys

from ..errors import HandlerBindingError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_TRUE = {'true', 't', 'yes', 'y', '1', 'on'}
_FALSE = {'false', 'f', 'no', 'n', '0', 'off', ''}
_EMPTY = object()


def annotation_name(annotation: Any) -> str:
    """The bare class name of an annotation: 'DataItem' for lode.DataItem, 'mlrun.DataItem' or "DataItem"."""
    if isinstance(annotation, str):
        return annotation.strip().strip('\'"').rsplit('.', 1)[-1]
    return getattr(annotation, '__name__', '') or ''


def convert(name: str, value: Any, annotation: Any) -> Any:
    """value converted to annotation; a HandlerBindingError naming the parameter when it cannot be."""
    try:
        return _convert(value, annotation)
    except HandlerBindingError:
        raise
    except (TypeError, ValueError) as err:
        raise HandlerBindingError(f'Parameter {name!r} expects {_describe(annotation)}, got {value!r}: {err}') from None


def _describe(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace('typing.', '')


def _convert(value: Any, annotation: Any) -> Any:
    if annotation is _EMPTY or annotation is None or isinstance(annotation, str):
        return value
    origin, args = None, ()
    # A plain class (int, str, Path...) is not taken apart: typing is imported only for the constructs it makes
    # (Optional[int], list[str], Literal, Any), which a handler has imported it for. Each module a run does not need
    # costs its start-up: typing ~4 ms, json with re and enum ~10 ms.
    if type(annotation) is not type:
        import typing

        if annotation is typing.Any:
            return value
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Union or type(annotation).__name__ == 'UnionType':
            if value is None and type(None) in args:
                return None
            errors = []
            for option in (a for a in args if a is not type(None)):
                try:
                    return _convert(value, option)
                except (TypeError, ValueError) as err:
                    errors.append(str(err))
            raise ValueError('; '.join(errors))
        if origin is typing.Literal:
            for option in args:
                try:
                    if _convert(value, type(option)) == option:
                        return option
                except (TypeError, ValueError):
                    continue
            raise ValueError(f'not one of {", ".join(map(repr, args))}')
    target = origin or annotation
    if value is None:
        return None
    if target is bool:
        return _to_bool(value)
    if target is int:
        return _to_int(value)
    if target is float:
        if isinstance(value, bool):
            raise TypeError('a boolean is not a number')
        return float(value)
    if target is str:
        if isinstance(value, (list, dict)):
            import json

            return json.dumps(value)
        return value if isinstance(value, str) else str(value)
    # an abstract collection or an Enum exists only once the handler (or typing) imported its module
    abc = sys.modules.get('collections.abc')
    abstract = (abc.Sequence, abc.Iterable, abc.Collection) if abc is not None else ()
    if target in (list, tuple, set, frozenset) + abstract:
        items = _to_list(value)
        if target is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(items):
                raise ValueError(f'expected {len(args)} items')
            items = [_convert(v, a) for v, a in zip(items, args)]
        elif args:
            items = [_convert(v, args[0]) for v in items]
        return target(items) if target in (tuple, set, frozenset) else items
    if target is dict or (abc is not None and target is abc.Mapping):
        result = _to_dict(value)
        if len(args) == 2:
            result = {k: _convert(v, args[1]) for k, v in result.items()}
        return result
    pathlib = sys.modules.get('pathlib')  # a Path hint exists only once the handler imported pathlib
    if pathlib is not None and target is pathlib.Path:
        return pathlib.Path(value)
    enum = sys.modules.get('enum')
    if enum is not None and isinstance(target, type) and issubclass(target, enum.Enum):
        try:
            return target(value)
        except ValueError:
            return target[value]
    return value


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError('not a boolean (true/false, yes/no, 1/0)')


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError('a boolean is not an integer')
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError('not a whole number')
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if number.is_integer():
            return int(number)
        raise ValueError('not a whole number') from None


def _to_list(value: Any) -> list:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith('['):
            import json

            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        return [part.strip() for part in text.split(',')] if text else []
    return [value]


def _to_dict(value: Any) -> dict:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        import json

        parsed = json.loads(value)
        if isinstance(parsed, dict):
            return parsed
    raise ValueError('not a JSON object')


EMPTY = _EMPTY
