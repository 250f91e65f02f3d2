"""MLRun's `mlrun.datastore` module path: `from lode.datastore import DataItem`."""
from __future__ import annotations

from ..data_item import DataItem

__all__ = ['DataItem']
