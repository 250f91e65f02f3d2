"""The run's context, MLRun's MLClientCtx by name: params, inputs, and everything a handler logs."""
from __future__ import annotations

import math
import os

from .errors import MissingDependencyError, MissingInputError
from .events import EventChannel
from .jsonvalue import to_json_value, to_result_value
from .logger import Logger
from .staging import Staging, copy_into, write_body
from .wire_json import dumps, loads

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional

    from .artifacts import Artifact, DatasetArtifact, ModelArtifact
    from .data_item import DataItem

# What logs artifacts and reads inputs (artifacts, data_item, frames, model_staging, keys, artifact_options) is
# imported by the methods that do: a run that logs none does not pay for loading them (~3 ms).

_SECRET_CHARS = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_')
PLOT_MIME = {'svg': 'image/svg+xml', 'png': 'image/png', 'html': 'text/html', 'jpg': 'image/jpeg', 'jpeg': 'image/jpeg'}
_DATASET_EXT = {'parquet': '.parquet', 'csv': '.csv', 'ndjson': '.ndjson', 'ipc': '.ipc'}



# uuid and tempfile serve only a context made outside lode (no run folder): imported then, not at every run's start
def _temp_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix='lode-staging-')


def _new_uid() -> str:
    import uuid

    return uuid.uuid4().hex


class MLClientCtx:
    """The context a handler receives (also `lode.Context`)."""

    def __init__(self, spec: Dict[str, Any], channel: Optional[EventChannel] = None) -> None:
        self._uid: str = str(spec.get('uid') or '')
        self.name: str = str(spec.get('name') or '')
        self.project: str = str(spec.get('project') or '')
        self.handler: Optional[str] = spec.get('handler')
        self._parameters: Dict[str, Any] = dict(spec.get('params') or {})
        self.inputs: Dict[str, DataItem] = _input_items(spec.get('inputs') or {})
        self._staging = Staging(str(spec.get('stagingDir') or _temp_dir()))
        self._project_dir = str(spec.get('projectDir') or os.getcwd())
        self._channel = channel or EventChannel(None)
        self.logger = Logger(self._channel)
        self._results: Dict[str, Any] = {}
        self._labels: Dict[str, str] = {}
        self._annotations: Dict[str, str] = {}
        self._logged: Dict[str, Artifact] = {}
        self._iteration = int(spec.get('iter') or 0)
        self._state = 'running'
        self._error: Optional[str] = None
        self._project_params: Optional[Dict[str, Any]] = None
        self._parent: Optional['MLClientCtx'] = None
        self._children: List['MLClientCtx'] = []
        self._iteration_results: Optional[List[Any]] = None

    def __repr__(self) -> str:
        return f'MLClientCtx(uid={self.uid!r}, name={self.name!r}, project={self.project!r})'

    @classmethod
    def from_env(cls, name: str = '') -> 'MLClientCtx':
        """The run's context from LODE_RUN_SPEC; outside lode, an empty one that prints what it logs to stderr."""
        spec_path = os.environ.get('LODE_RUN_SPEC')
        if spec_path:
            with open(spec_path, encoding='utf-8') as f:
                spec = loads(f.read())
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

    # ---- what MLRun's context shows (copies, as MLRun's read-only properties are)

    @property
    def uid(self) -> str:
        return self._uid

    @property
    def tag(self) -> str:
        """MLRun's run tag: the run's uid."""
        return self._uid

    @property
    def iteration(self) -> int:
        return self._iteration

    @property
    def state(self) -> str:
        return self._state

    @property
    def parameters(self) -> Dict[str, Any]:
        return _deep_copy(self._parameters)

    @property
    def results(self) -> Dict[str, Any]:
        return _deep_copy(self._results)

    @property
    def labels(self) -> Dict[str, str]:
        return dict(self._labels)

    @property
    def annotations(self) -> Dict[str, str]:
        return dict(self._annotations)

    @property
    def artifacts(self) -> List[Dict[str, Any]]:
        """What the run logged, as MLRun lists it: one dict per artifact (kind, metadata, spec, status)."""
        return [a.to_dict() for a in self._logged.values()]

    @property
    def artifact_path(self) -> str:
        """The staging directory: files written here and logged are moved (not copied) into the store."""
        return self._staging.dir

    out_path = artifact_path

    @property
    def in_path(self) -> str:
        return self._project_dir

    def artifact_subpath(self, *subpaths: str) -> str:
        """A path under the artifact path (MLRun's artifact_subpath), e.g. for artifact_path=... or target_path=..."""
        return os.path.join(self.artifact_path, *subpaths)

    # ---- params and inputs

    def get_param(self, key: str, default: Any = None) -> Any:
        """A param, or default (recorded as the param's value from then on, as MLRun does)."""
        if key not in self._parameters:
            self._parameters[key] = default
            return default
        return self._parameters[key]

    def get_project_param(self, key: str, default: Any = None) -> Any:
        """A param of the project: `params:` in lode.yaml."""
        if self._project_params is None:
            self._project_params = _project_params(self._project_dir)
        return self._project_params.get(key, default)

    def get_input(self, key: str, url: str = '') -> DataItem:
        """The input named key; with url, a DataItem for that path or address when the run has no such input."""
        item = self.inputs.get(key)
        if item is not None:
            return item
        if url:
            item = self.get_dataitem(url)
            item.key = key
            self.inputs[key] = item
            return item
        known = ', '.join(sorted(self.inputs)) or 'none'
        raise MissingInputError(f'No input named {key!r} (inputs of this run: {known}). Pass it with: -i {key}=PATH')

    def get_dataitem(self, url: str, secrets: Any = None, key: str = '') -> DataItem:
        """A DataItem for a local path, a file:// URL or a store:// address (read through `lode artifacts get`)."""
        from .data_item import DataItem
        from .store_access import fetch_artifact

        text = os.fspath(url)
        if text.startswith('store://'):
            return fetch_artifact(text, self._project_dir, key)
        path = text[len('file://'):] if text.startswith('file://') else text
        if '://' in path:
            raise ValueError(f'get_dataitem({url!r}): lode reads local paths, file:// URLs and store:// addresses; '
                             'remote storage (s3://, v3io://, http://...) is not something lode provides: download the '
                             'file first and pass its path')
        return DataItem(key or os.path.basename(path), text, path)

    def get_store_resource(self, url: str, secrets: Any = None) -> Artifact:
        """The artifact object of a store:// address (its .meta); feature sets and vectors are not lode's."""
        from .store_access import check_artifact_address

        check_artifact_address(url, 'get_store_resource')
        return self.get_dataitem(url).meta

    def get_secret(self, key: str) -> Optional[str]:
        """A secret given to the run (lode run --secret KEY), or None. Output and logs holding it are masked."""
        # re.sub(r'[^A-Z0-9_]', '_', ...) without re (~8 ms to import in a run)
        return os.environ.get('LODE_SECRET_' + ''.join(c if c in _SECRET_CHARS else '_' for c in str(key).upper()))

    # ---- results, labels, progress, state

    def log_result(self, key: str, value: Any, commit: bool = False) -> None:
        _check_key(key)
        converted = to_result_value(value)
        size = len(dumps(converted, allow_nan=True).encode('utf-8', 'surrogatepass'))
        if size > MAX_RESULT_BYTES:
            # refused here already, so a huge value never crosses to lode; the run's record says why
            self._channel.send('warning', message=f'result {dumps(key[:80])} refused: {_human_size(size)} of JSON is over '
                               f'the 64 kB limit of a result; log it as an artifact instead (ctx.logArtifact / context.log_artifact)')
            return
        self._results[key] = converted
        if self._parent is None:  # a child's results are its iteration's (iteration_results), not the run's
            self._channel.send('result', key=key, value=converted)

    def log_results(self, results: Dict[str, Any], commit: bool = False) -> None:
        if not isinstance(results, dict):
            raise TypeError(f'log_results takes a dict, not {type(results).__name__}')
        for key, value in results.items():
            self.log_result(key, value)

    def set_label(self, key: str, value: Any, replace: bool = True) -> None:
        from .keys import check_label_key

        check_label_key(key)
        if not replace and key in self._labels:
            return
        self._labels[key] = str(value)
        if self._parent is None:
            self._channel.send('label', key=key, value=str(value))

    def set_annotation(self, key: str, value: Any, replace: bool = True) -> None:
        """An annotation of the run: kept on the context and recorded in the run's log (lode runs have no
        annotations of their own)."""
        from .keys import check_label_key

        check_label_key(key)
        if not replace and key in self._annotations:
            return
        self._annotations[key] = str(value)
        self._channel.send('log', level='info', msg=f'annotation {key} = {value}',
                           fields={'annotation': key, 'value': str(value)})

    def progress(self, fraction: float, message: Optional[str] = None) -> None:
        """Report progress, fraction between 0 and 1."""
        value = float(fraction)
        if not math.isfinite(value):
            raise ValueError(f'progress: fraction must be a number between 0 and 1, got {fraction!r}')
        self._channel.send('progress', fraction=min(1.0, max(0.0, value)), message=message)

    def set_state(self, execution_state: Optional[str] = None, error: Any = None, commit: bool = True) -> None:
        """error= marks the run failed with that message once the handler returns (MLRun's set_state)."""
        if error is not None:
            self._error = str(error)
            self._state = 'error'
        elif execution_state:
            self._state = str(execution_state)

    def commit(self, message: str = '', completed: bool = False) -> None:
        """Nothing to do: every event reaches lode as it is logged (kept so MLRun code runs unchanged)."""

    def get_meta(self) -> Dict[str, Any]:
        return {'name': self.name, 'kind': 'run', 'uri': f'{self.project}/{self.uid}', 'owner': os.environ.get('USER', '')}

    def to_dict(self) -> Dict[str, Any]:
        return {'kind': 'run',
                'metadata': {'name': self.name, 'uid': self.uid, 'iteration': self.iteration, 'project': self.project,
                             'labels': self.labels, 'annotations': self.annotations},
                'spec': {'parameters': self.parameters, 'inputs': {k: v.url for k, v in self.inputs.items()},
                         'handler': self.handler},
                'status': {'state': self.state, 'results': self.results, 'artifacts': self.artifacts}}

    # ---- child contexts (MLRun's iterations inside one run)

    def get_child_context(self, with_parent_params: bool = False, **params: Any) -> 'MLClientCtx':
        """A child iteration (1, 2, ...): what it logs is iteration N of this run's artifacts and a row of
        iteration_results; mark_as_best() (or update_child_iterations(best_run=N)) makes its results the run's."""
        from .children import child_context

        return child_context(self, with_parent_params, params)

    def mark_as_best(self) -> None:
        if self._parent is None or not self._iteration:
            raise ValueError('mark_as_best: only a child context (get_child_context) can be marked as the best iteration')
        self._parent.log_iteration_results(self._iteration, None, self.to_dict())

    def log_iteration_results(self, best: Any, summary: Any, task: Any, commit: bool = False) -> None:
        from .children import log_iteration_results

        log_iteration_results(self, best, summary, task)

    def update_child_iterations(self, best_run: int = 0, commit_children: bool = False, completed: bool = True) -> None:
        from .children import update_child_iterations

        update_child_iterations(self, best_run, completed)

    def __enter__(self) -> 'MLClientCtx':
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        if exc_value is not None:
            self.set_state(error=exc_value)
        elif self._state == 'running':
            self._state = 'completed'

    # ---- artifacts

    def log_artifact(self, item: Any, body: Any = None, local_path: Optional[str] = None, artifact_path: Optional[str] = None,
                     tag: str = '', viewer: Optional[str] = None, target_path: str = '', src_path: Optional[str] = None,
                     upload: Optional[bool] = None, labels: Optional[Dict[str, str]] = None, format: Optional[str] = None,
                     db_key: Any = None, kind: str = 'artifact', **kwargs: Any) -> Artifact:
        """Log a file, a directory, or a body (bytes, text, a dict/list written as JSON, a figure); item is the key or
        an Artifact object (PlotlyArtifact(key=..., figure=...), ModelArtifact(...), ...). Returns the artifact."""
        from . import artifact_options as options
        from .artifacts import Artifact, DirArtifact, PlotArtifact
        from .artifacts.base import check_tag
        from .frames import is_pandas_frame
        from .keys import check_artifact_key, checked_labels

        if isinstance(item, Artifact):
            return self._log_object(item, body=body, local_path=local_path or src_path, artifact_path=artifact_path,
                                    tag=tag, viewer=viewer, target_path=target_path, upload=upload, labels=labels,
                                    format=format, db_key=db_key, **kwargs)
        if not isinstance(item, str):
            raise TypeError(f'log_artifact: item must be a key (str) or an Artifact object, not {type(item).__name__}')
        where = f'log_artifact({item!r})'
        options.no_extra_keywords(kwargs, where)
        key = options.stored_key(item, db_key, where)
        check_artifact_key(key)
        labels = checked_labels(labels)
        tag_ = check_tag(tag, where)
        options.note_upload(upload, where, self.logger.warning)
        local_path = local_path or src_path
        if body is None and local_path is None:
            raise ValueError(f'{where}: give body= or local_path=')
        if body is not None and is_pandas_frame(body):
            return self.log_dataset(key, body, tag=tag, format=format or 'parquet', labels=labels,
                                    artifact_path=artifact_path, target_path=target_path)
        kind = options.kind_for_viewer(viewer, kind)
        folder = Staging(options.staging_folder(self._staging.dir, artifact_path, where))
        target = options.local_target(target_path, where)
        fmt = _plain_format(format)
        if body is not None and hasattr(body, 'savefig'):  # a matplotlib figure
            fmt = fmt or 'png'
            path = target or folder.reserve_file(f'{key}.{fmt}')
            _parent(path)
            body.savefig(path, format=fmt)
            kind = 'plot' if kind == 'artifact' else kind
        elif body is not None:
            if isinstance(body, (dict, list)):
                import json

                body, fmt = json.dumps(to_json_value(body), indent=2, ensure_ascii=False), fmt or 'json'
            if not isinstance(body, (bytes, bytearray, memoryview, str)):
                raise TypeError(f'{where}: body must be bytes, str, a dict or a list, not {type(body).__name__}')
            name = os.path.basename(os.fspath(local_path)) if local_path else key
            fmt = fmt or _plain_format(os.path.splitext(target or name)[1]) or ('txt' if isinstance(body, str) else 'bin')
            if not os.path.splitext(name)[1]:
                name = f'{name}.{fmt}'
            if target:
                _parent(target)
                write_body(target, body)
                path = target
            else:
                path = folder.write(name, body)
        else:
            path = os.path.abspath(os.fspath(local_path))  # type: ignore[arg-type]
            if not os.path.exists(path):
                raise FileNotFoundError(f'{where}: local_path {path} does not exist')
            if not (os.path.isfile(path) or os.path.isdir(path)):
                # a FIFO would be read forever, a device such as /dev/zero never ends
                raise ValueError(f'{where}: local_path {path} is not a file or a folder (a FIFO, a device or a socket); write the data to a file first')
            if target and target != path:
                _parent(target)
                copy_into(path, target)
                path = target
            if os.path.isdir(path):
                kind = 'dir' if kind == 'artifact' else kind
            else:
                fmt = fmt or _plain_format(os.path.splitext(path)[1])
        event: Dict[str, Any] = {'key': key, 'kind': kind, 'path': path, 'format': fmt or None, 'labels': labels,
                                 'tag': tag_}
        if kind == 'plot':
            event['mime'] = PLOT_MIME.get(fmt or '')
        obj = {'dir': DirArtifact, 'plot': PlotArtifact}.get(kind, Artifact)(key)
        obj.viewer = viewer
        return self._artifact(event, obj)

    def log_plot(self, key: str, body: Any = None, local_path: Optional[str] = None, format: Optional[str] = None,
                 labels: Optional[Dict[str, str]] = None, tag: str = '', **kwargs: Any) -> Artifact:
        """Log a plot: SVG text (the default format), PNG bytes, HTML, a file, or a matplotlib figure."""
        if format is None and local_path is None and body is not None and not hasattr(body, 'savefig'):
            format = 'svg' if isinstance(body, str) else 'png'
        return self.log_artifact(key, body=body, local_path=local_path, format=format, labels=labels, kind='plot',
                                 tag=tag, **kwargs)

    def log_dataset(self, key: str, df: Any = None, tag: str = '', local_path: Optional[str] = None,
                    artifact_path: Optional[str] = None, upload: Optional[bool] = None,
                    labels: Optional[Dict[str, str]] = None, format: Optional[str] = 'parquet',
                    preview: Optional[int] = None, stats: Optional[bool] = None, db_key: Any = None,
                    target_path: str = '', extra_data: Optional[Dict[str, Any]] = None, label_column: Optional[str] = None,
                    index: Optional[bool] = None, **kwargs: Any) -> DatasetArtifact:
        """Log a data frame (pandas, or records: a list of dicts or a dict of columns) or a data file.

        Stored as `format` (parquet, csv, ndjson, ipc). Without pyarrow a frame is staged as CSV and lode writes
        the requested format; lode also computes the schema, statistics and preview. index=True keeps the frame's
        index as columns, index=False drops it (default: kept when it carries data).
        """
        from . import artifact_options as options
        from .artifacts import DatasetArtifact
        from .artifacts.base import check_tag
        from .frames import (DATASET_FORMATS, csv_column_types, format_of_path, is_pandas_frame, normalize_format,
                             planned_format, prepare_frame, write_frame, write_records)
        from .keys import check_artifact_key, checked_labels

        where = f'log_dataset({key!r})'
        options.no_extra_keywords(kwargs, where)
        key = options.stored_key(key, db_key, where)
        check_artifact_key(key)
        labels = checked_labels(labels)
        tag_ = check_tag(tag, where)
        options.note_upload(upload, where, self.logger.warning)
        if extra_data:
            raise ValueError(f'{where}: extra_data= is not something lode keeps with a dataset (a dataset is one file); '
                             'log each extra file with context.log_artifact, or as extra_data of a model')
        if label_column is not None:
            if not isinstance(label_column, str):
                raise TypeError(f'{where}: label_column must be a column name (str), not {type(label_column).__name__}')
            labels = dict(labels or {}, label_column=label_column)
        folder = Staging(options.staging_folder(self._staging.dir, artifact_path, where))
        target = options.local_target(target_path, where)
        target_format = normalize_format(format) or (format_of_path(target) if target else '') or 'parquet'
        target_format = 'ndjson' if target_format == 'json' else target_format
        if target_format not in DATASET_FORMATS:
            raise ValueError(f'{where}: format {format!r} is not one of {", ".join(DATASET_FORMATS)}')
        column_types: Optional[List[Dict[str, str]]] = None  # a staged CSV's column types, for lode to read it with
        if df is None:
            if local_path is None:
                raise ValueError(f'{where}: give df= (a data frame) or local_path= (a data file)')
            path = os.path.abspath(os.fspath(local_path))
            if not os.path.isfile(path):
                if os.path.exists(path):
                    raise ValueError(f'{where}: local_path {path} is not a file (a folder, a FIFO or a device); write the data to a file first')
                raise FileNotFoundError(f'{where}: local_path {path} does not exist')
            written = format_of_path(path)
            if target and target != path:
                _parent(target)
                copy_into(path, target)
                path = target
        elif is_pandas_frame(df) or hasattr(df, 'to_pandas'):
            frame, changes = prepare_frame(df if is_pandas_frame(df) else df.to_pandas(), index)
            for change in changes:
                self.logger.warning(f'{where}: {change}')
            written = planned_format(target_format)
            path = target if target and written == target_format else folder.reserve_file(key + _DATASET_EXT[written])
            _parent(path)
            write_frame(frame, path, written)
            column_types = csv_column_types(frame) if written == 'csv' else None
        elif isinstance(df, (list, dict)):
            path = folder.reserve_file(key + '.ndjson')
            written = write_records(df, path)
        else:
            raise TypeError(f'{where}: df must be a pandas DataFrame, a list of dicts or a dict of columns, '
                            f'not {type(df).__name__}')
        event = {'key': key, 'kind': 'dataset', 'path': path, 'format': written, 'targetFormat': target_format,
                 'preview': preview, 'stats': stats, 'labels': labels, 'tag': tag_}
        if column_types:
            event['schema'] = column_types
        obj = DatasetArtifact(key, df if is_pandas_frame(df) else None, preview=preview, stats=stats,
                              label_column=label_column)
        return self._artifact(event, obj)  # type: ignore[return-value]

    def log_model(self, key: str, body: Any = None, framework: str = '', tag: str = '', model_dir: Optional[str] = None,
                  model_file: Optional[str] = None, algorithm: Optional[str] = None,
                  metrics: Optional[Dict[str, Any]] = None, parameters: Optional[Dict[str, Any]] = None,
                  artifact_path: Optional[str] = None, upload: Optional[bool] = None,
                  labels: Optional[Dict[str, str]] = None, inputs: Any = None, outputs: Any = None,
                  feature_vector: Optional[str] = None, feature_weights: Optional[List[Any]] = None,
                  training_set: Any = None, label_column: Any = None, extra_data: Optional[Dict[str, Any]] = None,
                  db_key: Any = None, **kwargs: Any) -> ModelArtifact:
        """Log a model: a staged directory with the model file (body= bytes written as model_file, or model_file=
        a path, or model_dir= a directory) and its extra data (name -> path, bytes, frame or logged artifact)."""
        from . import artifact_options as options
        from .artifacts import ModelArtifact
        from .artifacts.base import check_tag
        from .frames import is_pandas_frame
        from .keys import check_artifact_key, checked_labels
        from .model_staging import describe_columns, model_spec, stage_extra_data, stage_model_dir

        where = f'log_model({key!r})'
        options.no_extra_keywords(kwargs, where)
        key = options.stored_key(key, db_key, where)
        check_artifact_key(key)
        labels = checked_labels(labels)
        tag_ = check_tag(tag, where)
        options.note_upload(upload, where, self.logger.warning)
        if training_set is not None and inputs:
            raise ValueError(f'{where}: give inputs= or training_set=, not both (as MLRun)')
        if feature_vector is not None and not isinstance(feature_vector, str):
            raise TypeError(f'{where}: feature_vector must be a store:// address (str)')
        folder = Staging(options.staging_folder(self._staging.dir, artifact_path, where))
        target, model_name = stage_model_dir(folder, key, body, model_file, model_dir)
        extra_names = stage_extra_data(key, target, _extra_sources(extra_data), model_name)
        if training_set is not None and is_pandas_frame(training_set) and inputs is None:
            label_cols = [label_column] if isinstance(label_column, str) else list(label_column or [])
            inputs = training_set.drop(columns=label_cols) if label_cols else training_set
            outputs = outputs if outputs is not None or not label_cols else training_set[label_cols]
        spec = model_spec(framework, algorithm or '', model_name, metrics, parameters, extra_names,
                          describe_columns(inputs), describe_columns(outputs))
        if feature_vector:
            spec['featureVector'] = feature_vector
        if feature_weights is not None:
            spec['featureWeights'] = to_json_value(list(feature_weights))
        event = {'key': key, 'kind': 'model', 'path': target, 'model': spec, 'labels': labels, 'tag': tag_}
        return self._artifact(event, ModelArtifact(key))  # type: ignore[return-value]

    def update_model(self, model: Any, parameters: Optional[Dict[str, Any]] = None,
                     metrics: Optional[Dict[str, Any]] = None, extra_data: Optional[Dict[str, Any]] = None,
                     inputs: Any = None, outputs: Any = None, feature_vector: Optional[str] = None,
                     feature_weights: Optional[List[Any]] = None, key_prefix: str = '',
                     labels: Optional[Dict[str, str]] = None, store_object: bool = True) -> ModelArtifact:
        """lode.artifacts.update_model: the model's spec updated, and logged again by this run."""
        from .model_update import update_model

        return update_model(self, model, parameters=parameters, metrics=metrics, extra_data=extra_data, inputs=inputs,
                            outputs=outputs, feature_vector=feature_vector, feature_weights=feature_weights,
                            key_prefix=key_prefix, labels=labels, store_object=store_object)

    def get_cached_artifact(self, key: str) -> Artifact:
        """An artifact this run logged, by key."""
        return self._logged[key]

    def update_artifact(self, artifact_object: Artifact) -> None:
        """Log an artifact this run logged again, with its changed labels, tag or spec."""
        self._log_object(artifact_object)

    def _log_object(self, item: Artifact, **given: Any) -> Artifact:
        from .artifact_objects import log_object

        return log_object(self, item, **given)

    def _artifact(self, event: Dict[str, Any], obj: Artifact) -> Artifact:
        from .artifacts import ModelArtifact

        if self._parent is not None:
            event = dict(event, iter=self._iteration)
        sent = self._channel.send('artifact', **event)
        obj.key = sent['key']
        obj.project = self.project
        obj.tree = self.uid
        obj.iter = self.iteration
        obj.tag = sent.get('tag')
        obj.labels = sent.get('labels') or {}
        obj.target_path = sent['path']
        obj.format = sent.get('format') or obj.format
        obj.spec.producer = {'kind': 'run', 'name': self.name, 'uri': f'{self.project}/{self.uid}'}
        obj.status.state = 'created'
        if os.path.isfile(sent['path']):
            obj.size = os.path.getsize(sent['path'])
        if isinstance(obj, ModelArtifact):
            obj.describe_from(sent.get('model'))
        obj._event = sent  # type: ignore[attr-defined]  # for update_model / update_artifact: logged again as it was
        self._logged[obj.key] = obj
        return obj


def _input_items(inputs: Dict[str, Any]) -> Dict[str, DataItem]:
    if not inputs:
        return {}
    from .data_item import DataItem

    return {key: DataItem(key, str(item.get('url') or item.get('path')), str(item['path']), item.get('meta') or {})
            for key, item in inputs.items()}


def _plain_format(fmt: Optional[str]) -> str:
    """An artifact's format as MLRun records it: the file's suffix (txt stays txt; datasets use normalize_format)."""
    return (fmt or '').lower().lstrip('.')


def _parent(path: str) -> None:
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)


def _extra_sources(extra_data: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """extra_data values that are logged artifact objects become their staged paths."""
    from .artifacts import Artifact

    if not extra_data:
        return extra_data
    return {k: (v.target_path if isinstance(v, Artifact) else v) for k, v in extra_data.items()}


def _project_params(project_dir: str) -> Dict[str, Any]:
    path = os.path.join(project_dir, 'lode.yaml')
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except OSError:
        return {}
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise MissingDependencyError('get_project_param reads params: from lode.yaml with PyYAML, which this interpreter '
                                     'lacks: pip install pyyaml (Debian: apt-get install python3-yaml)') from None
    doc = yaml.safe_load(text) or {}
    params = doc.get('params') if isinstance(doc, dict) else None
    return dict(params) if isinstance(params, dict) else {}


# the largest result a run keeps, as JSON (src/lib/sdk/protocol.ts)
MAX_RESULT_BYTES = 64 * 1024


def _human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f'{size / 1024:.1f} kB' if size < 10 * 1024 else f'{size / 1024:.0f} kB'
    return f'{size / 1024 / 1024:.1f} MB'


def _json_tree(value: Any) -> bool:
    return type(value) in (str, int, float, bool, type(None)) or (
        type(value) is list and all(_json_tree(v) for v in value)) or (
        type(value) is dict and all(type(k) is str and _json_tree(v) for k, v in value.items()))


def _deep_copy(value: Any) -> Any:
    """copy.deepcopy; what came as JSON (a run's params, every result) copied without importing copy, which the
    runner would import for every run."""
    if _json_tree(value):
        return _copy_tree(value)
    import copy

    return copy.deepcopy(value)


def _copy_tree(value: Any) -> Any:
    if type(value) is list:
        return [_copy_tree(v) for v in value]
    if type(value) is dict:
        return {k: _copy_tree(v) for k, v in value.items()}
    return value


def _check_key(key: Any) -> None:
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f'a key must be a non-empty string, got {key!r}')


Context = MLClientCtx
