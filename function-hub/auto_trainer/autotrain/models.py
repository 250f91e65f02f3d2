"""The model artifact: a pickle in a model directory, with its spec (lode's model metadata) beside it."""
from __future__ import annotations

import os
import pickle
from typing import Any, Dict, List, Optional, Tuple

from .errors import AutoTrainerError


def load_model(item: Any) -> Tuple[Any, Dict[str, Any]]:
    """The estimator an input holds (a model artifact logged by train, or a .pkl file) and its spec."""
    if item is None:
        raise AutoTrainerError('input model is required: -i model=store://models/<project>/model (logged by train)')
    spec = item.meta.get('model') if isinstance(item.meta.get('model'), dict) else {}
    path = item.local()
    if os.path.isdir(path):
        path = os.path.join(path, _model_file(path, spec))
    if spec.get('framework') == 'lode-ml' or path.endswith('.json'):
        raise AutoTrainerError(f'input model {item.url} was trained by hub://auto_trainer_ts (a TypeScript model, not a pickle): '
                               'evaluate it and predict with hub://auto_trainer_ts')
    # A pickle runs code as it loads: only models from this project's store or the user's own files come here.
    with open(path, 'rb') as f:
        try:
            model = pickle.load(f)
        except ModuleNotFoundError as err:
            raise AutoTrainerError(f'input model {item.url} needs {err.name}, which this Python cannot import: '
                                   'install it, or run with the Python it was trained with (--python, LODE_PYTHON)') from None
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError) as err:
            raise AutoTrainerError(f'input model {item.url}: {os.path.basename(path)} is not a model pickle ({err})') from None
    if not callable(getattr(model, 'predict', None)):
        raise AutoTrainerError(f'input model {item.url} holds a {type(model).__name__}, which has no predict method')
    return model, spec


def feature_names(model: Any, spec: Dict[str, Any]) -> Optional[List[str]]:
    """The columns the model was fitted on: its feature_names_in_, else the spec's inputs."""
    names = getattr(model, 'feature_names_in_', None)
    if names is not None:
        return [str(n) for n in names]
    inputs = spec.get('inputs')
    return [str(c['name']) for c in inputs] if isinstance(inputs, list) and inputs else None


def label_names(spec: Dict[str, Any]) -> List[str]:
    outputs = spec.get('outputs')
    return [str(c['name']) for c in outputs] if isinstance(outputs, list) else []


def _model_file(folder: str, spec: Dict[str, Any]) -> str:
    named = spec.get('modelFile')
    if isinstance(named, str) and os.path.isfile(os.path.join(folder, named)):
        return named
    pickles = sorted(n for n in os.listdir(folder) if n.endswith(('.pkl', '.pickle')))
    if len(pickles) == 1:
        return pickles[0]
    raise AutoTrainerError(f'input model {folder}: no model file named in its spec, and {len(pickles)} pickles in it')
