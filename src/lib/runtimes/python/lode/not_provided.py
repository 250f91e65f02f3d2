"""MLRun's parts that lode does not provide: importing them works, using them raises the one error that says what
lode does not provide (lode.errors.not_provided). A module that lode or another part of it ships wins: these are
found only where no real module is."""
from __future__ import annotations

import importlib.machinery
import sys
import types

from .errors import not_provided

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Optional

#: module -> what lode does not provide
MODULES = {
    'feature_store': "MLRun's feature store (feature sets, feature vectors, ingestion)",
    'serving': "MLRun's serving graphs (V2ModelServer, routers, nuclio serving functions)",
    'runtimes': "MLRun's runtimes (nuclio, Kubernetes jobs, Dask, Spark, MPI)",
    'platforms': "Kubernetes resources (mount_v3io, auto_mount, volumes, node selection)",
    'k8s_utils': 'Kubernetes resources',
}

#: top-level name -> what lode does not provide
FUNCTIONS = {
    'code_to_function': 'MLRun function objects built for a cluster (code_to_function); run a file with lode run',
    'new_function': 'MLRun function objects built for a cluster (new_function); run a file with lode run',
    'import_function': 'MLRun function objects built for a cluster (import_function); use hub:// functions with lode run',
    'deploy_function': 'nuclio deployments (deploy_function)',
    'build_function': 'image builds for a cluster (build_function)',
    'get_run_db': "MLRun's run database server (get_run_db); lode's records are read with lode runs / lode artifacts",
    'mount_v3io': 'Kubernetes resources (mount_v3io)',
    'auto_mount': 'Kubernetes resources (auto_mount)',
}


class _Stub(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith('__'):
            raise AttributeError(name)
        raise not_provided(f'{self.__name__}.{name}', MODULES[self.__name__.rsplit('.', 1)[-1]])


class _Loader:  # a loader and a finder by their methods: importlib.abc would import tempfile on every run
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Stub(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__lode_not_provided__ = True  # type: ignore[attr-defined]


class _Finder:
    """Last on sys.meta_path: reached only for a lode.<name> that no file provides."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Optional[importlib.machinery.ModuleSpec]:
        package, _, name = fullname.rpartition('.')
        if package == __package__ and name in MODULES:
            return importlib.machinery.ModuleSpec(fullname, _Loader())
        return None


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())


def top_level(name: str) -> Any:
    """lode.<name> for a name lode's package does not define (module __getattr__)."""
    if name in FUNCTIONS:
        def stub(*args: Any, **kwargs: Any) -> Any:
            raise not_provided(f'lode.{name}', FUNCTIONS[name])

        stub.__name__ = name
        stub.__lode_not_provided__ = True  # type: ignore[attr-defined]
        return stub
    if name in MODULES:
        import importlib

        return importlib.import_module(f'{__package__}.{name}')
    raise AttributeError(f"module 'lode' has no attribute {name!r}")
