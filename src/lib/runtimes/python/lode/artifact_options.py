"""MLRun's log_* keywords about where and how an artifact is kept (artifact_path, target_path, db_key, viewer,
upload), mapped to what lode does: each one does what MLRun does with it, or raises saying why lode cannot."""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Callable, Optional

def _has_scheme(path: str) -> bool:
    """A URL (s3://, https://...), not a local path."""
    import re  # only for an artifact_path or target_path given: re (with enum) costs a run ~8 ms to import

    return re.match(r'^[A-Za-z][A-Za-z0-9+.-]*://', path) is not None


# viewers that show a chart or a page: lode records such an artifact as a plot
PLOT_VIEWERS = ('chart', 'plotly', 'web-app', 'html')


def staging_folder(staging_dir: str, artifact_path: Any, where: str) -> str:
    """The folder to stage the artifact in: the run's artifact path, or a folder under it (as
    context.artifact_subpath(...) gives). lode keeps bytes in its own store, so any other place is refused."""
    if artifact_path is None or artifact_path == '':
        return staging_dir
    path = os.fspath(artifact_path)
    if path.startswith('file://'):
        path = path[len('file://'):]
    if _has_scheme(path):
        raise ValueError(f'{where}: artifact_path={artifact_path!r}: lode keeps artifacts in the project\'s store, not in '
                         'remote storage; leave artifact_path out, or use context.artifact_subpath(...)')
    full = os.path.abspath(path if os.path.isabs(path) else os.path.join(staging_dir, path))
    if full != staging_dir and not full.startswith(staging_dir + os.sep):
        raise ValueError(f'{where}: artifact_path={artifact_path!r} is outside the run\'s artifact path '
                         f'({staging_dir}); lode keeps artifacts in the project\'s store: leave artifact_path out, or '
                         'use context.artifact_subpath(...)')
    return full


def local_target(target_path: Any, where: str) -> Optional[str]:
    """target_path as an absolute local path (the artifact's file is written there, then stored), or None."""
    if target_path is None or target_path == '':
        return None
    path = os.fspath(target_path)
    if path.startswith('file://'):
        path = path[len('file://'):]
    if _has_scheme(path):
        raise ValueError(f'{where}: target_path={target_path!r}: lode writes artifacts to local paths only (it keeps '
                         'them in the project\'s store); give a local path or leave target_path out')
    return os.path.abspath(path)


def stored_key(key: str, db_key: Any, where: str) -> str:
    """MLRun's db_key: the key the artifact is recorded under (default: its key)."""
    if db_key is None or db_key is True or db_key == '':
        return key
    if db_key is False:
        raise ValueError(f'{where}: db_key=False (log without a record) is not something lode does: every artifact a '
                         'run logs is recorded; write the file without logging it instead')
    if not isinstance(db_key, str):
        raise TypeError(f'{where}: db_key must be a string, not {type(db_key).__name__}')
    return db_key


def kind_for_viewer(viewer: Any, kind: str) -> str:
    if viewer is not None and not isinstance(viewer, str):
        raise TypeError(f'viewer must be a string, not {type(viewer).__name__}')
    return 'plot' if kind == 'artifact' and viewer in PLOT_VIEWERS else kind


def note_upload(upload: Any, where: str, warn: Callable[[str], None]) -> None:
    """upload=False asks MLRun to leave the file where it is; lode stores every artifact, and says so."""
    if upload is False:
        warn(f'{where}: upload=False has no effect under lode: every logged artifact is stored in the project\'s store')


def no_extra_keywords(kwargs: dict, where: str) -> None:
    if kwargs:
        raise TypeError(f'{where} got unexpected keyword argument{"s" if len(kwargs) > 1 else ""} '
                        f'{", ".join(map(repr, sorted(kwargs)))}')
