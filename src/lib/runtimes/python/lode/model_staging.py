"""Stage a model: one directory holding the model file and its extra data, plus the spec lode records."""
from __future__ import annotations

import os

from .frames import is_pandas_frame
from .jsonvalue import is_path, to_json_value
from .staging import Staging, copy_into, write_body

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional

    Body = Any


def stage_model_dir(staging: Staging, key: str, body: Body, model_file: Optional[str], model_dir: Optional[str]) -> tuple:
    """The staged directory and the model file's name in it."""
    if body is None and model_file is None and model_dir is None:
        raise ValueError(f'log_model({key!r}): give body= (the model bytes), model_file= (a path) or model_dir=')
    target = staging.reserve_dir(key)
    name: Optional[str] = None
    if model_dir is not None:
        source = os.fspath(model_dir)
        if not os.path.isdir(source):
            raise FileNotFoundError(f'log_model({key!r}): model_dir {source!r} is not a directory')
        copy_into(source, target)
        if model_file is not None and body is None:
            name = os.path.relpath(os.fspath(model_file), source) if os.path.isabs(os.fspath(model_file)) else os.fspath(model_file)
            if not os.path.isfile(os.path.join(target, name)):
                raise FileNotFoundError(f'log_model({key!r}): model_file {name!r} is not in model_dir {source!r}')
    if body is not None:
        name = os.path.basename(os.fspath(model_file)) if model_file else f'{key}.pkl'
        write_body(os.path.join(target, name), body)
    elif model_dir is None:
        source = os.fspath(model_file)  # type: ignore[arg-type]
        if os.path.isdir(source):
            raise ValueError(f'log_model({key!r}): model_file {source!r} is a folder: pass it as model_dir= '
                             '(with model_file= naming the model file in it)')
        if not os.path.isfile(source):
            raise FileNotFoundError(f'log_model({key!r}): model_file {source!r} does not exist (pass body= to log bytes)')
        name = os.path.basename(source)
        copy_into(source, os.path.join(target, name))
    return target, name


def stage_extra_data(key: str, target: str, extra_data: Optional[Dict[str, Any]], model_file: Optional[str]) -> List[str]:
    """Write each extra data item into the model directory; returns the names written."""
    names: List[str] = []
    for name, value in (extra_data or {}).items():
        name = str(name)
        if not name or name in ('.', '..') or '/' in name or '\\' in name:
            raise ValueError(f'log_model({key!r}): extra_data name {name!r} must be a plain file name')
        if isinstance(value, dict) and 'body' in value:
            value = value['body']
        if hasattr(value, 'local') and callable(value.local):  # a DataItem
            value = value.local()
        if is_path(value) or (isinstance(value, str) and os.path.exists(value)):
            source = os.fspath(value)
            if not os.path.splitext(name)[1] and os.path.isfile(source):
                name += os.path.splitext(source)[1]
            copy_into(source, os.path.join(target, name))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            write_body(os.path.join(target, name), value)
        elif is_pandas_frame(value):
            if not os.path.splitext(name)[1]:
                name += '.csv'
            (value.to_frame() if type(value).__name__ == 'Series' else value).to_csv(os.path.join(target, name), index=False)
        elif isinstance(value, str):
            raise FileNotFoundError(f'log_model({key!r}): extra_data[{name!r}] is not an existing path; '
                                    'pass bytes (or {"body": text}) to log content')
        else:
            raise TypeError(f'log_model({key!r}): extra_data[{name!r}] must be a path, bytes or a data frame, '
                            f'not {type(value).__name__}')
        if name == model_file:
            raise ValueError(f'log_model({key!r}): extra_data name {name!r} is the model file')
        names.append(name)
    return names


def describe_columns(value: Any) -> Optional[List[Dict[str, str]]]:
    """Model inputs or outputs as [{name, dtype}]: from such a list, names, (name, dtype) pairs, a dict or a frame."""
    if value is None:
        return None
    if is_pandas_frame(value):
        if type(value).__name__ == 'Series':
            return [{'name': str(value.name), 'dtype': str(value.dtype)}]
        return [{'name': str(c), 'dtype': str(t)} for c, t in value.dtypes.items()]
    if isinstance(value, dict):
        return [{'name': str(k), 'dtype': str(v)} for k, v in value.items()]
    described = []
    for item in value:
        if isinstance(item, dict):
            described.append({'name': str(item.get('name', '')), 'dtype': str(item.get('dtype', item.get('value_type', '')))})
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            described.append({'name': str(item[0]), 'dtype': str(item[1])})
        else:
            described.append({'name': str(getattr(item, 'name', item)), 'dtype': str(getattr(item, 'value_type', ''))})
    return described


def model_spec(framework: str, algorithm: str, model_file: Optional[str], metrics: Optional[Dict[str, Any]],
               parameters: Optional[Dict[str, Any]], extra_data: List[str],
               inputs: Optional[List[Dict[str, str]]], outputs: Optional[List[Dict[str, str]]]) -> Dict[str, Any]:
    spec: Dict[str, Any] = {
        'framework': framework or '',
        'algorithm': algorithm or '',
        'modelFile': model_file,
        # a metric that is not finite (NaN) is left out: model metrics are numbers
        'metrics': {str(k): n for k, n in ((k, _number(k, v)) for k, v in (metrics or {}).items()) if n is not None},
        'parameters': to_json_value(dict(parameters or {})),
        'extraData': extra_data,
    }
    if inputs is not None:
        spec['inputs'] = inputs
    if outputs is not None:
        spec['outputs'] = outputs
    return spec


def _number(key: Any, value: Any) -> Any:
    converted = to_json_value(value)
    if converted is not None and (isinstance(converted, bool) or not isinstance(converted, (int, float))):
        raise TypeError(f'log_model: metric {key!r} must be a number, got {value!r}')
    return converted
