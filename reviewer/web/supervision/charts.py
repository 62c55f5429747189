"""ECharts options for the statistics page (Apache ECharts, served from static/vendor).

Each chart is an option dict the page hands to `static/charts.js` as JSON in a data
attribute (no inline script). Charts that are compared share their scales: the two rates
run on one 0-100 % axis, the daily charts on the same dates; every axis names its unit,
and every chart has a tooltip.
"""
from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: list[float]

def _base(title: str, unit: str, categories: list[str], *, rotate: int = 0) -> dict:
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0, "right": 0},
        "grid": {"left": 56, "right": 16, "top": 40, "bottom": 48},
        "xAxis": {"type": "category", "data": categories,
                  "axisLabel": {"rotate": rotate, "hideOverlap": True}},
        "yAxis": {"type": "value", "name": unit, "minInterval": 1},
        "series": [],
    }

def day_labels(days: list[str]) -> list[str]:
    """2026-12-04 -> 12-04: what a reader needs on a 7- to 90-day axis."""
    return [day[5:] for day in days]

def stacked_days(title: str, unit: str, days: list[str], series: list[Series]) -> dict:
    option = _base(title, unit, day_labels(days), rotate=45 if len(days) > 31 else 0)
    option["series"] = [{"name": s.label, "type": "bar", "stack": "total", "data": s.values,
                         "itemStyle": {"color": s.colour}} for s in series]
    return option

def lines(title: str, unit: str, days: list[str], series: list[Series], *,
          maximum: float | None = None) -> dict:
    option = _base(title, unit, day_labels(days), rotate=45 if len(days) > 31 else 0)
    if maximum is not None:
        option["yAxis"].update({"min": 0, "max": maximum})
    option["series"] = [{"name": s.label, "type": "line", "data": s.values, "connectNulls": False,
                         "itemStyle": {"color": s.colour}, "showSymbol": len(days) <= 31}
                        for s in series]
    return option

def people_bars(title: str, unit: str, names: list[str], series: list[Series], *,
                maximum: float | None = None) -> dict:
    option = _base(title, unit, names)
    option["yAxis"]["minInterval"] = 0
    if maximum is not None:
        option["yAxis"].update({"min": 0, "max": maximum})
    option["series"] = [{"name": s.label, "type": "bar", "data": s.values,
                         "itemStyle": {"color": s.colour}} for s in series]
    return option
