"""Bind a run's params and inputs to the handler's parameters by name, and inject the context."""
from __future__ import annotations

import sys
import types

from ..context import MLClientCtx
from ..errors import HandlerBindingError
from .conversion import EMPTY, annotation_name, convert

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional

    from ..data_item import DataItem

CONTEXT_NAMES = ('context', 'ctx')


class Binding:
    def __init__(self) -> None:
        self.args: List[Any] = []
        self.kwargs: Dict[str, Any] = {}
        #: params and inputs the signature does not name, left for context.get_param / get_input
        self.unbound: List[str] = []


def _hints(func: Callable[..., Any]) -> Dict[str, Any]:
    """Type hints, evaluated one by one when some cannot be (a string annotation naming mlrun.MLClientCtx, say):
    those stay strings and are matched by name. typing (~4 ms of a run's start-up) is imported only for annotations
    that are not plain classes."""
    annotations = getattr(func, '__annotations__', None)
    if not annotations:
        return {}
    if all(type(a) is type or a is None for a in annotations.values()) and (
            sys.version_info >= (3, 11) or not _has_none_default(func)):
        # plain classes (int, str, DataItem...): what get_type_hints makes of them, without importing typing (before
        # 3.11 it also makes a hint whose default is None Optional)
        return {name: type(None) if a is None else a for name, a in annotations.items()}
    import typing

    try:
        return typing.get_type_hints(func)
    except Exception:
        pass
    namespace = getattr(func, '__globals__', {})
    hints: Dict[str, Any] = {}
    for name, annotation in getattr(func, '__annotations__', {}).items():
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace, {})  # noqa: S307 - the handler's own annotation
            except Exception:
                pass
        hints[name] = annotation
    return hints


def _has_none_default(func: Callable[..., Any]) -> bool:
    defaults = list(getattr(func, '__defaults__', None) or ()) + list((getattr(func, '__kwdefaults__', None) or {}).values())
    return any(d is None for d in defaults)


class _Param:
    """A parameter as bind reads it (the names of inspect.Parameter's)."""
    POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = range(5)
    empty = EMPTY

    def __init__(self, name: str, kind: int, default: Any = EMPTY, annotation: Any = EMPTY) -> None:
        self.name, self.kind, self.default, self.annotation = name, kind, default, annotation


def _parameters(func: Callable[..., Any]) -> List[_Param]:
    """A plain function's parameters read from its code object: importing inspect (and ast with it) costs every run
    15-40 ms of start-up. Anything else (a decorated function, a partial, a callable object) as inspect.signature
    reads it."""
    code = getattr(func, '__code__', None)
    if type(func) is not types.FunctionType or code is None or hasattr(func, '__wrapped__') or hasattr(func, '__signature__'):
        import inspect

        return [_Param(p.name, int(p.kind), EMPTY if p.default is p.empty else p.default,
                       EMPTY if p.annotation is p.empty else p.annotation)
                for p in inspect.signature(func).parameters.values()]
    names = code.co_varnames
    npos, nkw = code.co_argcount, code.co_kwonlyargcount
    defaults = func.__defaults__ or ()
    kwdefaults = func.__kwdefaults__ or {}
    annotations = getattr(func, '__annotations__', None) or {}
    out = []
    for i, name in enumerate(names[:npos]):
        at = i - (npos - len(defaults))
        out.append(_Param(name, _Param.POSITIONAL_ONLY if i < code.co_posonlyargcount else _Param.POSITIONAL_OR_KEYWORD,
                          defaults[at] if at >= 0 else EMPTY, annotations.get(name, EMPTY)))
    rest = npos + nkw
    if code.co_flags & 0x04:  # CO_VARARGS
        out.append(_Param(names[rest], _Param.VAR_POSITIONAL, annotation=annotations.get(names[rest], EMPTY)))
        rest += 1
    for name in names[npos:npos + nkw]:
        out.append(_Param(name, _Param.KEYWORD_ONLY, kwdefaults.get(name, EMPTY), annotations.get(name, EMPTY)))
    if code.co_flags & 0x08:  # CO_VARKEYWORDS
        out.append(_Param(names[rest], _Param.VAR_KEYWORD, annotation=annotations.get(names[rest], EMPTY)))
    return out


def _annotation(param: _Param, hints: Dict[str, Any]) -> Any:
    return hints.get(param.name, param.annotation)


def is_context_annotation(annotation: Any) -> bool:
    if annotation is EMPTY:
        return False
    if isinstance(annotation, type) and issubclass(annotation, MLClientCtx):
        return True
    name = annotation_name(annotation)
    return name == 'MLClientCtx' or (isinstance(annotation, str) and annotation.strip('\'" ') in ('Context', 'lode.Context'))


def is_data_item_annotation(annotation: Any) -> bool:
    if annotation is EMPTY:
        return False
    # lode's DataItem (or a subclass) exists only once its module is loaded: by the handler, or for the run's inputs
    data_item = sys.modules.get(__name__.rsplit('.', 2)[0] + '.data_item')
    if data_item is not None and isinstance(annotation, type) and issubclass(annotation, data_item.DataItem):
        return True
    return annotation_name(annotation) == 'DataItem'


def input_as(item: DataItem, annotation: Any) -> Any:
    """An input as the handler's hint asks: DataItem (default), str or Path (the local path), bytes, a DataFrame."""
    if annotation is EMPTY or is_data_item_annotation(annotation):
        return item
    origin = None
    if type(annotation) is not type:  # Any, Optional[...], dict[str, int]: typing is imported for those alone
        import typing

        if annotation is typing.Any:
            return item
        origin = typing.get_origin(annotation)
        if origin is typing.Union:
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else EMPTY
            return input_as(item, annotation)
    if annotation is str:
        return item.local()
    pathlib = sys.modules.get('pathlib')  # a Path hint exists only once the handler imported pathlib
    if pathlib is not None and (annotation is pathlib.Path or annotation is pathlib.PurePath):
        return pathlib.Path(item.local())
    if annotation is bytes:
        return item.get()
    if annotation_name(annotation) == 'DataFrame':
        return item.as_df()
    if annotation in (dict, list) or origin in (dict, list):
        import json

        return json.loads(item.get(encoding='utf-8'))
    return item


def bind(func: Callable[..., Any], context: MLClientCtx, params: Dict[str, Any],
         inputs: Dict[str, DataItem]) -> Binding:
    """The arguments to call func with; a HandlerBindingError saying what is missing or unknown."""
    parameters = _parameters(func)
    hints = _hints(func)
    name = getattr(func, '__name__', 'handler')
    binding = Binding()
    used = set()
    context_param: Optional[str] = None
    var_keyword = False
    positional_open = True  # positional-only parameters must come in order

    for param in parameters:
        annotation = _annotation(param, hints)
        if param.kind == param.VAR_KEYWORD:
            var_keyword = True
            continue
        if param.kind == param.VAR_POSITIONAL:
            continue
        value: Any = EMPTY
        if context_param is None and (is_context_annotation(annotation) or (
                param.name in CONTEXT_NAMES and param.name not in params and param.name not in inputs)):
            context_param = param.name
            value = context
        elif param.name in inputs:
            value = input_as(inputs[param.name], annotation)
            used.add(param.name)
        elif param.name in params:
            if is_data_item_annotation(annotation):
                raise HandlerBindingError(
                    f'{name}(): {param.name!r} is annotated DataItem, so it is an input: pass it with '
                    f'-i {param.name}=PATH, not as a param')
            try:
                value = convert(param.name, params[param.name], annotation)
            except HandlerBindingError as err:
                # MLRun passes params as given: a value its hint does not fit is the handler's to deal with
                value = params[param.name]
                context._channel.send('warning', message=f'{err}; passed as given, as MLRun passes params')
            used.add(param.name)
        elif param.default is EMPTY:
            what, flag = ('input', '-i') if is_data_item_annotation(annotation) else ('param', '-p')
            raise HandlerBindingError(
                f'{name}() needs {what} {param.name!r}, which the run does not give: pass it with '
                f'{flag} {param.name}={"PATH" if what == "input" else "VALUE"}')
        if param.kind == param.POSITIONAL_ONLY:
            if value is EMPTY:
                positional_open = False
            elif not positional_open:
                raise HandlerBindingError(f'{name}(): positional-only {param.name!r} follows one left to its default')
            else:
                binding.args.append(value)
        elif value is not EMPTY:
            binding.kwargs[param.name] = value

    rest = [k for k in list(params) + list(inputs) if k not in used]
    if var_keyword:
        for key in rest:
            binding.kwargs[key] = inputs[key] if key in inputs else params[key]
    elif rest and context_param is None and 'get_or_create_ctx' not in getattr(getattr(func, '__code__', None), 'co_names', ()):
        accepted = [p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        raise HandlerBindingError(
            f'{name}() takes no {_plural("parameter", rest)} {", ".join(map(repr, rest))} '
            f'(its parameters: {", ".join(accepted) or "none"}). Rename the param or input, or add **kwargs '
            'or a context parameter to the handler.')
    else:
        binding.unbound = rest
    return binding


def _plural(word: str, items: list) -> str:
    return word if len(items) == 1 else word + 's'
