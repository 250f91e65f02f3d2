"""The event channel: JSON lines written to the pipe lode gives the handler (LODE_EVENT_FD)."""
from __future__ import annotations

import os
import select
import stat
import sys
import time
# threading.Lock and weakref.ref themselves: the threading and weakref modules cost every run's start-up ~1.5 ms
from _thread import allocate_lock as _new_lock

try:
    from _weakref import ref as _weak_ref
except ImportError:  # pragma: no cover - another Python
    from weakref import ref as _weak_ref

from .jsonvalue import to_json_value
from .wire_json import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional


def now_ms() -> int:
    return int(time.time() * 1000)


# A line up to this many bytes goes in one write, which the pipe never interleaves with another writer's.
PIPE_BUF = min(getattr(select, 'PIPE_BUF', 4096), 4096)
# The pipe's identity, passed down to the handler's subprocesses so they can tell it from another file on fd 3.
_PIPE_ENV = 'LODE_EVENT_PIPE'


def _pipe_identity(fd: int) -> Optional[str]:
    """dev:inode of fd when it is a pipe or a socket; None for anything else (a file, a closed fd)."""
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
        return f'{st.st_dev}:{st.st_ino}'
    return None


def _renew_lock(channel: Optional['EventChannel']) -> None:
    if channel is not None:
        channel._lock = _new_lock()


class EventChannel:
    """Writes one event a line, each line in one os.write of at most PIPE_BUF bytes, so lines from threads and
    processes never tear. A larger event goes into a file of the run's event folder (LODE_EVENT_DIR), which the line
    names; without lode's pipe (closed, replaced by another file, not inherited) events go into that folder alone.

    Outside lode (no pipe, no folder) logs and results are printed to stderr instead.
    """

    def __init__(self, fd: Optional[int], event_dir: Optional[str] = None) -> None:
        self.fd = fd
        self.event_dir = event_dir or None
        self._lock = _new_lock()
        # a thread may hold the lock when another forks (multiprocessing): the child, which has no such thread, gets
        # a fresh lock, or its first event would wait forever
        if hasattr(os, 'register_at_fork'):
            channel = _weak_ref(self)
            os.register_at_fork(after_in_child=lambda: _renew_lock(channel()))
        self._broken = False
        self._noticed = False
        self._counter = 0
        identity = _pipe_identity(fd) if fd is not None else None
        inherited = os.environ.get(_PIPE_ENV)
        self._pipe = identity if identity is not None and (not inherited or inherited == identity) else None
        if self._pipe:
            os.environ[_PIPE_ENV] = self._pipe

    @classmethod
    def from_env(cls) -> 'EventChannel':
        raw = os.environ.get('LODE_EVENT_FD', '').strip()
        event_dir = os.environ.get('LODE_EVENT_DIR') or None
        try:
            fd = int(raw) if raw else None
        except ValueError:
            fd = None
        if fd is not None and _pipe_identity(fd) is None and not event_dir:
            print(f'lode: LODE_EVENT_FD={raw!r} is not an open pipe; events go to stderr', file=sys.stderr)
            fd = None
        return cls(fd, event_dir)

    @property
    def connected(self) -> bool:
        return (self._pipe is not None or self.event_dir is not None) and not self._broken

    def _pipe_open(self) -> bool:
        """Still lode's pipe: not closed, and not replaced by a file the handler opened on the same number."""
        return self._pipe is not None and self.fd is not None and _pipe_identity(self.fd) == self._pipe

    def send(self, t: str, **fields: Any) -> Dict[str, Any]:
        event: Dict[str, Any] = {'t': t, 'ts': now_ms()}
        # optional fields left as None are left out; a result's value may be null
        event.update({k: v for k, v in fields.items() if v is not None or k == 'value'})
        event = to_json_value(event)
        if not self.connected:
            self._print(event)
            return event
        # text holding lone surrogates (a file name os.listdir decoded, bytes read with surrogateescape) is sent as
        # the invalid UTF-8 it stands for, which lode shows replaced, as it shows such bytes in output, not refused
        data = (dumps(event) + '\n').encode('utf-8', 'surrogatepass')
        with self._lock:
            is_open = self._pipe_open()
            if is_open and (len(data) <= PIPE_BUF or not self.event_dir):
                self._write(data)
            elif not self.event_dir:
                self._notice(f'lode: the run\'s event pipe (fd {self.fd}) is closed or no longer lode\'s; a "{t}" event was lost')
            else:
                name = self._write_file(data)
                if is_open:
                    self._write((dumps({'t': 'ref', 'file': name}, ensure_ascii=True) + '\n').encode('utf-8'))
                else:
                    self._notice(f'lode: the run\'s event pipe (fd {self.fd}) is closed or no longer lode\'s; events go '
                                 f'through {self.event_dir} and lode reads them when the handler ends')
        return event

    def _write(self, data: bytes) -> None:
        try:
            view = memoryview(data)
            while view:
                written = os.write(self.fd, view)  # type: ignore[arg-type]
                view = view[written:]
        except BrokenPipeError:
            # lode is gone (aborted); the handler's own output still says what happened
            self._broken = True

    def _write_file(self, data: bytes) -> str:
        self._counter += 1
        name = f'{now_ms()}-{os.getpid()}-{self._counter:08d}-{os.urandom(4).hex()}.json'
        tmp = os.path.join(self.event_dir, f'.{name}.tmp')  # type: ignore[arg-type]
        with open(tmp, 'wb') as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.event_dir, name))  # type: ignore[arg-type]
        return name

    def _notice(self, message: str) -> None:
        if not self._noticed:
            self._noticed = True
            print(message, file=sys.stderr, flush=True)

    @staticmethod
    def _print(event: Dict[str, Any]) -> None:
        import json  # only outside lode

        t = event['t']
        if t == 'log':
            fields = ' '.join(f'{k}={json.dumps(v)}' for k, v in (event.get('fields') or {}).items())
            line = f"[{event['level']}] {event['msg']}" + (f' {fields}' if fields else '')
        elif t in ('result', 'label'):
            line = f"[{t}] {event['key']} = {json.dumps(event['value'])}"
        elif t == 'progress':
            line = f"[progress] {round(event['fraction'] * 100)}%" + (f" {event['message']}" if event.get('message') else '')
        elif t == 'artifact':
            line = f"[{event['kind']}] {event['key']} -> {event['path']}"
        else:
            line = f"[{t}] {event.get('message', '')}"
        print(line, file=sys.stderr, flush=True)
