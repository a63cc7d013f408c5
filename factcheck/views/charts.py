"""Server-rendered bar charts: a horizontal bar chart as inline SVG (role="img" with <title> and
<desc>) and the same figures as a table; on a phone, the figures alone. Each chart carries a text
description for its <desc>, and its rows for the tables beside it.

The markup is written here in one pass: as a Jinja macro, each bar drawn three times over four
charts was a tenth of the dashboard's time.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from factcheck.views.list_rows import html_text

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

    def html(self) -> Markup:
        chart_id, title = html_text(self.id), html_text(self.title)
        head = f'<figure class="chart" id="{chart_id}"><figcaption><h3>{title}</h3></figcaption>'
        if not self.bars:
            return Markup(f'{head}<p class="empty">Nothing in this period.</p></figure>')
        drawn = "".join(
            f'<g><text x="{self.label_width - 8}" y="{bar.text_y}" text-anchor="end" font-size="13" '
            f'fill="#1d2327">{html_text(bar.short_label)}</text>'
            f'<rect x="{self.label_width}" y="{bar.y}" width="{bar.width}" height="{self.bar_height}" '
            f'fill="#0b5cad"></rect>'
            f'<text x="{bar.value_x}" y="{bar.text_y}" font-size="13" fill="#1d2327">{html_text(bar.text)}</text></g>'
            for bar in self.bars)
        header = (f'<thead><tr><th scope="col">{html_text(self.label_header)}</th>'
                  f'<th scope="col">{html_text(self.value_header)}</th></tr></thead>')
        figures = "".join(f'<tr><th scope="row">{html_text(bar.label)}</th><td>{html_text(bar.text)}</td></tr>'
                          for bar in self.bars)
        # On a phone the drawing would shrink its labels below reading size: it gives way to its figures
        # (app.css shows the last table instead of the drawing and the table under it).
        return Markup(
            f'{head}<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {self.width} {self.height}" '
            f'width="100%" class="chart-plot" focusable="false"><title id="{chart_id}-title">{title}</title>'
            f'<desc id="{chart_id}-desc">{html_text(self.description)}</desc>{drawn}</svg>'
            f'<details><summary>{title} as a table</summary><table class="list">{header}<tbody>{figures}</tbody>'
            f'</table></details><table class="chart-figures">{header}<tbody>{figures}</tbody></table></figure>'
        )


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


@functools.lru_cache(maxsize=64)
def kept_chart(chart_id: str, title: str, rows: tuple[tuple[str, float], ...], *, label_header: str,
               value_header: str) -> Markup:
    """``bar_chart(...).html()``, kept per process by the exact figures it draws: the dashboard drew its
    four charts afresh on every view (a third of its time outside the statements) while their figures
    move only when a claim does. At most 64 are kept; a chart's markup is a few kilobytes."""
    return bar_chart(chart_id, title, rows, label_header=label_header, value_header=value_header).html()
