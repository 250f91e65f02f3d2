"""MLRun's child contexts inside one run (get_child_context, mark_as_best, update_child_iterations): each child's
artifacts are versions of iteration N of this run, its results go into the `iteration_results` dataset, and the best
child's results and artifacts become the run's own, as MLRun links the best iteration into its parent."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from .context import MLClientCtx


def child_context(parent: 'MLClientCtx', with_parent_params: bool, params: Dict[str, Any]) -> 'MLClientCtx':
    if parent._iteration or parent._parent is not None:
        raise ValueError('get_child_context: cannot create a child from a child iteration')
    spec = {'uid': parent.uid, 'name': parent.name, 'project': parent.project, 'handler': parent.handler,
            'params': dict(parent._parameters if with_parent_params else {}, **params),
            'stagingDir': parent.artifact_path, 'projectDir': parent._project_dir, 'iter': len(parent._children) + 1}
    child = type(parent)(spec, parent._channel)
    child.inputs = parent.inputs
    child._parent = parent
    parent._children.append(child)
    return child


def log_iteration_results(parent: 'MLClientCtx', best: Any, summary: Optional[List[List[Any]]], task: Any) -> None:
    """The best iteration's results become the run's, its artifacts are logged again as the run's own (iteration 0)."""
    if best:
        parent.log_result('best_iteration', best)
        for key, value in ((task or {}).get('status', {}).get('results') or {}).items():
            parent.log_result(key, value)
        child = next((c for c in parent._children if c.iteration == best), None)
        for obj in (child._logged.values() if child is not None else []):
            _link(parent, obj)
    if summary is not None:
        parent._iteration_results = summary


def _link(parent: 'MLClientCtx', obj: Any) -> None:
    from .staging import copy_into

    event = {k: v for k, v in obj._event.items() if k not in ('t', 'ts', 'iter')}
    source = event['path']
    # the child's staged file is moved into the store when the run ends: the run's own version gets a link to it
    linked = parent._staging.reserve_dir('best') if os.path.isdir(source) else parent._staging.reserve_file(os.path.basename(source))
    if os.path.isdir(source):
        copy_into(source, linked)
    else:
        os.remove(linked)
        try:
            os.link(source, linked)
        except OSError:
            copy_into(source, linked)
    event['path'] = linked
    parent._artifact(event, type(obj)(obj.key))


def update_child_iterations(parent: 'MLClientCtx', best_run: int, completed: bool) -> None:
    """Sum up the children: the iteration_results dataset (params, results, state, iter), and the best one linked."""
    if not parent._children:
        return
    rows = []
    for child in parent._children:
        if completed and child._state == 'running':
            child._state = 'completed'
        row: Dict[str, Any] = {f'param.{k}': v for k, v in child._parameters.items()}
        row.update({f'output.{k}': v for k, v in child._results.items()})
        row.update(state=child._state, iter=child.iteration)
        rows.append(row)
    header = list(dict.fromkeys(k for row in rows for k in row))
    summary = [header] + [[row.get(k) for k in header] for row in rows]
    task = parent._children[best_run - 1].to_dict() if best_run else None
    parent.log_iteration_results(best_run, summary, task)
    parent.log_dataset('iteration_results', df=[{k: row.get(k) for k in header} for row in rows], format='csv')
