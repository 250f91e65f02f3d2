"""`lode.mlconf`: the parts of MLRun's `mlrun.mlconf` a handler reads, answered from the run (its project, its
artifact path); a setting lode has no counterpart for is an AttributeError that says which ones it has."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict


class _Section:
    def __init__(self, name: str, values: Dict[str, Any]) -> None:
        object.__setattr__(self, '_name', name)
        object.__setattr__(self, '_values', dict(values))

    def __getattr__(self, key: str) -> Any:
        values = object.__getattribute__(self, '_values')
        if key in values:
            value = values[key]
            return value() if callable(value) and not isinstance(value, _Section) else value
        name = object.__getattribute__(self, '_name')
        raise AttributeError(f'{name}.{key}: lode has no such setting (MLRun server settings do not apply to lode); '
                             f'it has: {", ".join(sorted(values))}')

    def __setattr__(self, key: str, value: Any) -> None:
        object.__getattribute__(self, '_values')[key] = value

    def to_dict(self) -> Dict[str, Any]:
        return {k: (v.to_dict() if isinstance(v, _Section) else getattr(self, k))
                for k, v in object.__getattribute__(self, '_values').items() if not k.startswith('is_')}


def _context() -> Any:
    from . import get_or_create_ctx

    return get_or_create_ctx()


mlconf = _Section('lode.mlconf', {
    'default_project': lambda: _context().project,
    'artifact_path': lambda: _context().artifact_path,
    'dbpath': '',
    'namespace': '',
    'log_level': 'INFO',
    'packagers': _Section('lode.mlconf.packagers', {'enabled': False}),
    'artifacts': _Section('lode.mlconf.artifacts', {'generate_target_path_from_artifact_hash': True}),
    'is_running_on_iguazio': lambda: (lambda: False),
})
config = mlconf
