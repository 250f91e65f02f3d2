"""A lode project from Python, by MLRun's names: get_or_create_project, project.run_function, set/get_function."""
from __future__ import annotations

import os
import sys
from typing import Any, Dict, Optional

from . import cli

_current: Optional['LodeProject'] = None


class LodeFunction:
    """A function to run: its source (a file, FILE#HANDLER, hub://NAME, a lode.yaml name), handler and kind."""

    def __init__(self, name: str, source: str, handler: Optional[str] = None, kind: str = '',
                 python: Optional[str] = None, project: Optional['LodeProject'] = None) -> None:
        self.name = name
        self.source = source
        self.handler = handler
        self.kind = kind
        self.python = python
        self._project = project

    def __repr__(self) -> str:
        return f'LodeFunction(name={self.name!r}, source={self.source!r}, handler={self.handler!r})'

    def run(self, handler: Optional[str] = None, **kwargs: Any) -> Any:
        """Run it (MLRun's function.run): the arguments of run_function."""
        from .run_api import run_function

        return run_function(self, handler=handler, project=self._project, **kwargs)


class _Metadata:
    def __init__(self, name: str) -> None:
        self.name = name


class LodeProject:
    """A project folder (lode.yaml and its store .lode/); `name`, `context`, run_function, set_function, get_function."""

    def __init__(self, name: str, context: str) -> None:
        self.name = name
        self.context = context
        self.metadata = _Metadata(name)
        self._functions: Dict[str, LodeFunction] = {}

    def __repr__(self) -> str:
        return f'LodeProject(name={self.name!r}, context={self.context!r})'

    def run_function(self, function: Any, **kwargs: Any) -> Any:
        """run_function in this project: the same arguments, the run recorded in this project's store."""
        from .run_api import run_function

        return run_function(function, project=self, **kwargs)

    def set_function(self, func: Any = None, name: str = '', kind: str = '', image: Optional[str] = None,
                     handler: Optional[str] = None, with_repo: Optional[bool] = None, tag: str = '',
                     requirements: Any = None, python: Optional[str] = None, **kwargs: Any) -> LodeFunction:
        """Name a function of this project for later runs (kept for this Python process; lode.yaml is not changed)."""
        if isinstance(func, LodeFunction):
            source = func.source
            handler = handler or func.handler
        elif isinstance(func, (str, os.PathLike)):
            source = os.fspath(func)
        else:
            raise TypeError(f'set_function: func must be a file, "FILE#HANDLER" or "hub://NAME", not {type(func).__name__}')
        if '#' in source and not source.startswith('hub://'):
            source, _, handler_in_ref = source.partition('#')
            handler = handler or handler_in_ref
        # a file named relative to the project folder, as MLRun reads it
        if '://' not in source and not os.path.isabs(source) and os.path.exists(os.path.join(self.context, source)):
            source = os.path.normpath(os.path.join(self.context, source))
        key = name or _default_name(source)
        fn = LodeFunction(key, source, handler, kind, python, self)
        self._functions[key] = fn
        return fn

    def get_function(self, key: str, **kwargs: Any) -> LodeFunction:
        """A function set with set_function, else one lode resolves by that name (lode.yaml, a file, hub://)."""
        return self._functions.get(key) or LodeFunction(key, key, project=self)

    def get_artifact_uri(self, key: str, category: str = 'artifact', tag: Optional[str] = None, iter: Optional[int] = None) -> str:
        """The store:// address of an artifact of this project (category: artifact, dataset, model)."""
        uri = f'store://{category}s/{self.name}/{key}'
        if iter is not None:
            uri += f'#{iter}'
        return uri + (f':{tag}' if tag else '')

    def get_artifact(self, key: str) -> Any:
        """The artifact (a store:// URI, KEY, KEY:TAG...) as a DataItem, its bytes checked and copied locally."""
        from .run_object import fetch_artifact

        return fetch_artifact(key, self.context)

    def save(self, *args: Any, **kwargs: Any) -> 'LodeProject':
        """Nothing to save: lode.yaml is the project's file, and every run is recorded as it ends."""
        return self


def get_or_create_project(name: str, context: str = './', url: Any = None, secrets: Any = None, init_git: bool = False,
                          subpath: Any = None, clone: bool = False, user_project: bool = False, from_template: Any = None,
                          save: bool = True, parameters: Any = None, **kwargs: Any) -> LodeProject:
    """The lode project in the folder `context` (its lode.yaml), created there (lode init) when there is none.

    It becomes the current project: run_function runs there unless given another."""
    global _current
    folder = os.path.abspath(os.fspath(context or './'))
    config = os.path.join(folder, 'lode.yaml')
    if not os.path.isfile(config):
        cli.data_of(cli.call_json(['init', folder, '--name', name]))
    found = cli.project_name_of(config) or name
    if found != name:
        sys.stderr.write(f'[lode] the project in {folder} is named {found!r}, not {name!r}: using it as it is '
                         f'(its runs and artifacts are under {found!r})\n')
    _current = LodeProject(found, folder)
    return _current


def current_project() -> Optional[LodeProject]:
    """The project get_or_create_project returned last, if any."""
    return _current


def _default_name(source: str) -> str:
    if source.startswith('hub://'):
        return source[len('hub://'):].split(':')[0]
    return os.path.splitext(os.path.basename(source))[0] or source


MlrunProject = LodeProject  # MLRun's name
