"""The artifact object of an input from lode's store, built from the record lode hands the handler."""
from __future__ import annotations

from typing import Any, Dict

from .base import Artifact, DirArtifact
from .dataset import DatasetArtifact
from .model import ModelArtifact
from .plots import PlotArtifact

_CLASSES = {'dataset': DatasetArtifact, 'model': ModelArtifact, 'plot': PlotArtifact, 'dir': DirArtifact}


def artifact_of_record(meta: Dict[str, Any], key: str, path: str) -> Artifact:
    """meta: {kind, format, uri, key, version, labels?, tags?, dataset?, model?}; it stays readable as obj['model']."""
    from ..uri_parts import parse_store_uri

    kind = str(meta.get('kind') or 'artifact')
    obj = _CLASSES.get(kind, Artifact)(str(meta.get('key') or key))
    parts = parse_store_uri(str(meta.get('uri') or ''))
    obj.project = parts.get('project')
    obj.tree = parts.get('tree')
    obj.iter = parts.get('iter') or 0
    obj.tag = parts.get('tag')
    obj.labels = meta.get('labels') or {}
    obj.target_path = path
    obj.format = meta.get('format') or None
    if isinstance(obj, ModelArtifact):
        obj.describe_from(meta.get('model'))
    if isinstance(obj, DatasetArtifact):
        obj.describe_from(meta.get('dataset'))
    obj._raw = meta
    return obj
