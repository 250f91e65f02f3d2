"""Read the signatures of a Python file's top-level functions without importing it, for lode to check params.

    python3 lode_signature.py FILE   ->  one JSON line on stdout: {"functions", "bindings", "assigned", "starImport"}

Only the syntax tree is read (the `ast` module): no code of the file runs. Standard library only, Python 3.8+.
"""
import ast
import json
import sys

CONTEXT_ANNOTATIONS = ('MLClientCtx', 'Context')


def annotation_name(node):
    """The bare name of an annotation: MLClientCtx for `mlrun.MLClientCtx` or "MLClientCtx"; '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip().strip('\'"').rsplit('.', 1)[-1]
    return ''


def describe(func):
    args = func.args
    named = list(getattr(args, 'posonlyargs', [])) + list(args.args) + list(args.kwonlyargs)
    return {
        'params': [a.arg for a in named],
        'contextAnnotated': [a.arg for a in named if a.annotation is not None
                             and annotation_name(a.annotation) in CONTEXT_ANNOTATIONS],
        'varKeyword': args.kwarg is not None,
        'decorated': bool(func.decorator_list),
        # MLRun's get_or_create_ctx() inside the handler: it reads params through the context it gets that way
        'readsContext': any(isinstance(n, (ast.Name, ast.Attribute)) and (getattr(n, 'id', None) or getattr(n, 'attr', None))
                            == 'get_or_create_ctx' for n in ast.walk(func)),
    }


def bound_names(node):
    """Names a module-level statement binds (a def, a class, an assignment, an import, a loop or with target)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split('.')[0] for a in node.names if a.name != '*']
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    names = []
    for target in targets:
        names.extend(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def module_statements(body):
    """Statements run at module level, also inside if/try/for/while/with blocks (not inside defs or classes)."""
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ('body', 'orelse', 'finalbody'):
            yield from module_statements(getattr(node, field, None) or [])
        for handler in getattr(node, 'handlers', None) or []:
            yield from module_statements(handler.body)


def names_used_at_top(tree):
    """Names the module's own code reads, outside defs, classes and `if __name__ == '__main__':` (the runner's
    is_script: a file whose one function its code calls is a script using a helper, not a handler file)."""
    used = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        test = getattr(node, 'test', None)
        if isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) \
                and test.left.id == '__name__':
            continue
        used.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return used


def main(path):
    with open(path, 'rb') as f:
        tree = ast.parse(f.read(), filename=path)
    bindings = {}
    assigned = set()
    star_import = False
    for node in module_statements(tree.body):
        if isinstance(node, ast.ImportFrom) and any(a.name == '*' for a in node.names):
            star_import = True
        for name in bound_names(node):
            bindings[name] = bindings.get(name, 0) + 1
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                assigned.add(name)
    functions = {node.name: describe(node) for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    used = names_used_at_top(tree)
    for name, described in functions.items():
        described['usedAtTop'] = name in used
    print(json.dumps({'functions': functions, 'bindings': bindings, 'assigned': sorted(assigned),
                      'starImport': star_import}))


if __name__ == '__main__':
    try:
        main(sys.argv[1])
    except (OSError, SyntaxError, ValueError, IndexError) as err:
        print(json.dumps({'error': f'{type(err).__name__}: {err}'}))
        sys.exit(1)
