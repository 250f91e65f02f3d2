"""Plots as SVG text, drawn by hand so auto-logging needs no plotting library."""
from __future__ import annotations

from typing import List, Sequence
from xml.sax.saxutils import escape

_FONT = 'font-family="Helvetica, Arial, sans-serif"'
_BLUE = (31, 119, 180)


def _svg(width: float, height: float, body: List[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" {_FONT} font-size="12">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + '\n'.join(body) + '\n</svg>\n')


def _text(x: float, y: float, text: str, anchor: str = 'middle', size: int = 12, extra: str = '') -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{" " + extra if extra else ""}>{escape(str(text))}</text>'


def _shade(fraction: float) -> str:
    r, g, b = (round(255 + (c - 255) * fraction) for c in _BLUE)
    return f'rgb({r},{g},{b})'


def _fmt(value: float) -> str:
    return f'{value:.3g}'


def confusion_matrix_svg(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> str:
    """Rows are the actual classes, columns the predicted ones."""
    n = len(labels)
    cell = max(28.0, min(70.0, 420.0 / max(n, 1)))
    left, top = 130.0, 70.0
    size = cell * n
    peak = max((max(row) for row in matrix), default=0) or 1
    body = [_text(left + size / 2, 24, 'Confusion matrix', size=16, extra='font-weight="bold"'),
            _text(left + size / 2, top - 30, 'Predicted'),
            _text(22, top + size / 2, 'Actual', extra=f'transform="rotate(-90 22 {top + size / 2:.1f})"')]
    for j, label in enumerate(labels):
        body.append(_text(left + cell * (j + 0.5), top - 8, label))
    for i, label in enumerate(labels):
        y = top + cell * i
        body.append(_text(left - 8, y + cell / 2 + 4, label, anchor='end'))
        for j in range(n):
            value = matrix[i][j]
            fraction = value / peak
            x = left + cell * j
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell:.1f}" height="{cell:.1f}" '
                        f'fill="{_shade(fraction)}" stroke="#ccc"/>')
            body.append(_text(x + cell / 2, y + cell / 2 + 4, str(value),
                              extra=f'fill="{"white" if fraction > 0.55 else "black"}"'))
    return _svg(left + size + 30, top + size + 30, body)


def bar_chart_svg(title: str, names: Sequence[str], values: Sequence[float]) -> str:
    """Horizontal bars, in the order given."""
    label_width, bar_width, row = 170.0, 360.0, 22.0
    top = 50.0
    peak = max((abs(v) for v in values), default=0) or 1
    body = [_text((label_width + bar_width) / 2 + 10, 26, title, size=16, extra='font-weight="bold"')]
    for i, (name, value) in enumerate(zip(names, values)):
        y = top + row * i
        width = bar_width * abs(value) / peak
        body.append(_text(label_width - 8, y + row / 2 + 4, name, anchor='end'))
        body.append(f'<rect x="{label_width:.1f}" y="{y + 3:.1f}" width="{width:.1f}" height="{row - 6:.1f}" '
                    f'fill="{_shade(1.0)}"/>')
        body.append(_text(label_width + width + 6, y + row / 2 + 4, _fmt(value), anchor='start'))
    return _svg(label_width + bar_width + 70, top + row * len(names) + 20, body)


def roc_curve_svg(fpr: Sequence[float], tpr: Sequence[float], auc: float) -> str:
    left, top, side = 60.0, 50.0, 360.0
    body = [_text(left + side / 2, 28, f'ROC curve (AUC = {auc:.3f})', size=16, extra='font-weight="bold"'),
            f'<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" stroke="#333"/>',
            f'<line x1="{left}" y1="{top + side}" x2="{left + side}" y2="{top}" stroke="#999" stroke-dasharray="4 4"/>',
            _text(left + side / 2, top + side + 36, 'False positive rate'),
            _text(18, top + side / 2, 'True positive rate', extra=f'transform="rotate(-90 18 {top + side / 2:.1f})"')]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, y = left + side * tick, top + side * (1 - tick)
        body.append(_text(x, top + side + 16, _fmt(tick)))
        body.append(_text(left - 6, y + 4, _fmt(tick), anchor='end'))
    points = ' '.join(f'{left + side * float(x):.1f},{top + side * (1 - float(y)):.1f}' for x, y in zip(fpr, tpr))
    body.append(f'<polyline points="{points}" fill="none" stroke="{_shade(1.0)}" stroke-width="2"/>')
    return _svg(left + side + 30, top + side + 50, body)
