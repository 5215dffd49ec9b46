"""What every figure starts from: a headless matplotlib ``Figure`` on the Agg canvas (no pyplot
state: safe headless and in parallel), the text-only figure shown when there is nothing to plot,
and axis tick formatters by KPI unit."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout figure drawn by the non-interactive Agg canvas."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def empty_figure(fig: Figure, text: str) -> Figure:
    """``fig`` with no axes showing, only ``text`` in its middle (such as "no waits
    recorded")."""
    ax = fig.subplots()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="#555555")
    ax.set_axis_off()
    return fig


def thousands(v: float, _pos: object = None) -> str:
    """A tick label with millions as M and thousands as k: 1.2 M, 350 k, 12."""
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} M"
    if abs(v) >= 1e3:
        return f"{v / 1e3:,.0f} k"
    return f"{v:,.0f}"


def unit_formatter(unit: str) -> FuncFormatter:
    """Tick labels for values in ``unit``: shares as %, USD in millions, days with two
    decimals, other counts by :func:`thousands`."""
    if unit.startswith("share"):
        return FuncFormatter(lambda v, _p: f"{100 * v:.1f}%")
    if unit == "USD":
        return FuncFormatter(lambda v, _p: f"{v / 1e6:.3f} M" if abs(v) >= 1e6 else f"{v:,.0f}")
    if unit == "days":
        return FuncFormatter(lambda v, _p: f"{v:.2f}")
    return FuncFormatter(thousands)
