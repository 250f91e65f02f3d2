"""MLRun's `mlrun.artifacts` module path: the artifact classes, `update_model` and `get_model`.

    from lode.artifacts import ModelArtifact, PlotlyArtifact, get_model, update_model
"""
from __future__ import annotations

import importlib.util

from .base import Artifact, ArtifactMetadata, ArtifactSpec, ArtifactStatus, DirArtifact
from .dataset import DatasetArtifact, TableArtifact
from .model import ModelArtifact, update_model
from .plots import PlotArtifact, PlotlyArtifact

__all__ = ['Artifact', 'ArtifactMetadata', 'ArtifactSpec', 'ArtifactStatus', 'DatasetArtifact', 'DirArtifact',
           'ModelArtifact', 'PlotArtifact', 'PlotlyArtifact', 'TableArtifact', 'update_model']

# get_model lives in lode.models; exported here too where that module exists (errors inside it are not hidden)
if importlib.util.find_spec(__package__.rsplit('.', 1)[0] + '.models') is not None:
    from ..models import get_model  # noqa: F401

    __all__.append('get_model')
