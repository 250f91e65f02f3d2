#!/usr/bin/env python3
"""The README's MLRun fidelity table, generated from lode's Python SDK: for each MLRun name a handler uses, whether
lode has it (found by importing lode), which of MLRun's keywords its signature lacks, and what it does.

    python3 scripts/fidelity-table.py            # print the table
    python3 scripts/fidelity-table.py --write    # put it into README.md, between its markers
    python3 scripts/fidelity-table.py --check    # exit 1 when README.md's table is not the one the code gives
    (--readme PATH: another file than lode's README.md)
"""
from __future__ import annotations

import importlib
import inspect
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'src', 'lib', 'runtimes', 'python'))
README = os.path.join(ROOT, 'README.md')
START, END = '<!-- fidelity-table:start -->', '<!-- fidelity-table:end -->'

# (MLRun name, where lode has it: "module:attr" or "ctx.attr" / "item.attr", MLRun's keywords, what lode does)
ROWS = [
    ('mlrun.get_or_create_ctx', 'lode:get_or_create_ctx', None, "the run's context"),
    ('mlrun.execution.MLClientCtx', 'lode.execution:MLClientCtx', None, ''),
    ('mlrun.datastore.DataItem', 'lode.datastore:DataItem', None, ''),
    ('mlrun.handler', 'lode:handler', ['labels', 'outputs', 'inputs'],
     'labels set on the run; returned values logged by name and kind (result, dataset, model, file, object, plot, path)'),
    ('mlrun.mlconf', 'lode:mlconf', None, '`default_project`, `artifact_path`; other settings: an error naming what it has'),
    ('mlrun.get_dataitem', 'lode:get_dataitem', ['url', 'secrets'], 'local paths, file://, store://'),
    ('mlrun.artifacts.Artifact', 'lode.artifacts:Artifact', None, '`.uri .key .tag .target_path .to_dict() .base_dict()`'),
    ('mlrun.artifacts.DirArtifact', 'lode.artifacts:DirArtifact', None, ''),
    ('mlrun.artifacts.DatasetArtifact', 'lode.artifacts:DatasetArtifact', None, ''),
    ('mlrun.artifacts.TableArtifact', 'lode.artifacts:TableArtifact', None, 'a dataset'),
    ('mlrun.artifacts.ModelArtifact', 'lode.artifacts:ModelArtifact', None, ''),
    ('mlrun.artifacts.PlotArtifact', 'lode.artifacts:PlotArtifact', None, 'stored as HTML, kind plot'),
    ('mlrun.artifacts.PlotlyArtifact', 'lode.artifacts:PlotlyArtifact', None, 'stored as HTML, kind plot'),
    ('mlrun.artifacts.update_model', 'lode.artifacts:update_model',
     ['model_artifact', 'parameters', 'metrics', 'extra_data', 'inputs', 'outputs', 'feature_vector', 'feature_weights',
      'key_prefix', 'labels', 'write_spec_copy', 'store_object'], 'logs the model again: a new version'),
    ('mlrun.artifacts.get_model', 'lode.artifacts:get_model', ['model_dir', 'suffix'], 'from lode.models'),
    ('mlrun.frameworks.sklearn.apply_mlrun', 'lode.frameworks.sklearn:apply_mlrun',
     ['model', 'model_name', 'tag', 'model_path', 'modules_map', 'custom_objects_map', 'custom_objects_directory',
      'context', 'artifacts', 'metrics', 'x_test', 'y_test', 'sample_set', 'y_columns', 'feature_vector',
      'feature_weights', 'labels', 'parameters', 'extra_data', 'auto_log'],
     'returns a model handler; `modules_map`/`custom_objects_*`: an error (pickles load with their modules)'),
    ('context.log_result / log_results', 'ctx.log_result', ['key', 'value', 'commit'], ''),
    ('context.log_artifact', 'ctx.log_artifact',
     ['item', 'body', 'local_path', 'artifact_path', 'tag', 'viewer', 'target_path', 'src_path', 'upload', 'labels',
      'format', 'db_key'],
     '`item`: a key or an Artifact object; `tag` set when the run completes; `artifact_path` under the run\'s, '
     '`target_path` local (written there, then stored), else an error; `viewer` chart/plotly/web-app: a plot; '
     '`upload=False`: stored anyway, with a warning; `db_key=False`: an error'),
    ('context.log_dataset', 'ctx.log_dataset',
     ['key', 'df', 'tag', 'local_path', 'artifact_path', 'upload', 'labels', 'format', 'preview', 'stats', 'db_key',
      'target_path', 'extra_data', 'label_column'],
     '`label_column`: an artifact label; `extra_data`: an error (a dataset is one file); `index=` kept or dropped'),
    ('context.log_model', 'ctx.log_model',
     ['key', 'body', 'framework', 'tag', 'model_dir', 'model_file', 'algorithm', 'metrics', 'parameters',
      'artifact_path', 'upload', 'labels', 'inputs', 'outputs', 'feature_vector', 'feature_weights', 'training_set',
      'label_column', 'extra_data', 'db_key'], '`feature_vector`/`feature_weights` kept in the model\'s spec'),
    ('context.set_label', 'ctx.set_label', ['key', 'value', 'replace'], ''),
    ('context.set_annotation', 'ctx.set_annotation', ['key', 'value', 'replace'], "recorded in the run's log"),
    ('context.get_param', 'ctx.get_param', ['key', 'default'], ''),
    ('context.get_project_param', 'ctx.get_project_param', ['key', 'default'], '`params:` in lode.yaml'),
    ('context.get_input', 'ctx.get_input', ['key', 'url'], ''),
    ('context.get_dataitem', 'ctx.get_dataitem', ['url', 'secrets'], 'store:// read through `lode artifacts get`'),
    ('context.get_store_resource', 'ctx.get_store_resource', ['url', 'secrets'],
     'artifacts, datasets, models; feature sets/vectors: not provided'),
    ('context.get_secret', 'ctx.get_secret', ['key'], '`lode run --secret`'),
    ('context.artifact_subpath', 'ctx.artifact_subpath', None, ''),
    ('context.parameters / results / labels', 'ctx.parameters', None, 'copies, as MLRun'),
    ('context.artifacts / annotations', 'ctx.artifacts', None, ''),
    ('context.artifact_path / out_path / in_path', 'ctx.artifact_path', None, "the run's staging folder"),
    ('context.uid / tag / iteration / project / state', 'ctx.iteration', None, ''),
    ('context.commit / set_state', 'ctx.set_state', ['execution_state', 'error', 'commit'], '`error=` fails the run'),
    ('context.update_artifact / get_cached_artifact', 'ctx.update_artifact', ['artifact_object'], ''),
    ('context.get_child_context', 'ctx.get_child_context', ['with_parent_params'],
     "iterations inside the run: a child's artifacts are `KEY#N`, its results a row of `iteration_results`"),
    ('context.mark_as_best', 'ctx.mark_as_best', None, "the child's results and artifacts become the run's"),
    ('context.log_iteration_results / update_child_iterations', 'ctx.update_child_iterations',
     ['best_run', 'commit_children', 'completed'], 'logs the `iteration_results` dataset'),
    ('DataItem.kind / meta / url / key / suffix', 'item.meta', None, '`kind` is `file`; `meta` the artifact object'),
    ('DataItem.local / get / download / listdir / open', 'item.get', ['size', 'offset', 'encoding'], ''),
    ('DataItem.as_df', 'item.as_df',
     ['columns', 'df_module', 'format', 'time_column', 'start_time', 'end_time', 'additional_filters'], 'pandas'),
    ('DataItem.show', 'item.show', ['format'], 'printed (no notebook)'),
    ('DataItem.stat', 'item.stat', None, '`.size`, `.modified`'),
    ('DataItem.put / upload / delete', 'item.put', ['data', 'append'], 'refused on a store artifact'),
    ('mlrun.feature_store', 'lode:feature_store', None, ''),
    ('mlrun.serving', 'lode:serving', None, ''),
    ('mlrun.runtimes (nuclio)', 'lode:runtimes', None, ''),
    ('mlrun.platforms (auto_mount, mount_v3io)', 'lode:platforms', None, ''),
    ('mlrun.code_to_function / new_function', 'lode:code_to_function', None, ''),
    ('mlrun.deploy_function / build_function', 'lode:deploy_function', None, ''),
    ('mlrun.get_run_db', 'lode:get_run_db', None, ''),
]


def _resolve(where: str):
    from lode import DataItem, MLClientCtx

    if where.startswith('ctx.'):
        return getattr(MLClientCtx, where[4:])
    if where.startswith('item.'):
        return getattr(DataItem, where[5:])
    module, attr = where.split(':')
    return getattr(importlib.import_module(module), attr)


def status(where: str, keywords) -> str:
    from lode.errors import NotProvidedError

    try:
        found = _resolve(where)
    except NotProvidedError:
        return 'not provided: a clear error'
    except (ImportError, AttributeError):
        return 'not in lode yet'
    if getattr(found, '__lode_not_provided__', False):
        return 'not provided: a clear error'
    if getattr(found, '__lode_pending__', False):
        return 'not yet: a clear error'
    if keywords and callable(found):
        try:
            params = inspect.signature(found).parameters
        except (TypeError, ValueError):
            return 'yes'
        missing = [k for k in keywords if k not in params and k != 'self']
        return 'yes' if not missing else 'yes, without ' + ', '.join(f'`{k}`' for k in missing)
    return 'yes'


def table() -> str:
    lines = ['| MLRun | lode | what lode does |', '|---|---|---|']
    for name, where, keywords, note in ROWS:
        lines.append(f'| `{name}` | {status(where, keywords)} | {note} |')
    return '\n'.join(lines) + '\n'


def main(argv) -> int:
    generated = table()
    if '--write' not in argv and '--check' not in argv:
        sys.stdout.write(generated)
        return 0
    readme = argv[argv.index('--readme') + 1] if '--readme' in argv else README
    with open(readme, encoding='utf-8') as f:
        text = f.read()
    if START not in text or END not in text:
        sys.stderr.write(f'README.md has no {START} ... {END} markers\n')
        return 2
    head, rest = text.split(START, 1)
    current, tail = rest.split(END, 1)
    wanted = f'{head}{START}\n{generated}{END}{tail}'
    if '--check' in argv:
        if wanted != text:
            sys.stderr.write('README.md\'s MLRun fidelity table is not current: run python3 scripts/fidelity-table.py --write\n')
            return 1
        return 0
    with open(readme, 'w', encoding='utf-8') as f:
        f.write(wanted)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
