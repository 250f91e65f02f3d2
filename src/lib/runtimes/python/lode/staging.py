"""The run's staging directory: files the handler logs are written here, each under a name no other takes."""
from __future__ import annotations

import os

from .keys import NAME_CHARS

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Union


def safe_name(name: str) -> str:
    """A file name made from an artifact key: path separators and odd characters become '_'; the stem is cut to
    fit a file system's 255-byte names (a key may be 255 characters, and the extension and '-N' come on top)."""
    cleaned = ''.join(_name_parts(name)).strip('.')
    base, ext = os.path.splitext(cleaned)
    if len(ext) > 16:
        base, ext = cleaned, ''
    return (base[:200] + ext) or 'artifact'


def _name_parts(name: str):
    """re.sub(r'[^A-Za-z0-9._-]+', '_', name) in parts, without re (~8 ms to import in a run)."""
    odd = False
    for c in name:
        if c in NAME_CHARS:
            odd = False
            yield c
        elif not odd:
            odd = True
            yield '_'


class Staging:
    def __init__(self, directory: str) -> None:
        self.dir = os.path.abspath(directory)

    def _candidates(self, name: str):
        base, ext = os.path.splitext(safe_name(name))
        yield os.path.join(self.dir, base + ext)
        n = 2
        while True:
            yield os.path.join(self.dir, f'{base}-{n}{ext}')
            n += 1

    def reserve_file(self, name: str) -> str:
        """An absolute path, created empty, that no earlier call returned (a key logged twice keeps both)."""
        os.makedirs(self.dir, exist_ok=True)
        for path in self._candidates(name):
            try:
                with open(path, 'xb'):
                    return path
            except FileExistsError:
                continue
        raise AssertionError('unreachable')

    def reserve_dir(self, name: str) -> str:
        os.makedirs(self.dir, exist_ok=True)
        for path in self._candidates(name):
            try:
                os.mkdir(path)
                return path
            except FileExistsError:
                continue
        raise AssertionError('unreachable')

    def write(self, name: str, body: Union[bytes, bytearray, memoryview, str]) -> str:
        path = self.reserve_file(name)
        write_body(path, body)
        return path


def write_body(path: str, body: Union[bytes, bytearray, memoryview, str]) -> None:
    if isinstance(body, str):
        with open(path, 'w', encoding='utf-8') as f:
            f.write(body)
    else:
        with open(path, 'wb') as f:
            f.write(body)


def copy_into(src: str, dest: str) -> None:
    """Copy a file or a directory tree to dest."""
    import shutil
    if os.path.isdir(src):
        shutil.copytree(src, dest, dirs_exist_ok=True)
    else:
        shutil.copyfile(src, dest)
