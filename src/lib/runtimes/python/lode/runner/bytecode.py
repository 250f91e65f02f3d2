"""lode's own modules keep their compiled code in lode's cache (the runner's `--bytecode-cache DIR`), also the ones a run
loads only when it first uses them (the artifact classes when it logs one, DataItem): lode starts Python with
PYTHONDONTWRITEBYTECODE, and compiling them again at every such run costs it ~10 ms. The handler's own imports are
left as the user set them up."""
from __future__ import annotations

import os
import sys
from importlib.machinery import PathFinder, SourceFileLoader

_PACKAGE = __name__.partition('.')[0]


class _CachedLoader(SourceFileLoader):
    cache_dir = ''

    def get_code(self, fullname: str):  # type: ignore[no-untyped-def]
        # importlib finds compiled code through sys.pycache_prefix: set while this module's code is read or written
        saved = (sys.pycache_prefix, sys.dont_write_bytecode)
        sys.pycache_prefix, sys.dont_write_bytecode = self.cache_dir, False
        try:
            return super().get_code(fullname)
        finally:
            sys.pycache_prefix, sys.dont_write_bytecode = saved


class _LodeFinder:
    """First on sys.meta_path, for lode's modules alone (found where the path finder finds them)."""

    def __init__(self, cache_dir: str) -> None:
        self.cache_dir = cache_dir
        self.sdk_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep

    def find_spec(self, fullname: str, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname.partition('.')[0] != _PACKAGE:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is not None and type(spec.loader) is SourceFileLoader and (spec.origin or '').startswith(self.sdk_dir):
            loader = _CachedLoader(spec.loader.name, spec.loader.path)
            loader.cache_dir = self.cache_dir
            spec.loader = loader
        return spec


def keep_compiled_code_in(cache_dir: str) -> None:
    if not any(isinstance(f, _LodeFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LodeFinder(cache_dir))
