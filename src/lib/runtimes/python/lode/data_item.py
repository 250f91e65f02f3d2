"""DataItem: what a handler receives for an input, a local file (or directory) and what lode knows of it."""
from __future__ import annotations

import os
import shutil
from typing import Any, Dict, List, Optional, Sequence, Union

from .frames import format_of_path, normalize_format, read_frame


class DataItem:
    """An input: `key`, `url` (as the user gave it), `meta` (kind, format, uri, dataset or model metadata).

    The names follow MLRun's DataItem: local(), get(), as_df(), download(), listdir().
    """

    def __init__(self, key: str, url: str, path: str, meta: Optional[Dict[str, Any]] = None) -> None:
        self.key = key
        self.url = url
        self._path = os.path.abspath(path)
        self.meta: Dict[str, Any] = dict(meta or {})

    def __repr__(self) -> str:
        return f'DataItem(key={self.key!r}, url={self.url!r}, path={self._path!r})'

    @property
    def kind(self) -> str:
        """The artifact kind (artifact, dataset, model, plot, dir), or 'file' for a file not from the store."""
        return str(self.meta.get('kind') or ('dir' if os.path.isdir(self._path) else 'file'))

    @property
    def artifact_url(self) -> str:
        """The store:// address when the input came from the store, else the url."""
        return str(self.meta.get('uri') or self.url)

    @property
    def suffix(self) -> str:
        return os.path.splitext(self._path)[1]

    @property
    def format(self) -> str:
        """The file's format: what lode recorded, else its extension."""
        return normalize_format(str(self.meta.get('format') or '')) or format_of_path(self._path)

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

    def stat(self) -> os.stat_result:
        return os.stat(self._path)

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
        if os.path.isdir(self._path):
            shutil.copytree(self._path, target_path, dirs_exist_ok=True)
            return
        parent = os.path.dirname(os.path.abspath(target_path))
        os.makedirs(parent, exist_ok=True)
        shutil.copyfile(self._path, target_path)

    def as_df(self, columns: Optional[Sequence[str]] = None, df_module: Any = None, format: Optional[str] = None,
              **kwargs: Any) -> Any:
        """A pandas DataFrame: csv, tsv, json, ndjson, and parquet or Arrow IPC where pyarrow (or fastparquet) is
        present; without it, the CSV copy lode made of a parquet or IPC dataset."""
        fmt = normalize_format(format) or self.format
        dataset = self.meta.get('dataset')
        schema = dataset.get('schema') if isinstance(dataset, dict) else None
        converted = self.meta.get('converted')
        return read_frame(self._path, fmt, columns, converted if isinstance(converted, dict) else None,
                          schema if isinstance(schema, list) else None, **kwargs)

    def show(self) -> None:
        print(self.get(encoding='utf-8') if not os.path.isdir(self._path) else '\n'.join(self.listdir()))
