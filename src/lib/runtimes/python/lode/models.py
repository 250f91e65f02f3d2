"""get_model, as MLRun's: a model's file, its spec and its extra data, from an input, a store address or a folder."""
from __future__ import annotations

import os
import sys

from .data_item import DataItem

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional, Tuple

MODEL_SPEC_FILE = 'model.yaml'


class _Metadata:
    def __init__(self, key: str, uri: str, version: Any) -> None:
        self.key = key
        self.uri = uri
        self.version = version


class ModelSpec:
    """What lode recorded of a model (MLRun's ModelArtifact by its names): framework, algorithm, model_file, metrics,
    parameters, inputs, outputs (feature and label columns), extra_data (names); `spec` is itself, as in MLRun."""

    kind = 'model'

    def __init__(self, model: Dict[str, Any], key: str = '', uri: str = '', version: Any = None) -> None:
        self.key = key
        self.uri = uri
        self.framework: str = model.get('framework') or ''
        self.algorithm: str = model.get('algorithm') or ''
        self.model_file: Optional[str] = model.get('modelFile', model.get('model_file'))
        self.metrics: Dict[str, Any] = dict(model.get('metrics') or {})
        self.parameters: Dict[str, Any] = dict(model.get('parameters') or {})
        self.inputs: List[Dict[str, str]] = list(model.get('inputs') or [])
        self.outputs: List[Dict[str, str]] = list(model.get('outputs') or [])
        extra = model.get('extraData', model.get('extra_data')) or []
        self.extra_data: List[str] = list(extra)  # names (MLRun's is a dict by name)
        self.metadata = _Metadata(key, uri, version)
        self.spec = self

    def __repr__(self) -> str:
        return f'ModelSpec(key={self.key!r}, framework={self.framework!r}, algorithm={self.algorithm!r}, model_file={self.model_file!r})'

    def to_dict(self) -> Dict[str, Any]:
        return {'kind': 'model', 'key': self.key, 'uri': self.uri, 'framework': self.framework, 'algorithm': self.algorithm,
                'model_file': self.model_file, 'metrics': self.metrics, 'parameters': self.parameters,
                'inputs': self.inputs, 'outputs': self.outputs, 'extra_data': self.extra_data}


def get_model(model_dir: Any, suffix: str = '') -> Tuple[str, Optional[ModelSpec], Dict[str, DataItem]]:
    """(model file path, model spec, {extra data name: DataItem}) of a model.

    model_dir: a DataItem (a handler's model input), an input's key or address inside a handler, a store:// URI or
    KEY[:TAG] of a model artifact (its bytes checked and copied locally), or a local model folder or file. For a
    folder without lode's spec, the model file is its first file ending in `suffix`, and the spec is None.
    """
    if isinstance(model_dir, DataItem):
        return _from_item(model_dir, suffix)
    ref = os.fspath(model_dir)
    item = _run_input(ref)
    if item is not None:
        return _from_item(item, suffix)
    if os.path.exists(ref):
        return _from_local(ref, suffix)
    from .project import current_project
    from .run_object import fetch_artifact

    project = current_project()
    return _from_item(fetch_artifact(ref, project.context if project else None), suffix)


def _run_input(ref: str) -> Optional[DataItem]:
    """Inside a handler: the run's input given by that key, or by that address."""
    context = getattr(sys.modules.get(__package__ or 'lode'), '_current', None)
    inputs: Dict[str, DataItem] = getattr(context, 'inputs', None) or {}
    if ref in inputs:
        return inputs[ref]
    return next((i for i in inputs.values() if ref in (i.url, i.meta.get('uri'))), None)


def _from_item(item: DataItem, suffix: str) -> Tuple[str, Optional[ModelSpec], Dict[str, DataItem]]:
    model = item.meta.get('model')
    kind = item.meta.get('kind')
    if kind and kind not in ('model', 'dir', 'artifact', 'file'):
        raise ValueError(f'get_model: {item.meta.get("uri") or item.url} is a {kind}, not a model; give a model '
                         '(store://models/PROJECT/KEY) or a folder holding one')
    if not isinstance(model, dict):
        return _from_local(item.local(), suffix)
    uri = str(item.meta.get('uri') or item.url)
    spec = ModelSpec(model, str(item.meta.get('key') or item.key), uri, item.meta.get('version'))
    folder = item.local()
    if not spec.model_file:
        raise ValueError(f'get_model: the model {uri} has no model file recorded; log it with model_file= or body=')
    extra = {name: DataItem(name, f'{uri}/{name}', os.path.join(folder, name)) for name in spec.extra_data}
    return os.path.join(folder, spec.model_file), spec, extra


def _from_local(path: str, suffix: str) -> Tuple[str, Optional[ModelSpec], Dict[str, DataItem]]:
    if not os.path.isdir(path):
        return os.path.abspath(path), None, {}
    names = sorted(n for n in os.listdir(path) if os.path.isfile(os.path.join(path, n)))
    spec = _read_spec(os.path.join(path, MODEL_SPEC_FILE)) if MODEL_SPEC_FILE in names else None
    if spec is not None and spec.model_file:
        extra = {n: DataItem(n, os.path.join(path, n), os.path.join(path, n)) for n in spec.extra_data}
        return os.path.join(os.path.abspath(path), spec.model_file), spec, extra
    extra = {n: DataItem(n, os.path.join(path, n), os.path.join(path, n)) for n in names if n != MODEL_SPEC_FILE}
    found = next((n for n in extra if n.endswith(suffix)), None) if extra else None
    if found is None:
        raise FileNotFoundError(f'get_model: no model file{f" ending in {suffix!r}" if suffix else ""} in {path}')
    return os.path.join(os.path.abspath(path), found), None, extra


def _read_spec(path: str) -> Optional[ModelSpec]:
    """model.yaml, when PyYAML is there to read it."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return None
    with open(path, encoding='utf-8') as f:
        doc = yaml.safe_load(f) or {}
    return ModelSpec(doc, str(doc.get('key') or '')) if isinstance(doc, dict) else None
