"""The report renders its figures (not blank, the disrupted port ringed in red) into a
self-contained report.html that fetches nothing."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np

from sim.analysis.columns import KPI_COLUMNS, KPI_UNITS
from sim.analysis.stats import summarize
from sim.model import handlers
from sim.run.experiment import run_experiment
from sim.views.map_figure import network_map
from sim.views.report import write_report

from ..conftest import scenario


def _red_share(img: np.ndarray) -> float:
    rgb = img[..., :3]
    return float(((rgb[..., 0] > 0.75) & (rgb[..., 1] < 0.15) & (rgb[..., 2] < 0.15)).mean())


def test_report_is_whole_and_offline(tmp_path):
    sc, plan = scenario(
        ["experiment=quick", "scenario=la_lb_strike", "disruption.scripted.strike.start=30"]
    )
    res = run_experiment(sc, plan, handlers.default_backend(), replications=2)
    summary = summarize(res.kpis, list(KPI_COLUMNS), KPI_UNITS)
    page = write_report(tmp_path, sc, plan, res, summary).read_text()
    for name in (
        "network_map",
        "timeline",
        "daily_service",
        "daily_inventory",
        "waits_by_cause",
        "kpi_distributions",
    ):
        img = mpimg.imread(tmp_path / "figures" / f"{name}.png")
        assert img.shape[0] >= 250 and img.shape[1] >= 300, name
        assert img[..., :3].std() > 0.02, f"{name} looks blank"
    assert "data:image/png;base64," in page
    assert "http://" not in page and "https://" not in page
    for kpi in ("fill_rate", "otif", "lead_time_p95", "total_cost", "performance_loss"):
        assert kpi in page
    assert "LA/LB strike" in page and "were shipped from stock" in page


def test_map_rings_the_disrupted_port(tmp_path):
    sc, plan = scenario(["experiment=quick"])
    for hot, path in ((set(), tmp_path / "plain.png"), ({"PORT_LALB"}, tmp_path / "hot.png")):
        network_map(sc, plan, hot).savefig(path, dpi=60)
    assert (
        _red_share(mpimg.imread(tmp_path / "hot.png"))
        > 2 * _red_share(mpimg.imread(tmp_path / "plain.png")) + 1e-4
    )
