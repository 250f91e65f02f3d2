"""Reading and writing data frames with pandas, in the formats lode stores."""
from __future__ import annotations

import os

from .deps import parquet_engine, has_pyarrow, require
from .errors import MissingDependencyError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional, Sequence, Tuple

DATASET_FORMATS = ('parquet', 'csv', 'ndjson', 'ipc')

_FORMAT_ALIASES = {
    'jsonl': 'ndjson', 'arrow': 'ipc', 'feather': 'ipc', 'pq': 'parquet', 'txt': 'csv', 'tab': 'tsv',
}


def normalize_format(fmt: Optional[str]) -> str:
    fmt = (fmt or '').lower().lstrip('.')
    return _FORMAT_ALIASES.get(fmt, fmt)


def format_of_path(path: str) -> str:
    return normalize_format(os.path.splitext(path)[1])


def is_pandas_frame(value: Any) -> bool:
    module = type(value).__module__ or ''
    return module.startswith('pandas') and type(value).__name__ in ('DataFrame', 'Series')


def read_frame(path: str, fmt: str, columns: Optional[Sequence[str]] = None,
               converted: Optional[Dict[str, Any]] = None, schema: Optional[List[Dict[str, Any]]] = None,
               **kwargs: Any) -> Any:
    """A pandas DataFrame from a file of the given format. Parquet and Arrow IPC without a parquet engine are
    read from the CSV copy lode made (`converted`), with the stored schema's string and date columns kept."""
    pd = require('pandas', 'DataItem.as_df()')
    cols = list(columns) if columns else None
    if fmt in ('parquet', 'ipc'):
        engine = parquet_engine() if fmt == 'parquet' else ('pyarrow' if has_pyarrow() else None)
        if engine:
            df = pd.read_parquet(path, engine=engine, columns=cols, **kwargs) if fmt == 'parquet' \
                else pd.read_feather(path, columns=cols, **kwargs)
            return df
        if converted and converted.get('path'):
            return _read_csv(pd, str(converted['path']), ',', cols, schema, kwargs)
        raise MissingDependencyError(
            f'Reading {fmt} ({path}) needs pyarrow, which this Python cannot import. Install it (pip install pyarrow), '
            'or pass the input through lode (it hands Python a CSV copy of parquet and Arrow datasets).'
        )
    if fmt in ('csv', 'tsv', ''):
        return _read_csv(pd, path, '\t' if fmt == 'tsv' else ',', cols, schema, kwargs)
    if fmt == 'ndjson':
        return _select(pd.read_json(path, lines=True, **kwargs), cols)
    if fmt == 'json':
        try:
            return _select(pd.read_json(path, **kwargs), cols)
        except ValueError:
            return _select(pd.read_json(path, lines=True, **kwargs), cols)
    raise ValueError(f'Cannot read {path} as a data frame: format {fmt!r} is not one of csv, tsv, json, ndjson, parquet, ipc. '
                     'Pass format= to say what it is.')


def _select(df: Any, cols: Optional[List[str]]) -> Any:
    return df[cols] if cols else df


def _read_csv(pd: Any, path: str, sep: str, cols: Optional[List[str]], schema: Optional[List[Dict[str, Any]]],
              kwargs: Dict[str, Any]) -> Any:
    options: Dict[str, Any] = {'sep': sep, 'usecols': cols}
    if schema:
        # a CSV forgets types: keep strings strings ("007") and read dates as dates, as the stored schema says
        strings = {c['name']: str for c in schema if _is_string_dtype(str(c.get('dtype', '')))}
        dates = [c['name'] for c in schema if _is_date_dtype(str(c.get('dtype', '')))]
        if cols:
            strings = {k: v for k, v in strings.items() if k in cols}
            dates = [d for d in dates if d in cols]
        if strings:
            options['dtype'] = strings
        if dates:
            options['parse_dates'] = dates
    options.update(kwargs)
    return pd.read_csv(path, **options)


def _is_string_dtype(dtype: str) -> bool:
    d = dtype.lower()
    return d in ('string', 'str', 'utf8', 'large_string', 'large_utf8') or d.startswith('categorical')


def _is_date_dtype(dtype: str) -> bool:
    d = dtype.lower()
    return d.startswith('date') or d.startswith('timestamp')


def planned_format(requested: str) -> str:
    """The format a frame is staged in: the requested one, or csv when parquet or ipc cannot be written here
    (lode converts the staged file to the requested format when it stores it)."""
    if requested == 'parquet' and not parquet_engine():
        return 'csv'
    if requested == 'ipc' and not has_pyarrow():
        return 'csv'
    return requested


def prepare_frame(df: Any, index: Optional[bool] = None) -> Tuple[Any, List[str]]:
    """The frame as lode stores it (flat, uniquely named string columns, no index), and what was changed to get
    there, for a warning. MultiIndex column names are joined with '_' (('v', 'mean') -> 'v_mean'); an index that
    carries data (named, several levels, dates or labels) becomes the first columns, as MLRun keeps it, under its
    name or 'index' / 'level_N'; an unnamed integer index is row numbers (also after filtering or shuffling) and is
    dropped; a repeated name gets the first free suffix _2, _3... index=True keeps any index (row numbers too) and
    index=False drops it, as pandas' to_csv/to_parquet(index=...) do in MLRun's log_dataset."""
    if type(df).__name__ == 'Series':
        df = df.to_frame()
    changes: List[str] = []
    names = list(df.columns)
    if df.columns.nlevels > 1 or any(isinstance(name, tuple) for name in names):
        names = [_joined(name) for name in names]
        levels = f'{df.columns.nlevels}-level ' if df.columns.nlevels > 1 else 'tuple '
        changes.append(f"its {levels}column names were joined with '_': {_listed(names)}")
    names = [str(name) for name in names]
    index_names: List[str] = []
    if index is True or (index is None and _index_has_data(df.index)):
        levels = df.index.nlevels
        index_names = [str(n) if n is not None else ('index' if levels == 1 else f'level_{i}')
                       for i, n in enumerate(df.index.names)]
        changes.append(f"its index was kept as {_plural('column', index_names)} {_listed(index_names)}")
    unique, renamed = _unique_names(index_names + names)
    if renamed:
        changes.append('duplicate column names were renamed: ' + _listed([f'{a} -> {b}' for a, b in renamed]))
    if not index_names and not changes and names == list(df.columns) and _is_row_numbers(df.index):
        return df, changes
    pd = require('pandas', 'log_dataset')
    body = df.reset_index(drop=True)
    body.columns = range(len(names))  # positions: names may repeat until the end
    if index_names:
        index = df.index.to_frame(index=False)
        index.columns = range(len(index_names))
        body.columns = range(len(index_names), len(index_names) + len(names))
        body = pd.concat([index, body], axis=1)
    body.columns = unique
    return body, changes


def _joined(name: Any) -> str:
    parts = [str(p) for p in (name if isinstance(name, tuple) else (name,)) if p is not None and str(p) != '']
    return '_'.join(parts) or 'column'


def _index_has_data(index: Any) -> bool:
    if index.nlevels > 1 or any(n is not None for n in index.names):
        return True
    if len(index) == 0:
        return False
    from pandas.api.types import is_integer_dtype
    return not is_integer_dtype(index.dtype)


def _is_row_numbers(index: Any) -> bool:
    return type(index).__name__ == 'RangeIndex' and index.start == 0 and index.step == 1


def _unique_names(names: List[str]) -> Tuple[List[str], List[Tuple[str, str]]]:
    taken = set(names)
    seen: set = set()
    unique: List[str] = []
    renamed: List[Tuple[str, str]] = []
    for name in names:
        if name in seen:
            n = 2
            while f'{name}_{n}' in taken:
                n += 1
            renamed.append((name, f'{name}_{n}'))
            name = f'{name}_{n}'
            taken.add(name)
        seen.add(name)
        unique.append(name)
    return unique, renamed


def _listed(items: List[str], limit: int = 8) -> str:
    shown = ', '.join(items[:limit])
    return shown + (f' ... ({len(items)} in all)' if len(items) > limit else '')


def _plural(word: str, items: List[Any]) -> str:
    return word if len(items) == 1 else word + 's'


def write_frame(df: Any, path: str, fmt: str) -> None:
    """Write a pandas DataFrame (or Series) without its index, in a format planned_format() chose."""
    if type(df).__name__ == 'Series':
        df = df.to_frame()
    if fmt == 'parquet':
        df.to_parquet(path, index=False, engine=parquet_engine())
    elif fmt == 'ipc':
        df.reset_index(drop=True).to_feather(path)
    elif fmt == 'ndjson':
        df.to_json(path, orient='records', lines=True, date_format='iso', force_ascii=False)
    else:
        df.to_csv(path, index=False)


def csv_column_types(df: Any) -> Optional[List[Dict[str, str]]]:
    """The type of each column of a frame about to be written as CSV, named as lode's schemas name them
    (String, Int64, Float64, Boolean, Date, Datetime(ns)...), so lode reads the CSV back with the frame's types:
    a CSV alone turns the code "007" into the number 7 and dates into text. None when there are no columns."""
    if type(df).__name__ == 'Series':
        df = df.to_frame()
    types = [{'name': str(name), 'dtype': _column_type(df[name])} for name in df.columns]
    return types or None


_NUMPY_TYPES = {
    'bool': 'Boolean', 'boolean': 'Boolean', 'int8': 'Int8', 'int16': 'Int16', 'int32': 'Int32', 'int64': 'Int64',
    'uint8': 'UInt8', 'uint16': 'UInt16', 'uint32': 'UInt32', 'uint64': 'UInt64',
    'float16': 'Float32', 'float32': 'Float32', 'float64': 'Float64', 'string': 'String',
}
# what pandas.api.types.infer_dtype says of an object column, for the values the CSV writer prints plainly
_INFERRED_TYPES = {
    'string': 'String', 'empty': 'String', 'boolean': 'Boolean', 'integer': 'Int64', 'floating': 'Float64',
    'mixed-integer-float': 'Float64', 'decimal': 'Float64', 'date': 'Date',
}


def _column_type(column: Any) -> str:
    """One column's type; String for anything the CSV holds only as text (mixed objects, timedeltas, periods)."""
    if getattr(column, 'ndim', 1) != 1:  # a duplicate column name gives a frame here
        return 'String'
    dtype = column.dtype
    name = str(dtype).lower()
    if name in _NUMPY_TYPES:
        return _NUMPY_TYPES[name]
    if name.startswith('datetime64'):
        unit = getattr(dtype, 'unit', None) or name[len('datetime64['):].split(',')[0].rstrip(']') or 'ns'
        unit = unit if unit in ('ns', 'us', 'ms') else 'ns'
        tz = getattr(dtype, 'tz', None)
        return f'Datetime({unit}, {tz})' if tz is not None else f'Datetime({unit})'
    if name == 'category':
        return _column_type(column.cat.categories.to_series())
    if name == 'object':
        from pandas.api.types import infer_dtype
        return _INFERRED_TYPES.get(infer_dtype(column, skipna=True), 'String')
    return 'String'


def write_records(rows: Any, path: str) -> str:
    """Write records (a list of dicts, or a dict of columns) as ndjson, without pandas. Returns 'ndjson'."""
    import json

    from .jsonvalue import to_json_value
    if isinstance(rows, dict):
        names = list(rows.keys())
        columns = [list(rows[n]) for n in names]
        length = len(columns[0]) if columns else 0
        if any(len(c) != length for c in columns):
            raise ValueError('log_dataset: the columns of the dict differ in length')
        rows = [dict(zip(names, values)) for values in zip(*columns)] if columns else []
    with open(path, 'w', encoding='utf-8') as out:
        for row in rows:
            if not isinstance(row, dict):
                raise TypeError(f'log_dataset: a row must be a dict, got {type(row).__name__}')
            out.write(json.dumps(to_json_value(row), ensure_ascii=False, allow_nan=False) + '\n')
    return 'ndjson'


