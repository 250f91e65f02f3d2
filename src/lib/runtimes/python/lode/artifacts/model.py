"""MLRun's ModelArtifact and update_model: a model directory (the model file and extra data) with its spec."""
from __future__ import annotations

from .base import Artifact

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, List, Optional


class ModelArtifact(Artifact):
    kind = 'model'
    lode_kind = 'model'
    _store_prefix = 'models'

    def __init__(self, key: Optional[str] = None, body: Any = None, format: Optional[str] = None,
                 model_file: Optional[str] = None, metrics: Optional[Dict[str, Any]] = None,
                 target_path: Optional[str] = None, parameters: Optional[Dict[str, Any]] = None, inputs: Any = None,
                 outputs: Any = None, framework: Optional[str] = None, algorithm: Optional[str] = None,
                 feature_vector: Optional[str] = None, feature_weights: Optional[List[Any]] = None,
                 extra_data: Optional[Dict[str, Any]] = None, model_target_file: Optional[str] = None,
                 model_dir: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(key, body, format=format, target_path=target_path, project=kwargs.pop('project', None),
                         src_path=kwargs.pop('src_path', None) or model_dir)
        if kwargs:
            raise TypeError(f'ModelArtifact() got unexpected keyword arguments: {", ".join(sorted(kwargs))}')
        spec = self.spec
        spec.model_file = model_file
        spec.metrics = dict(metrics or {})
        spec.parameters = dict(parameters or {})
        spec.inputs = inputs or []
        spec.outputs = outputs or []
        spec.framework = framework or ''
        spec.algorithm = algorithm or ''
        spec.feature_vector = feature_vector
        spec.feature_weights = feature_weights
        spec.extra_data = dict(extra_data or {})
        spec.model_target_file = model_target_file
        self.model_dir = model_dir

    @property
    def is_dir(self) -> bool:
        return True

    model_file = property(lambda self: self.spec.model_file, lambda self, v: setattr(self.spec, 'model_file', v))
    metrics = property(lambda self: self.spec.metrics, lambda self, v: setattr(self.spec, 'metrics', dict(v or {})))
    parameters = property(lambda self: self.spec.parameters, lambda self, v: setattr(self.spec, 'parameters', dict(v or {})))
    inputs = property(lambda self: self.spec.inputs, lambda self, v: setattr(self.spec, 'inputs', v or []))
    outputs = property(lambda self: self.spec.outputs, lambda self, v: setattr(self.spec, 'outputs', v or []))
    framework = property(lambda self: self.spec.framework)
    algorithm = property(lambda self: self.spec.algorithm)

    def infer_from_df(self, df: Any, label_columns: Any = None, with_stats: bool = True, num_bins: Optional[int] = None) -> None:
        """Model inputs and outputs from a training frame and its label column(s)."""
        from ..model_staging import describe_columns

        labels = [label_columns] if isinstance(label_columns, str) else list(label_columns or [])
        self.spec.inputs = describe_columns(df.drop(columns=labels) if labels else df) or []
        if labels:
            self.spec.outputs = describe_columns(df[labels]) or []

    def describe_from(self, model: Any) -> None:
        """Fill the spec from what lode recorded of the model (an input's meta)."""
        if isinstance(model, dict):
            self.spec.model_file = model.get('modelFile')
            self.spec.metrics = dict(model.get('metrics') or {})
            self.spec.parameters = dict(model.get('parameters') or {})
            self.spec.inputs = list(model.get('inputs') or [])
            self.spec.outputs = list(model.get('outputs') or [])
            self.spec.framework = model.get('framework') or ''
            self.spec.algorithm = model.get('algorithm') or ''
            self.spec.extra_data = {name: name for name in model.get('extraData') or []}


def update_model(model_artifact: Any, parameters: Optional[Dict[str, Any]] = None,
                 metrics: Optional[Dict[str, Any]] = None, extra_data: Optional[Dict[str, Any]] = None,
                 inputs: Any = None, outputs: Any = None, feature_vector: Optional[str] = None,
                 feature_weights: Optional[List[Any]] = None, key_prefix: str = '',
                 labels: Optional[Dict[str, str]] = None, write_spec_copy: bool = True,
                 store_object: bool = True) -> ModelArtifact:
    """Update a model's spec (metrics, parameters, extra data, inputs, outputs, labels), as MLRun's update_model.

    lode's versions never change: the run logs the model again (a model it logged itself is replaced in its record;
    a model it read as an input, a ModelArtifact or a DataItem of one, becomes a new version of the same key).
    With store_object=False only the returned object is updated."""
    from .. import get_or_create_ctx

    context = get_or_create_ctx()
    return context.update_model(model_artifact, parameters=parameters, metrics=metrics, extra_data=extra_data,
                                inputs=inputs, outputs=outputs, feature_vector=feature_vector,
                                feature_weights=feature_weights, key_prefix=key_prefix, labels=labels,
                                store_object=store_object)
