"""DataItem: what a handler receives for an input, a local file (or directory) and what lode knows of it."""
from __future__ import annotations

import os

from .frames import format_of_path, normalize_format, read_frame

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional, Sequence, Union


class DataItem:
    """An input: `key`, `url` (as the user gave it), `meta` (the artifact object of an input from lode's store, with
    its record: kind, format, uri, dataset or model; for a plain file an empty, falsy record).

    The names follow MLRun's DataItem: local(), get(), put(), upload(), delete(), stat(), as_df(), show(),
    download(), listdir().
    """

    def __init__(self, key: str, url: str, path: str, meta: Optional[Dict[str, Any]] = None) -> None:
        self.key = key
        self.url = url
        self._path = os.path.abspath(path)
        self._meta: Dict[str, Any] = dict(meta or {})
        self._artifact: Any = None

    def __repr__(self) -> str:
        return f'DataItem(key={self.key!r}, url={self.url!r}, path={self._path!r})'

    def __str__(self) -> str:
        return self.url

    @property
    def kind(self) -> str:
        """MLRun's store kind: 'file' (lode hands every input over as a local file or folder)."""
        return 'file'

    @property
    def artifact_kind(self) -> str:
        """The artifact kind (artifact, dataset, model, plot, dir), or 'file' for a file not from the store."""
        return str(self._meta.get('kind') or ('dir' if os.path.isdir(self._path) else 'file'))

    @property
    def meta(self) -> Any:
        """The artifact object (ModelArtifact, DatasetArtifact, ...) of an input from lode's store; for a plain file
        an empty record that is falsy (MLRun's None). Both read as lode's record too: meta.get('model')."""
        if self._artifact is None and self._meta.get('uri'):
            from .artifacts.from_record import artifact_of_record

            self._artifact = artifact_of_record(self._meta, self.key, self._path)
        # a plain file has no artifact: an empty record, falsy as MLRun's None is, still read with .get()
        return self._artifact if self._artifact is not None else _NoArtifact(self._meta)

    @property
    def store(self) -> Any:
        return None

    @property
    def artifact_url(self) -> str:
        """The store:// address when the input came from the store, else the url."""
        return str(self._meta.get('uri') or self.url)

    @property
    def suffix(self) -> str:
        return os.path.splitext(self._path)[1]

    @property
    def format(self) -> str:
        """The file's format: what lode recorded, else its extension."""
        return normalize_format(str(self._meta.get('format') or '')) or format_of_path(self._path)

    def local(self) -> str:
        """The absolute local path: a file, or a directory for dir and model artifacts."""
        return self._path

    def get(self, size: Optional[int] = None, offset: int = 0, encoding: Optional[str] = None) -> Union[bytes, str]:
        """The file's bytes (from offset, at most size of them), or text when an encoding is given."""
        with open(self._path, 'rb') as f:
            if offset:
                f.seek(offset)
            data = f.read() if size is None else f.read(size)
        return data.decode(encoding) if encoding else data

    def open(self, mode: str = 'rb', **kwargs: Any) -> Any:
        return open(self._path, mode, **kwargs)

    def stat(self) -> 'FileStats':
        """MLRun's FileStats: size, modified (seconds since the epoch), content_type."""
        import mimetypes
        st = os.stat(self._path)
        return FileStats(st.st_size, st.st_mtime, mimetypes.guess_type(self._path)[0])

    def put(self, data: Union[bytes, str], append: bool = False) -> None:
        """Write data to the item's path (append=True adds to its end)."""
        self._writable('put')
        os.makedirs(os.path.dirname(self._path), exist_ok=True)
        mode = ('a' if append else 'w') + ('' if isinstance(data, str) else 'b')
        with open(self._path, mode, **({'encoding': 'utf-8'} if isinstance(data, str) else {})) as f:
            f.write(data)

    def upload(self, src_path: str) -> None:
        """Copy the file src_path to the item's path."""
        import shutil
        self._writable('upload')
        os.makedirs(os.path.dirname(self._path), exist_ok=True)
        shutil.copyfile(src_path, self._path)

    def delete(self) -> None:
        """Remove the item's file (an input from lode's store is a copy or the store's own object: refused)."""
        import shutil
        self._writable('delete')
        if os.path.isdir(self._path):
            shutil.rmtree(self._path)
        elif os.path.exists(self._path):
            os.remove(self._path)

    def _writable(self, what: str) -> None:
        if self._meta.get('uri'):
            raise PermissionError(f'DataItem.{what}(): {self.artifact_url} is an artifact in lode\'s store; its '
                                  'versions never change. Log a new version with context.log_artifact instead')

    def listdir(self) -> List[str]:
        """Relative paths of the files under a directory input, sorted."""
        if not os.path.isdir(self._path):
            return [os.path.basename(self._path)]
        found = []
        for root, _dirs, files in os.walk(self._path):
            found.extend(os.path.relpath(os.path.join(root, f), self._path) for f in files)
        return sorted(found)

    ls = listdir

    def download(self, target_path: str) -> None:
        """Copy the input to target_path (a file, or a directory tree for a directory input)."""
        import shutil
        if os.path.isdir(self._path):
            shutil.copytree(self._path, target_path, dirs_exist_ok=True)
            return
        parent = os.path.dirname(os.path.abspath(target_path))
        os.makedirs(parent, exist_ok=True)
        shutil.copyfile(self._path, target_path)

    def as_df(self, columns: Optional[Sequence[str]] = None, df_module: Any = None, format: Optional[str] = None,
              time_column: Optional[str] = None, start_time: Any = None, end_time: Any = None,
              additional_filters: Optional[List[Any]] = None, **kwargs: Any) -> Any:
        """A pandas DataFrame: csv, tsv, json, ndjson, and parquet or Arrow IPC where pyarrow (or fastparquet) is
        present; without it, the CSV copy lode made of a parquet or IPC dataset. As MLRun: time_column (made datetimes)
        keeps the rows start_time < time <= end_time; additional_filters are (column, op, value) tuples."""
        if df_module is not None and getattr(df_module, '__name__', '') != 'pandas':
            raise ValueError(f'as_df: df_module={getattr(df_module, "__name__", df_module)!r}: lode reads frames with '
                             'pandas only')
        fmt = normalize_format(format) or self.format
        dataset = self._meta.get('dataset')
        schema = dataset.get('schema') if isinstance(dataset, dict) else None
        converted = self._meta.get('converted')
        df = read_frame(self._path, fmt, columns, converted if isinstance(converted, dict) else None,
                        schema if isinstance(schema, list) else None, **kwargs)
        return filter_frame(df, time_column, start_time, end_time, additional_filters)

    def show(self, format: Optional[str] = None) -> None:
        """Print the item: a table for data files, the text of text files, the file list of a folder (there is no
        notebook display here)."""
        if os.path.isdir(self._path):
            print('\n'.join(self.listdir()))
            return
        suffix = '.' + format.lower().lstrip('.') if format else self.suffix.lower()
        if suffix in ('.csv', '.tsv', '.parquet', '.pq', '.ndjson', '.jsonl', '.ipc', '.arrow'):
            print(self.as_df(format=suffix[1:]).to_string())
        elif suffix in ('.png', '.jpg', '.jpeg', '.gif'):
            print(f'{self.url}: {suffix[1:]} image, {os.path.getsize(self._path)} bytes (at {self._path})')
        else:
            print(self.get(encoding='utf-8'))


class _NoArtifact(dict):
    """What a plain file's meta is: no artifact (falsy, as MLRun's None), lode's record still read with .get()."""

    def __bool__(self) -> bool:
        return False


class FileStats:
    """MLRun's FileStats."""

    def __init__(self, size: int, modified: float, content_type: Optional[str] = None) -> None:
        self.size = size
        self.modified = modified
        self.content_type = content_type

    def __repr__(self) -> str:
        return f'FileStats(size={self.size}, modified={self.modified}, content_type={self.content_type!r})'


_OPS = {'=': '__eq__', '==': '__eq__', '!=': '__ne__', '>': '__gt__', '>=': '__ge__', '<': '__lt__', '<=': '__le__'}


def filter_frame(df: Any, time_column: Optional[str], start_time: Any, end_time: Any,
                 additional_filters: Optional[List[Any]]) -> Any:
    """MLRun's as_df filters: start_time < time_column <= end_time, and (column, op, value) conditions."""
    if (start_time is not None or end_time is not None) and not time_column:
        raise ValueError('as_df: start_time/end_time need time_column= (the column to filter on)')
    if time_column:
        import pandas as pd

        # as MLRun: the column becomes datetimes, and the rows kept are start_time < time <= end_time
        df = df.copy()
        df[time_column] = pd.to_datetime(df[time_column])
        if start_time is not None:
            df = df[df[time_column] > pd.to_datetime(start_time)]
        if end_time is not None:
            df = df[df[time_column] <= pd.to_datetime(end_time)]
    for condition in additional_filters or []:
        if not isinstance(condition, (tuple, list)) or len(condition) != 3 or condition[1] not in _OPS:
            raise ValueError(f'as_df: additional_filters takes (column, op, value) tuples with op one of '
                             f'{", ".join(_OPS)}, got {condition!r}')
        column, op, value = condition
        df = df[getattr(df[column], _OPS[op])(value)]
    return df
