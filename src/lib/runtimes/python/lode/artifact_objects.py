"""log_artifact(item) with an Artifact object (PlotlyArtifact(key=..., figure=...), ModelArtifact(...), ...): logged by
the log_* call of its kind, and the same object returned, now carrying its address, as MLRun returns it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .artifacts import Artifact, DatasetArtifact, ModelArtifact

if TYPE_CHECKING:
    from .context import MLClientCtx


def log_object(context: 'MLClientCtx', item: Artifact, body: Any = None, local_path: Any = None,
               artifact_path: Any = None, tag: str = '', viewer: Any = None, target_path: str = '', upload: Any = None,
               labels: Any = None, format: Any = None, db_key: Any = None, **kwargs: Any) -> Artifact:
    if not item.key:
        raise ValueError(f'log_artifact: the {type(item).__name__} has no key (give key=...)')
    labels = labels if labels is not None else (dict(item.labels) or None)
    tag = tag or item.tag or ''
    event = getattr(item, '_event', None)
    if event is not None and context._logged.get(item.key) is item and body is None and local_path is None:
        # logged by this run already (update_artifact): sent again as it is now; the last one is kept
        again = {k: v for k, v in event.items() if k not in ('t', 'ts')}
        again.update(labels=labels, tag=tag or None)
        if isinstance(item, ModelArtifact) and isinstance(event.get('model'), dict):
            again['model'] = dict(event['model'], metrics=dict(item.metrics), parameters=dict(item.parameters))
        return context._artifact(again, item)
    common = dict(tag=tag, artifact_path=artifact_path, upload=upload, labels=labels, db_key=db_key, **kwargs)
    if isinstance(item, DatasetArtifact):
        logged: Artifact = context.log_dataset(
            item.key, df=body if body is not None else item.df, local_path=local_path or item.src_path,
            format=format or item.format or 'parquet', preview=item.spec.preview, stats=item.spec.stats,
            target_path=target_path or item.target_path or '', extra_data=item.extra_data or None,
            label_column=item.spec.label_column, **common)
    elif isinstance(item, ModelArtifact):
        spec = item.spec
        logged = context.log_model(
            item.key, body=body if body is not None else item.get_body(), model_file=spec.model_file,
            model_dir=local_path or item.model_dir, framework=spec.framework, algorithm=spec.algorithm,
            metrics=spec.metrics, parameters=spec.parameters, inputs=spec.inputs or None, outputs=spec.outputs or None,
            feature_vector=spec.feature_vector, feature_weights=spec.feature_weights,
            extra_data=spec.extra_data or None, **common)
    else:
        source = local_path or item.src_path
        content = body if body is not None else (None if source else item.get_body())
        logged = context.log_artifact(
            item.key, body=content, local_path=source, target_path=target_path or item.target_path or '',
            viewer=viewer or item.viewer, format=format or item.format, kind=item.lode_kind, **common)
    # the caller's object becomes the logged one (MLRun returns the item it was given)
    item.metadata = logged.metadata
    item.spec.__dict__.update({k: v for k, v in logged.spec.__dict__.items() if v is not None})
    item.status = logged.status
    item._event = logged._event  # type: ignore[attr-defined]
    context._logged[item.key] = item
    return item
