"""The lode command, called from Python: the Python API runs and reads through the same CLI as a user, so its runs
go through the same executor into the same store and records."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from typing import Any, Dict, List, Optional, Sequence

# this package's folder (the one `lode python-path` prints); the CLI is bin/run.js of the same lode package
SDK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BIN_JS = os.path.normpath(os.path.join(SDK_DIR, '..', '..', '..', '..', 'bin', 'run.js'))

# what a run's lode gives its handler process: the steps it starts are runs of their own, not part of it
_RUN_ENV = ('LODE_RUN_SPEC', 'LODE_EVENT_FD', 'LODE_EVENT_PIPE', 'LODE_OUTPUT_DIR', 'LODE_EVENT_DIR', 'LODE_RUNNER_PRESTART')


class LodeCommandError(RuntimeError):
    """A lode command refused what it was given (exit 2 bad input, 3 no project, 4 not found...): its message and hint."""

    def __init__(self, message: str, hint: str = '', exit_code: int = 1, code: str = '') -> None:
        super().__init__(f'{message} {hint}'.strip() if hint else message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code
        self.code = code


def lode_command() -> List[str]:
    """How to start lode: `node bin/run.js` of the package this folder belongs to (LODE_NODE names the node), else
    `lode` on PATH."""
    if os.path.isfile(_BIN_JS):
        node = os.environ.get('LODE_NODE') or shutil.which('node')
        if not node:
            raise LodeCommandError('Cannot find node to run lode with (lode needs Node.js >= 22.18).',
                                   'Put node on PATH, or set LODE_NODE=/path/to/node.')
        return [node, _BIN_JS]
    found = shutil.which('lode')
    if not found:
        raise LodeCommandError(f'Cannot find the lode command: {_BIN_JS} is missing and lode is not on PATH.',
                               'Put lode on PATH (npm link in the lode clone), or use the lode package whose python-path this is.')
    return [found]


def child_env(parent_run: Optional[str] = None, keep: Sequence[str] = ()) -> Dict[str, str]:
    """The environment of a lode started from Python: without the current run's channel and secrets (a step gets
    only the secrets it is given: `keep`), with LODE_PARENT_RUN when the step belongs to the current run, and LODE_PYTHON."""
    env = {k: v for k, v in os.environ.items() if k not in _RUN_ENV and (not k.startswith('LODE_SECRET_') or k in keep)}
    env.pop('LODE_PARENT_RUN', None)
    # Python steps run with the interpreter running this script (and its packages), unless told otherwise
    if not env.get('LODE_PYTHON') and sys.executable:
        env['LODE_PYTHON'] = sys.executable
    if parent_run:
        env['LODE_PARENT_RUN'] = parent_run
    return env


def call_json(args: List[str], cwd: Optional[str] = None, parent_run: Optional[str] = None, keep: Sequence[str] = ()) -> Dict[str, Any]:
    """Run `lode ARGS --json` and return its envelope ({ok, data} or {ok: false, error}). Ctrl-C reaches the lode
    started (it aborts its run and exits); this waits for it, then raises KeyboardInterrupt."""
    proc = subprocess.Popen(lode_command() + args + ['--json'], cwd=cwd, env=child_env(parent_run, keep),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate()
    except KeyboardInterrupt:
        _stop(proc)
        raise
    text = out.decode('utf-8', 'replace')
    try:
        envelope = json.loads(text)
    except ValueError:
        tail = '\n'.join(err.decode('utf-8', 'replace').strip().splitlines()[-5:])
        raise LodeCommandError(f'lode {" ".join(args[:2])} exited with code {proc.returncode} without an answer: '
                               f'{tail or text[-500:] or "no output"}', exit_code=proc.returncode or 70, code='no_answer')
    if not isinstance(envelope, dict) or 'ok' not in envelope:
        raise LodeCommandError(f'lode {" ".join(args[:2])} answered something else than its JSON envelope: {text[:200]}', exit_code=70)
    return envelope


def error_of(envelope: Dict[str, Any]) -> LodeCommandError:
    e = envelope.get('error') or {}
    return LodeCommandError(str(e.get('message') or 'lode failed'), str(e.get('hint') or ''),
                            int(e.get('exitCode') or 1), str(e.get('code') or ''))


def data_of(envelope: Dict[str, Any]) -> Any:
    if not envelope.get('ok'):
        raise error_of(envelope)
    return envelope.get('data')


def _stop(proc: 'subprocess.Popen[bytes]') -> None:
    """lode ends within about 2 s of a signal (the terminal's Ctrl-C reached it too); a lode that did not get one is
    sent SIGINT."""
    try:
        proc.wait(timeout=2.5)
        return
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGINT)
    proc.wait()


def project_name_of(config_path: str) -> Optional[str]:
    """The `name:` of a lode.yaml (a top-level scalar), without a YAML parser."""
    try:
        with open(config_path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'^name:\s*(.*?)\s*$', line)
                if m:
                    value = re.sub(r'\s+#.*$', '', m.group(1))
                    return value.strip('"\'') or None
    except OSError:
        return None
    return None
