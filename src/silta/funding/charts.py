"""Small hand-built SVG charts (docs/adr/0005-funding-web.md): no JavaScript, no CDN,
printable, and each chart has a text title and a table beside it with the same
figures. Colours are distinguishable without colour vision (patterns are not needed:
every series is also in the legend and the table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito palette: readable for the common colour vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 10, 16, 60


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _axis(top: float, label_of: object) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d4da" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(label_of(value))}</text>"  # type: ignore[operator]
        )
    return parts


def _euro_label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} M€"
    if value >= 1_000:
        return f"{value / 1_000:.0f} k€"
    return f"{value:.0f} €"


def _x_labels(labels: Sequence[str], x_of: object, band: float) -> list[str]:
    every = max(1, len(labels) // 12)
    return [
        f'<text x="{x_of(i) + band / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '  # type: ignore[operator]
        f'text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _legend(series: Sequence[str]) -> list[str]:
    parts = []
    x = LEFT
    y = HEIGHT - 18
    for i, label in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="11">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return parts


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """A stacked bar chart (one bar per label, one colour per series) in euros."""
    totals = [
        sum(float(s.values[i]) for s in series if float(s.values[i]) > 0)
        for i in range(len(labels))
    ]
    top = _nice_max(max(totals, default=0.0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(labels), 1)

    def x_of(i: int) -> float:
        return LEFT + i * band

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        *_axis(top, _euro_label),
    ]
    for i in range(len(labels)):
        base = 0.0
        for j, s in enumerate(series):
            value = max(float(s.values[i]), 0.0)
            if value == 0:
                continue
            h = plot_h * value / top
            y = TOP + plot_h - plot_h * base / top - h
            parts.append(
                f'<rect x="{x_of(i) + band * 0.15:.1f}" y="{y:.1f}" width="{band * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(labels[i])} {escape(s.label)}: {value:,.0f} €</title></rect>"
            )
            base += value
    parts += _x_labels(labels, x_of, band)
    parts += _legend([s.label for s in series])
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def band_line(
    title: str,
    labels: Sequence[str],
    expected: Sequence[Decimal],
    low: Sequence[Decimal],
    high: Sequence[Decimal],
    legend: tuple[str, str],
) -> SafeString:
    """A line of expected values with a shaded uncertainty band."""
    top = _nice_max(max((float(v) for v in high), default=0.0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(labels), 1)

    def x_of(i: int) -> float:
        return LEFT + i * band

    def y_of(v: Decimal) -> float:
        return TOP + plot_h - plot_h * float(v) / top

    upper = [f"{x_of(i) + band / 2:.1f},{y_of(v):.1f}" for i, v in enumerate(high)]
    lower = [f"{x_of(i) + band / 2:.1f},{y_of(v):.1f}" for i, v in enumerate(low)][::-1]
    line = [f"{x_of(i) + band / 2:.1f},{y_of(v):.1f}" for i, v in enumerate(expected)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="forecast-title" class="chart">',
        f'<title id="forecast-title">{escape(title)}</title>',
        *_axis(top, _euro_label),
    ]
    if line:
        parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="#56B4E9" opacity="0.35"/>')
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="#0072B2" stroke-width="2"/>'
        )
    parts += _x_labels(labels, x_of, band)
    parts.append(f'<rect x="{LEFT}" y="{HEIGHT - 28}" width="12" height="3" fill="#0072B2"/>')
    parts.append(
        f'<text x="{LEFT + 16}" y="{HEIGHT - 18}" font-size="11">{escape(legend[0])}</text>'
    )
    x = LEFT + 40 + 7 * len(legend[0])
    parts.append(
        f'<rect x="{x}" y="{HEIGHT - 28}" width="12" height="12" fill="#56B4E9" opacity="0.35"/>'
    )
    parts.append(f'<text x="{x + 16}" y="{HEIGHT - 18}" font-size="11">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
