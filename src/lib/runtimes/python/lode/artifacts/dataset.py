"""MLRun's DatasetArtifact: a data frame logged as a dataset (lode computes the schema, statistics and preview)."""
from __future__ import annotations

from .base import Artifact

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Optional


class DatasetArtifact(Artifact):
    kind = 'dataset'
    lode_kind = 'dataset'
    _store_prefix = 'datasets'

    def __init__(self, key: Optional[str] = None, df: Any = None, preview: Optional[int] = None, format: str = '',
                 stats: Optional[bool] = None, target_path: Optional[str] = None, extra_data: Any = None,
                 column_metadata: Any = None, ignore_preview_limits: bool = False, label_column: Optional[str] = None,
                 **kwargs: Any) -> None:
        super().__init__(key, None, format=format or None, target_path=target_path,
                         project=kwargs.pop('project', None), src_path=kwargs.pop('src_path', None))
        if kwargs:
            raise TypeError(f'DatasetArtifact() got unexpected keyword arguments: {", ".join(sorted(kwargs))}')
        self._df = df
        self.spec.preview = preview
        self.spec.stats = stats
        self.spec.extra_data = extra_data or {}
        self.spec.column_metadata = column_metadata or {}
        self.spec.label_column = label_column
        self.spec.schema = None
        self.spec.header = None
        self.spec.length = None

    @property
    def df(self) -> Any:
        return self._df

    def get_body(self) -> Any:
        return self._df

    header = property(lambda self: self.spec.header)
    schema = property(lambda self: self.spec.schema)
    stats = property(lambda self: self.spec.stats)
    preview = property(lambda self: self.spec.preview)
    label_column = property(lambda self: self.spec.label_column)

    def describe_from(self, dataset: Any) -> None:
        """Fill schema, header and length from what lode recorded of the dataset (an input's meta)."""
        if isinstance(dataset, dict):
            schema = dataset.get('schema')
            if isinstance(schema, list):
                self.spec.schema = {'fields': [{'name': c.get('name'), 'type': c.get('dtype')} for c in schema if isinstance(c, dict)]}
                self.spec.header = [c.get('name') for c in schema if isinstance(c, dict)]
            self.spec.length = dataset.get('rows')


TableArtifact = DatasetArtifact
