"""Server-rendered bar charts: the geometry is computed here, the SVG drawn by macros/charts.html.
Each chart carries a text description for its <desc>, and its rows for the table beside it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
PLOT_WIDTH = 320
VALUE_WIDTH = 70


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float
    # Worked out here rather than in the macro (a page draws four charts, each bar three times).
    short_label: str = ""  # the label cut to fit beside the plot
    text_y: float = 0  # baseline of the bar's two texts
    value_x: float = 0  # where the value is written, just right of the bar


def _short(label: str, length: int = 26, leeway: int = 5) -> str:
    """Jinja's ``truncate(26, true, '…')``, which the chart used: labels up to 31 characters stay whole."""
    return label if len(label) <= length + leeway else label[:length - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    label_header: str
    value_header: str
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP


def bar_chart(chart_id: str, title: str, rows: Iterable[tuple[str, float]], *, label_header: str,
              value_header: str, unit: str = "", fmt: str = "{:g}") -> BarChart:
    rows = list(rows)
    top = max((value for _label, value in rows), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        y, width = GAP + i * (BAR_HEIGHT + GAP), round(PLOT_WIDTH * value / top, 1)
        bars.append(Bar(label, value, fmt.format(value) + unit, y, width, short_label=_short(label),
                        text_y=y + BAR_HEIGHT * 0.7, value_x=LABEL_WIDTH + width + 6))
    summary = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) or "no data"
    return BarChart(chart_id, title, f"{title}. {summary}.", label_header, value_header, bars)
