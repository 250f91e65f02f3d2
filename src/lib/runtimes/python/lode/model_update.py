"""update_model: a model's spec changed, and the model logged again by the run (lode's versions never change)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .artifacts import Artifact, ModelArtifact
from .data_item import DataItem
from .keys import checked_labels
from .model_staging import describe_columns, stage_extra_data

if TYPE_CHECKING:
    from .context import MLClientCtx


def update_model(context: 'MLClientCtx', model: Any, parameters: Optional[Dict[str, Any]] = None,
                 metrics: Optional[Dict[str, Any]] = None, extra_data: Optional[Dict[str, Any]] = None,
                 inputs: Any = None, outputs: Any = None, feature_vector: Optional[str] = None,
                 feature_weights: Optional[List[Any]] = None, key_prefix: str = '',
                 labels: Optional[Dict[str, str]] = None, store_object: bool = True) -> ModelArtifact:
    event = getattr(model, '_event', None) if isinstance(model, ModelArtifact) else None
    if event is None or context._logged.get(model.key) is not model:
        model = _log_copy(context, model)
        event = model._event  # type: ignore[attr-defined]
    spec = dict(event['model'])
    if parameters:
        spec['parameters'] = dict(spec.get('parameters') or {}, **parameters)
    if metrics:
        spec['metrics'] = dict(spec.get('metrics') or {}, **{key_prefix + k: v for k, v in metrics.items()})
    if inputs is not None:
        spec['inputs'] = describe_columns(inputs)
    if outputs is not None:
        spec['outputs'] = describe_columns(outputs)
    if feature_vector:
        spec['featureVector'] = feature_vector
    if feature_weights is not None:
        spec['featureWeights'] = list(feature_weights)
    if extra_data:
        sources = {k: (v.target_path if isinstance(v, Artifact) else v) for k, v in extra_data.items()}
        added = stage_extra_data(model.key, event['path'], sources, spec.get('modelFile'))
        spec['extraData'] = list(spec.get('extraData') or []) + [n for n in added if n not in (spec.get('extraData') or [])]
    new_labels = dict(event.get('labels') or {}, **(checked_labels(labels) or {}))
    updated = dict(event, model=spec, labels=new_labels or None)
    updated = {k: v for k, v in updated.items() if k not in ('t', 'ts')}
    if not store_object:
        model.describe_from(spec)
        model.labels = new_labels
        return model
    return context._artifact(updated, model)  # type: ignore[return-value]


def _log_copy(context: 'MLClientCtx', model: Any) -> ModelArtifact:
    """A model read as an input (a DataItem, its .meta, or a store:// address) logged by this run as a new version."""
    if isinstance(model, str):
        model = context.get_dataitem(model)
    if isinstance(model, ModelArtifact) and model.target_path:
        model = model.to_dataitem()
    if not isinstance(model, DataItem) or model.kind != 'file' or not isinstance(model.meta, ModelArtifact):
        raise ValueError('update_model: give a model this run logged, a model input (DataItem), or a store:// address '
                         'of a model')
    spec: ModelArtifact = model.meta
    return context.log_model(spec.key or model.key, model_dir=model.local(), model_file=spec.model_file,
                             framework=spec.framework, algorithm=spec.algorithm, metrics=spec.metrics,
                             parameters=spec.parameters, inputs=spec.inputs or None, outputs=spec.outputs or None,
                             labels=model.meta.labels or None)
