"""A recorded run, as MLRun's RunObject shows it: outputs, results, state, artifacts as DataItems."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any, Dict, List, Optional

from . import cli
from .data_item import DataItem


class _CallableStr(str):
    """A string that also answers when called: MLRun's `run.uid()` and lode's `run.uid` both work."""

    def __call__(self) -> str:
        return str(self)


class RunMetadata:
    def __init__(self, record: Dict[str, Any]) -> None:
        self.uid = _CallableStr(record.get('uid') or '')
        self.name: str = record.get('name') or ''
        self.project: str = record.get('project') or ''
        self.labels: Dict[str, str] = dict(record.get('labels') or {})
        self.iteration: int = int(record.get('iter') or 0)
        self.parent: Optional[str] = record.get('parent')


class RunSpec:
    def __init__(self, record: Dict[str, Any]) -> None:
        self.function: str = record.get('function') or ''
        self.handler: Optional[str] = record.get('handler')
        self.parameters: Dict[str, Any] = dict(record.get('params') or {})
        self.inputs: Dict[str, str] = {k: str(v.get('url')) for k, v in (record.get('inputs') or {}).items()}
        self.outputs: List[str] = list(record.get('declaredOutputs') or [])


class RunStatus:
    def __init__(self, record: Dict[str, Any]) -> None:
        self.state: str = record.get('state') or ''
        self.results: Dict[str, Any] = dict(record.get('results') or {})
        outputs = record.get('outputs') or {}
        self.artifact_uris: Dict[str, str] = {k: v for k, v in outputs.items() if isinstance(v, str) and v.startswith('store://')}
        self.artifacts: List[Dict[str, str]] = [{'key': k, 'uri': v} for k, v in self.artifact_uris.items()]
        err = record.get('error')
        self.error: Optional[str] = err.get('message') if isinstance(err, dict) else None
        self.start_time: Optional[int] = record.get('started')
        self.last_update: Optional[int] = record.get('ended')
        self.warnings: List[str] = list(record.get('warnings') or [])


class RunObject:
    """What run_function returns: `uid`, `metadata`, `spec`, `status`, `outputs`, `state()`, `artifact(key)`."""

    def __init__(self, record: Dict[str, Any], project_dir: Optional[str] = None) -> None:
        self._record = record
        self._project_dir = project_dir
        self.metadata = RunMetadata(record)
        self.spec = RunSpec(record)
        self.status = RunStatus(record)

    def __repr__(self) -> str:
        return f'RunObject(uid={self.uid!r}, name={self.metadata.name!r}, state={self.status.state!r})'

    @property
    def uid(self) -> _CallableStr:
        return self.metadata.uid

    @property
    def outputs(self) -> Dict[str, Any]:
        """Results and logged artifacts by key: an artifact as its store:// URI, pinned to this run's version."""
        return dict(self._record.get('outputs') or {})

    def output(self, key: str) -> Any:
        return self.outputs.get(key)

    def state(self) -> str:
        return self.status.state

    @property
    def error(self) -> Optional[str]:
        return self.status.error

    def to_dict(self) -> Dict[str, Any]:
        """The run record, as `lode runs get UID --json` prints it."""
        return dict(self._record)

    def artifact(self, key: str) -> DataItem:
        """A logged artifact as a DataItem: its bytes, checked against their sha256, in a temporary folder."""
        uri = self.status.artifact_uris.get(key)
        if uri is None:
            logged = ', '.join(sorted(self.status.artifact_uris)) or 'none'
            raise KeyError(f'run {self.uid[:8]} ({self.metadata.name}) logged no artifact {key!r} (artifacts: {logged})')
        return fetch_artifact(uri, self._project_dir, key)

    def logs(self) -> str:
        """The run's output (stdout, stderr and logger lines, in order)."""
        data = cli.data_of(cli.call_json(['runs', 'logs', str(self.uid)] + _project_flag(self._project_dir)))
        return str(data.get('output') or '') if isinstance(data, dict) else ''

    def show(self) -> None:
        print(self.summary())

    def summary(self) -> str:
        """One line: the run, its state or error, its results and the keys of its artifacts."""
        parts = [f'{k}={_short(v)}' for k, v in self.status.results.items()]
        if self.status.artifact_uris:
            parts.append('artifacts: ' + ' '.join(self.status.artifact_uris))
        why = f': {self.error}' if self.error else ''
        return f'run {self.uid[:8]} ({self.metadata.name}) {self.state()}{why}' + (f'; {", ".join(parts)}' if parts else '')


def fetch_artifact(ref: str, project_dir: Optional[str], key: str = '') -> DataItem:
    """An artifact of the store as a DataItem: its metadata, and its bytes copied (verified) into a temporary folder
    removed when Python exits."""
    flags = _project_flag(project_dir)
    version = cli.data_of(cli.call_json(['artifacts', 'get', ref, '--meta'] + flags))['artifact']
    dest = os.path.join(_temp_root(), f'{len(os.listdir(_temp_root()))}-{_file_name(version)}')
    written = cli.data_of(cli.call_json(['artifacts', 'get', ref, '-o', dest] + flags))
    meta = dict(version.get('meta') or {})
    meta.update({'kind': version.get('kind'), 'format': version.get('format'), 'uri': version.get('uri'),
                 'key': version.get('key'), 'version': version.get('version'), 'labels': version.get('labels') or {}})
    if version.get('kind') == 'dataset' and _unreadable(str(version.get('format'))):
        # as lode hands a Python handler its input: a CSV copy that as_df() reads
        copy = cli.data_of(cli.call_json(['artifacts', 'get', ref, '-o', dest + '.csv', '--format', 'csv'] + flags))
        meta['converted'] = {'format': 'csv', 'path': str(copy['path'])}
    return DataItem(key or str(version.get('key')), ref, str(written['path']), meta)


def _unreadable(fmt: str) -> bool:
    """A dataset format this Python cannot read into pandas (parquet or Arrow IPC without pyarrow)."""
    from .deps import has_pyarrow, parquet_engine

    return (fmt == 'parquet' and not parquet_engine()) or (fmt == 'ipc' and not has_pyarrow())


_temp: List[str] = []


def _temp_root() -> str:
    if not _temp:
        _temp.append(tempfile.mkdtemp(prefix='lode-artifacts-'))
        atexit.register(shutil.rmtree, _temp[0], True)
    return _temp[0]


def _file_name(version: Dict[str, Any]) -> str:
    base = os.path.basename(str(version.get('key') or 'artifact')).replace(os.sep, '_') or 'artifact'
    fmt = version.get('format')
    if fmt and version.get('kind') not in ('dir', 'model') and not base.endswith(f'.{fmt}'):
        base += f'.{fmt}'
    return base


def _project_flag(project_dir: Optional[str]) -> List[str]:
    return ['--project', project_dir] if project_dir else []


def _short(value: Any) -> str:
    text = f'{value:.6g}' if isinstance(value, float) else str(value)
    return text if len(text) <= 80 else text[:77] + '...'
