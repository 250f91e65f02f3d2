"""MLRun's `mlrun.execution` module path: `from lode.execution import MLClientCtx`."""
from __future__ import annotations

from .context import MLClientCtx

__all__ = ['MLClientCtx']
