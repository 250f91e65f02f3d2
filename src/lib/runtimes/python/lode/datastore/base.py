"""MLRun's `mlrun.datastore.base` module path: `from lode.datastore.base import DataItem`."""
from __future__ import annotations

from ..data_item import DataItem

__all__ = ['DataItem']
