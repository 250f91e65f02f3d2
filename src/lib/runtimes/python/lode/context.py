"""The run's context, MLRun's MLClientCtx by name: params, inputs, and everything a handler logs."""
from __future__ import annotations

import json
import math
import os
import re
from typing import Any, Dict, List, Optional

from .data_item import DataItem
from .errors import MissingInputError
from .events import EventChannel
from .frames import DATASET_FORMATS, csv_column_types, format_of_path, is_pandas_frame, normalize_format, planned_format, prepare_frame, write_frame, write_records
from .jsonvalue import to_json_value, to_result_value
from .keys import check_artifact_key, check_label_key, checked_labels
from .logger import Logger
from .model_staging import describe_columns, model_spec, stage_extra_data, stage_model_dir
from .staging import Staging

PLOT_MIME = {'svg': 'image/svg+xml', 'png': 'image/png', 'html': 'text/html', 'jpg': 'image/jpeg', 'jpeg': 'image/jpeg'}
_DATASET_EXT = {'parquet': '.parquet', 'csv': '.csv', 'ndjson': '.ndjson', 'ipc': '.ipc'}



# uuid and tempfile serve only a context made outside lode (no run folder): imported then, not at every run's start
def _temp_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix='lode-staging-')


def _new_uid() -> str:
    import uuid

    return uuid.uuid4().hex


class LoggedArtifact:
    """What a log_* call staged: key, kind, the staged path, its format and labels."""

    def __init__(self, event: Dict[str, Any]) -> None:
        self.key: str = event['key']
        self.kind: str = event['kind']
        self.path: str = event['path']
        self.format: Optional[str] = event.get('format')
        self.labels: Dict[str, str] = event.get('labels') or {}
        self.spec: Dict[str, Any] = event

    def local(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f'LoggedArtifact(key={self.key!r}, kind={self.kind!r}, path={self.path!r})'


class MLClientCtx:
    """The context a handler receives (also `lode.Context`)."""

    def __init__(self, spec: Dict[str, Any], channel: Optional[EventChannel] = None) -> None:
        self.uid: str = str(spec.get('uid') or '')
        self.name: str = str(spec.get('name') or '')
        self.project: str = str(spec.get('project') or '')
        self.handler: Optional[str] = spec.get('handler')
        self.parameters: Dict[str, Any] = dict(spec.get('params') or {})
        self.inputs: Dict[str, DataItem] = {
            key: DataItem(key, str(item.get('url') or item.get('path')), str(item['path']), item.get('meta') or {})
            for key, item in (spec.get('inputs') or {}).items()
        }
        self._staging = Staging(str(spec.get('stagingDir') or _temp_dir()))
        self._channel = channel or EventChannel(None)
        self.logger = Logger(self._channel)
        self.results: Dict[str, Any] = {}
        self.labels: Dict[str, str] = {}
        self.artifacts: List[LoggedArtifact] = []
        self.tag = ''
        self.iteration = 0

    def __repr__(self) -> str:
        return f'MLClientCtx(uid={self.uid!r}, name={self.name!r}, project={self.project!r})'

    @classmethod
    def from_env(cls, name: str = '') -> 'MLClientCtx':
        """The run's context from LODE_RUN_SPEC; outside lode, an empty one that prints what it logs to stderr."""
        spec_path = os.environ.get('LODE_RUN_SPEC')
        if spec_path:
            with open(spec_path, encoding='utf-8') as f:
                spec = json.load(f)
        else:
            spec = {
                'uid': os.environ.get('LODE_RUN_UID') or _new_uid(),
                'name': name or 'local',
                'project': os.path.basename(os.getcwd()),
                'params': {},
                'inputs': {},
                'stagingDir': os.environ.get('LODE_OUTPUT_DIR') or _temp_dir(),
            }
        return cls(spec, EventChannel.from_env())

    # ---- params and inputs

    @property
    def artifact_path(self) -> str:
        """The staging directory: files written here and logged are moved (not copied) into the store."""
        return self._staging.dir

    out_path = artifact_path

    def get_param(self, key: str, default: Any = None) -> Any:
        return self.parameters.get(key, default)

    def get_input(self, key: str, url: str = '') -> DataItem:
        """The input named key; with url, a DataItem for that local path when the run has no such input."""
        item = self.inputs.get(key)
        if item is not None:
            return item
        if url:
            return self.get_dataitem(url, key)
        known = ', '.join(sorted(self.inputs)) or 'none'
        raise MissingInputError(f'No input named {key!r} (inputs of this run: {known}). Pass it with: -i {key}=PATH')

    def get_dataitem(self, url: str, key: str = '') -> DataItem:
        """A DataItem for a local path or file:// URL."""
        path = url[len('file://'):] if url.startswith('file://') else url
        if '://' in path:
            raise ValueError(f'get_dataitem({url!r}): only local paths and file:// URLs can be read inside a handler; '
                             'pass store:// addresses as inputs (-i key=store://...)')
        return DataItem(key or os.path.basename(path), url, path)

    def get_secret(self, key: str) -> Optional[str]:
        """A secret given to the run (lode run --secret KEY), or None. Output and logs holding it are masked."""
        return os.environ.get('LODE_SECRET_' + re.sub(r'[^A-Z0-9_]', '_', str(key).upper()))

    # ---- results, labels, progress

    def log_result(self, key: str, value: Any, commit: bool = False) -> None:
        _check_key(key)
        converted = to_result_value(value)
        size = len(json.dumps(converted, ensure_ascii=False, separators=(',', ':')).encode('utf-8'))
        if size > MAX_RESULT_BYTES:
            # refused here already, so a huge value never crosses to lode; the run's record says why
            self._channel.send('warning', message=f'result {json.dumps(key[:80], ensure_ascii=False)} refused: {_human_size(size)} of JSON is over '
                               f'the 64 kB limit of a result; log it as an artifact instead (ctx.logArtifact / context.log_artifact)')
            return
        self.results[key] = converted
        self._channel.send('result', key=key, value=converted)

    def log_results(self, results: Dict[str, Any], commit: bool = False) -> None:
        if not isinstance(results, dict):
            raise TypeError(f'log_results takes a dict, not {type(results).__name__}')
        for key, value in results.items():
            self.log_result(key, value)

    def set_label(self, key: str, value: Any, replace: bool = True) -> None:
        check_label_key(key)
        if not replace and key in self.labels:
            return
        self.labels[key] = str(value)
        self._channel.send('label', key=key, value=str(value))

    def progress(self, fraction: float, message: Optional[str] = None) -> None:
        """Report progress, fraction between 0 and 1."""
        value = float(fraction)
        if not math.isfinite(value):
            raise ValueError(f'progress: fraction must be a number between 0 and 1, got {fraction!r}')
        self._channel.send('progress', fraction=min(1.0, max(0.0, value)), message=message)

    def commit(self, message: str = '', completed: bool = False) -> None:
        """Nothing to do: every event reaches lode as it is logged (kept so MLRun code runs unchanged)."""

    # ---- artifacts

    def log_artifact(self, key: str, body: Any = None, local_path: Optional[str] = None, format: Optional[str] = None,
                     labels: Optional[Dict[str, str]] = None, kind: str = 'artifact', **kwargs: Any) -> LoggedArtifact:
        """Log a file, a directory, or a body (bytes, text, or a dict/list written as JSON)."""
        check_artifact_key(key)
        labels = checked_labels(labels)
        if local_path is None and kwargs.get('src_path'):
            local_path = kwargs['src_path']
        if body is None and local_path is None:
            raise ValueError(f'log_artifact({key!r}): give body= or local_path=')
        if body is not None and is_pandas_frame(body):
            return self.log_dataset(key, body, format=format or 'parquet', labels=labels)
        fmt = normalize_format(format)
        if body is not None and hasattr(body, 'savefig'):  # a matplotlib figure
            fmt = fmt or 'png'
            path = self._staging.reserve_file(f'{key}.{fmt}')
            body.savefig(path, format=fmt)
            kind = 'plot' if kind == 'artifact' else kind
        elif body is not None:
            if isinstance(body, (dict, list)):
                body, fmt = json.dumps(to_json_value(body), indent=2, ensure_ascii=False), fmt or 'json'
            if not isinstance(body, (bytes, bytearray, memoryview, str)):
                raise TypeError(f'log_artifact({key!r}): body must be bytes, str, a dict or a list, not {type(body).__name__}')
            name = os.path.basename(os.fspath(local_path)) if local_path else key
            fmt = fmt or format_of_path(name) or ('txt' if isinstance(body, str) else 'bin')
            if not os.path.splitext(name)[1]:
                name = f'{name}.{fmt}'
            path = self._staging.write(name, body)
        else:
            path = os.path.abspath(os.fspath(local_path))  # type: ignore[arg-type]
            if not os.path.exists(path):
                raise FileNotFoundError(f'log_artifact({key!r}): local_path {path} does not exist')
            if os.path.isdir(path):
                kind = 'dir' if kind == 'artifact' else kind
            else:
                fmt = fmt or format_of_path(path)
        event: Dict[str, Any] = {'key': key, 'kind': kind, 'path': path, 'format': fmt or None, 'labels': labels}
        if kind == 'plot':
            event['mime'] = PLOT_MIME.get(fmt or '')
        return self._artifact(event)

    def log_plot(self, key: str, body: Any = None, local_path: Optional[str] = None, format: Optional[str] = None,
                 labels: Optional[Dict[str, str]] = None, **kwargs: Any) -> LoggedArtifact:
        """Log a plot: SVG text (the default format), PNG bytes, HTML, a file, or a matplotlib figure."""
        if format is None and local_path is None and body is not None and not hasattr(body, 'savefig'):
            format = 'svg' if isinstance(body, str) else 'png'
        return self.log_artifact(key, body=body, local_path=local_path, format=format, labels=labels, kind='plot')

    def log_dataset(self, key: str, df: Any = None, format: Optional[str] = 'parquet', preview: Optional[int] = None,
                    stats: Optional[bool] = None, labels: Optional[Dict[str, str]] = None, local_path: Optional[str] = None,
                    **kwargs: Any) -> LoggedArtifact:
        """Log a data frame (pandas, or records: a list of dicts or a dict of columns) or a data file.

        Stored as `format` (parquet, csv, ndjson, ipc). Without pyarrow a frame is staged as CSV and lode writes
        the requested format; lode also computes the schema, statistics and preview.
        """
        check_artifact_key(key)
        labels = checked_labels(labels)
        target = normalize_format(format) or 'parquet'
        target = 'ndjson' if target == 'json' else target
        if target not in DATASET_FORMATS:
            raise ValueError(f'log_dataset({key!r}): format {format!r} is not one of {", ".join(DATASET_FORMATS)}')
        column_types: Optional[List[Dict[str, str]]] = None  # a staged CSV's column types, for lode to read it with
        if df is None:
            if local_path is None:
                raise ValueError(f'log_dataset({key!r}): give df= (a data frame) or local_path= (a data file)')
            path = os.path.abspath(os.fspath(local_path))
            if not os.path.isfile(path):
                raise FileNotFoundError(f'log_dataset({key!r}): local_path {path} does not exist')
            written = format_of_path(path)
        elif is_pandas_frame(df) or hasattr(df, 'to_pandas'):
            frame, changes = prepare_frame(df if is_pandas_frame(df) else df.to_pandas())
            for change in changes:
                self.logger.warning(f'log_dataset({key!r}): {change}')
            written = planned_format(target)
            path = self._staging.reserve_file(key + _DATASET_EXT[written])
            write_frame(frame, path, written)
            column_types = csv_column_types(frame) if written == 'csv' else None
        elif isinstance(df, (list, dict)):
            path = self._staging.reserve_file(key + '.ndjson')
            written = write_records(df, path)
        else:
            raise TypeError(f'log_dataset({key!r}): df must be a pandas DataFrame, a list of dicts or a dict of columns, '
                            f'not {type(df).__name__}')
        event = {'key': key, 'kind': 'dataset', 'path': path, 'format': written, 'targetFormat': target,
                 'preview': preview, 'stats': stats, 'labels': labels}
        if column_types:
            event['schema'] = column_types
        return self._artifact(event)

    def log_model(self, key: str, body: Any = None, model_file: Optional[str] = None, model_dir: Optional[str] = None,
                  framework: str = '', algorithm: str = '', metrics: Optional[Dict[str, Any]] = None,
                  parameters: Optional[Dict[str, Any]] = None, extra_data: Optional[Dict[str, Any]] = None,
                  labels: Optional[Dict[str, str]] = None, inputs: Any = None, outputs: Any = None,
                  training_set: Any = None, label_column: Any = None, **kwargs: Any) -> LoggedArtifact:
        """Log a model: a staged directory with the model file (body= bytes written as model_file, or model_file=
        a path, or model_dir= a directory) and its extra data (name -> path, bytes or frame)."""
        check_artifact_key(key)
        labels = checked_labels(labels)
        target, model_name = stage_model_dir(self._staging, key, body, model_file, model_dir)
        extra_names = stage_extra_data(key, target, extra_data, model_name)
        if training_set is not None and is_pandas_frame(training_set) and inputs is None:
            label_cols = [label_column] if isinstance(label_column, str) else list(label_column or [])
            inputs = training_set.drop(columns=label_cols) if label_cols else training_set
            outputs = outputs if outputs is not None or not label_cols else training_set[label_cols]
        spec = model_spec(framework, algorithm or '', model_name, metrics, parameters, extra_names,
                          describe_columns(inputs), describe_columns(outputs))
        event = {'key': key, 'kind': 'model', 'path': target, 'model': spec, 'labels': labels}
        return self._artifact(event)

    def _artifact(self, event: Dict[str, Any]) -> LoggedArtifact:
        sent = self._channel.send('artifact', **event)
        logged = LoggedArtifact(sent)
        self.artifacts.append(logged)
        return logged


# the largest result a run keeps, as JSON (src/lib/sdk/protocol.ts)
MAX_RESULT_BYTES = 64 * 1024


def _human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f'{size / 1024:.1f} kB' if size < 10 * 1024 else f'{size / 1024:.0f} kB'
    return f'{size / 1024 / 1024:.1f} MB'


def _check_key(key: Any) -> None:
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f'a key must be a non-empty string, got {key!r}')


Context = MLClientCtx
