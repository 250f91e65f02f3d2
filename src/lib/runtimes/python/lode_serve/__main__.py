"""python -m lode_serve MODEL_FILE: load the model once, then answer one JSON line on stdin with one on stdout.

The first line written is {"ready": true, ...} (what the model takes and gives) or {"fatal": message}.
A request is {"id": n, "rows": [[number, ...], ...], "proba": bool}; its answer {"id": n, "predict": [...],
"proba": [[...]] | null} or {"id": n, "error": message}. lode validates requests before they get here.
"""
import json
import os
import pickle
import sys
import warnings


def _describe(model):
    classes = getattr(model, 'classes_', None)
    names = getattr(model, 'feature_names_in_', None)
    return {
        'ready': True,
        'pid': os.getpid(),
        'algorithm': type(model).__name__,
        'features': _int_or_none(getattr(model, 'n_features_in_', None)),
        'feature_names': [str(n) for n in names] if names is not None else None,
        'classes': classes.tolist() if hasattr(classes, 'tolist') else None,
        'has_proba': callable(getattr(model, 'predict_proba', None)),
    }


def _int_or_none(value):
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _load(path):
    with open(path, 'rb') as f:
        model = pickle.load(f)
    if not callable(getattr(model, 'predict', None)):
        raise TypeError(f'{os.path.basename(path)} holds a {type(model).__name__}, which has no predict()')
    return model


def _as_list(values):
    return values.tolist() if hasattr(values, 'tolist') else list(values)


def _check_answer(answer, rows):
    """One prediction (and one row of probabilities) a row: lode splits a batch's answer between its requests."""
    if len(answer['predict']) != rows:
        raise ValueError(f'the model answered {len(answer["predict"])} predictions for {rows} rows')
    if answer['proba'] is not None and len(answer['proba']) != rows:
        raise ValueError(f'the model answered {len(answer["proba"])} rows of probabilities for {rows} rows')


def main():
    # a model fitted on a DataFrame warns on every numpy call; rows arrive in its feature order
    warnings.filterwarnings('ignore', message='X does not have valid feature names')
    out = sys.stdout
    # what the model prints goes to stderr: stdout carries only the protocol's lines
    sys.stdout = sys.stderr
    try:
        model = _load(sys.argv[1])
        import numpy as np
    except Exception as e:  # noqa: BLE001 - whatever the pickle raised is the answer
        out.write(json.dumps({'fatal': f'{type(e).__name__}: {e}'}) + '\n')
        out.flush()
        sys.exit(1)
    from .forest import fast_predictor
    predictor = fast_predictor(model) or model
    hello = _describe(model)
    hello['fast_path'] = predictor is not model
    out.write(json.dumps(hello) + '\n')
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            x = np.asarray(request['rows'], dtype=float)
            if request.get('proba'):
                proba = predictor.predict_proba(x)
                predicted = model.classes_.take(np.argmax(proba, axis=1), axis=0) if predictor is not model else model.predict(x)
                answer = {'id': request['id'], 'predict': _as_list(predicted), 'proba': _as_list(proba)}
            else:
                answer = {'id': request['id'], 'predict': _as_list(predictor.predict(x)), 'proba': None}
            _check_answer(answer, len(x))
            # NaN would make a line lode cannot parse (and the request would wait forever), an object one that
            # json cannot write (and the worker would die): both are the model's answer to refuse
            try:
                text = json.dumps(answer, allow_nan=False)
            except ValueError:
                raise ValueError('the model answered NaN or an infinity, which JSON cannot carry') from None
        except Exception as e:  # noqa: BLE001 - a model's own refusal goes back to the caller
            text = json.dumps({'id': request['id'], 'error': f'{type(e).__name__}: {e}'})
        out.write(text + '\n')
        out.flush()


if __name__ == '__main__':
    main()
