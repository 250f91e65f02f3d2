"""run_function: one run of a function (a file, FILE#HANDLER, hub://NAME, a lode.yaml name), with MLRun's arguments.

It starts `lode run --json` with the matching flags: the run goes through lode's executor into the project's store,
recorded as any run from the command line. Inside a run of lode (`lode run pipeline.py`) each run it starts is
recorded as a child of that run.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import sys
import time
from typing import Any, Dict, List, Optional, Union

from . import cli
from .data_item import DataItem
from .run_object import RunObject


class RunError(RuntimeError):
    """A run that did not complete (error or aborted): `run` is its RunObject, the message carries the run's error."""

    def __init__(self, message: str, run: RunObject) -> None:
        super().__init__(message)
        self.run = run


# HyperParamOptions fields -> `lode run` flags
_HYPER_FLAGS = {'strategy': '--strategy', 'selector': '--selector', 'stop_condition': '--stop-condition',
                'max_iterations': '--max-iterations', 'max_errors': '--max-errors', 'parallel_runs': '--parallel',
                'param_file': '--hyper-file', 'seed': '--seed'}


def run_function(function: Any, handler: Optional[str] = None, name: str = '', params: Optional[Dict[str, Any]] = None,
                 hyperparams: Optional[Dict[str, List[Any]]] = None, hyper_param_options: Any = None,
                 inputs: Optional[Dict[str, Any]] = None, outputs: Optional[List[str]] = None, workdir: str = '',
                 labels: Optional[Dict[str, Any]] = None, base_task: Any = None, watch: bool = True,
                 local: Optional[bool] = None, verbose: Optional[bool] = None, selector: Optional[str] = None,
                 project_object: Any = None, auto_build: Optional[bool] = None, artifact_path: Optional[str] = None,
                 returns: Any = None, schedule: Any = None, notifications: Any = None, builder_env: Any = None,
                 reset_on_run: Any = None, secrets: Optional[List[str]] = None, python: Optional[str] = None,
                 project: Any = None) -> RunObject:
    """Run `function` to its end and return its RunObject; a run that failed or was aborted raises RunError.

    function: a file (train.py, train.ts), "FILE#HANDLER", "hub://NAME[:VERSION]", a lode.yaml function, a function
    set with project.set_function, or its object. inputs: name -> a path, store:// URI, KEY[:TAG], another run's
    outputs[...] or a DataItem. params go as JSON. secrets: names of secrets for the step (one this run was given
    is passed on; others come from lode.yaml's secrets: or the environment). hyperparams (name -> list of values) and hyper_param_options
    (strategy, selector, stop_condition, max_iterations, max_errors, parallel_runs; a dict or an object) make a
    hyperparameter run. Runs are local (lode has no remote runtime); `local`, `watch` and the build options of
    MLRun (returns, notifications, builder_env...) are accepted and change nothing.
    """
    from .project import LodeFunction, current_project

    if schedule is not None:
        raise ValueError('run_function: schedule= is not supported by lode (runs start now); run it from cron or CI instead')
    proj = project or project_object or current_project()
    project_dir = proj.context if proj is not None else None
    if isinstance(function, str) and proj is not None and function in proj._functions:
        function = proj._functions[function]
    if isinstance(function, LodeFunction):
        handler = handler or function.handler
        python = python or function.python
        function = function.source
    if not isinstance(function, (str, os.PathLike)):
        raise TypeError(f'run_function: function must be a file, "FILE#HANDLER", "hub://NAME" or a function name, '
                        f'not {type(function).__name__}')
    args = ['run', os.fspath(function)]
    if handler:
        args += ['--handler', handler]
    if name:
        args += ['--name', name]
    for key, value in (params or {}).items():
        args += ['-p', f'{key}={_json(key, value)}']
    for key, value in (inputs or {}).items():
        args += ['-i', f'{key}={_input_url(key, value)}']
    for key in outputs or []:
        args += ['-o', str(key)]
    for key, value in (labels or {}).items():
        args += ['--label', f'{key}={value}']
    passed: List[str] = []
    for key in secrets or []:
        # a secret this run was given goes on to the step under its name; any other comes from lode.yaml or the env
        carrier = 'LODE_SECRET_' + re.sub(r'[^A-Z0-9_]', '_', str(key).upper())
        if carrier in os.environ:
            passed.append(carrier)
        args += ['--secret', f'{key}={carrier}' if carrier in os.environ else str(key)]
    if python:
        args += ['--python', python]
    args += _hyper_flags(hyperparams, hyper_param_options, selector)
    if project_dir:
        args += ['--project', project_dir]

    parent = _parent_run(project_dir)
    started = time.time()
    label = os.fspath(function) + (f'#{handler}' if handler and '#' not in os.fspath(function) else '')
    _note(f'running {label}')
    envelope = cli.call_json(args, cwd=os.path.abspath(workdir) if workdir else None, parent_run=parent, keep=passed)
    if envelope.get('ok'):
        run = RunObject(envelope['data'], project_dir)
        _note(f'{run.summary()} ({time.time() - started:.1f}s)')
        return run
    error = (envelope.get('error') or {})
    record = (error.get('details') or {}).get('run')
    if isinstance(record, dict):
        run = RunObject(record, project_dir)
        _note(f'{run.summary()} ({time.time() - started:.1f}s)')
        hint = f' ({error["hint"]})' if error.get('hint') else ''
        raise RunError(f'{error.get("message") or run.summary()}{hint}', run)
    raise cli.error_of(envelope)


def _json(key: str, value: Any) -> str:
    """A param as JSON text: lode parses `-p KEY=VALUE` as JSON, so a string stays a string ("3" is not 3)."""
    try:
        return json.dumps(_plain(value), allow_nan=False, ensure_ascii=False, separators=(',', ':'))
    except (TypeError, ValueError) as err:
        raise ValueError(f'run_function: param {key!r} cannot be passed as JSON ({err}); pass numbers, strings, '
                         'booleans, None, lists and dicts of them') from None


def _plain(value: Any) -> Any:
    """numpy scalars and paths as the plain values they stand for."""
    if isinstance(value, pathlib.PurePath):
        return os.fspath(value)
    if hasattr(value, 'item') and callable(value.item) and type(value).__module__ == 'numpy':
        return value.item()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _input_url(key: str, value: Any) -> str:
    """An input as lode run takes it: a DataItem by its store:// address (or its file), a path, a URI or a key."""
    if isinstance(value, DataItem):
        return str(value.meta.get('uri') or value.local())
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if text:
            return text
    raise ValueError(f'run_function: input {key!r} must be a path, a store:// URI, an artifact key or a DataItem, '
                     f'not {value!r}')


def _hyper_flags(hyperparams: Optional[Dict[str, List[Any]]], options: Any, selector: Optional[str]) -> List[str]:
    """hyperparams and HyperParamOptions as `lode run`'s hyperparameter flags."""
    flags: List[str] = []
    for key, values in (hyperparams or {}).items():
        if not isinstance(values, (list, tuple)):
            raise ValueError(f'run_function: hyperparams[{key!r}] must be a list of values, not {values!r}')
        flags += ['--hyperparam', f'{key}={_json(key, list(values))}']
    opts = options if isinstance(options, dict) else ({k: getattr(options, k) for k in _HYPER_FLAGS if hasattr(options, k)} if options is not None else {})
    if selector and not opts.get('selector'):
        opts = {**opts, 'selector': selector}
    for key, value in opts.items():
        if value is None or value == '':
            continue
        if key not in _HYPER_FLAGS:
            raise ValueError(f'run_function: unknown hyper_param_options key {key!r}; known: {", ".join(sorted(_HYPER_FLAGS))}')
        flags += [_HYPER_FLAGS[key], str(value)]
    return flags


def _parent_run(project_dir: Optional[str]) -> Optional[str]:
    """The run this code runs in, when its steps are runs of the same project: they are recorded as its children."""
    uid, spec_path = os.environ.get('LODE_RUN_UID'), os.environ.get('LODE_RUN_SPEC')
    if not uid or not spec_path:
        return None
    try:
        with open(spec_path, encoding='utf-8') as f:
            run_project = json.load(f).get('projectDir')
    except (OSError, ValueError):
        return None
    if not run_project:
        return None
    target = project_dir or _project_of(os.getcwd())
    return uid if target and os.path.realpath(target) == os.path.realpath(run_project) else None


def _project_of(folder: str) -> Optional[str]:
    """The project a lode started here would use: the nearest folder holding lode.yaml (or LODE_PROJECT)."""
    if os.environ.get('LODE_PROJECT'):
        return os.environ['LODE_PROJECT']
    here = os.path.abspath(folder)
    while True:
        if os.path.isfile(os.path.join(here, 'lode.yaml')):
            return here
        up = os.path.dirname(here)
        if up == here:
            return None
        here = up


def _note(text: str) -> None:
    sys.stderr.write(f'[lode] {text}\n')
    sys.stderr.flush()
