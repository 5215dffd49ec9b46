"""Figures render from a small real run (right size, not blank) and the report page is whole,
readable and offline."""

from __future__ import annotations

import html
import re

import matplotlib.image as mpimg
import numpy as np
import pytest

from sim.analysis import kpis
from sim.analysis.columns import KPI_COLUMNS, KPI_UNITS
from sim.analysis.stats import summarize
from sim.model import handlers
from sim.run.experiment import run_experiment
from sim.views.daily_figures import daily_inventory, daily_service
from sim.views.kpi_figures import kpi_distributions, waits_by_cause
from sim.views.kpi_values import fmt
from sim.views.map_figure import lon_label, network_map, pacific_centred
from sim.views.report import write_report
from sim.views.report_text import summary_text

from ..conftest import scenario

KPIS = ["fill_rate", "otif", "lead_time_p95", "total_cost"]


@pytest.fixture(scope="module")
def run():
    sc, plan = scenario(["experiment=quick", "experiment.replications=2"])
    res = run_experiment(sc, plan, handlers.default_backend())
    summary = summarize(res.kpis, list(KPI_COLUMNS), KPI_UNITS)
    return sc, plan, res, summary


def _check_png(path, min_h: int = 250, min_w: int = 300) -> None:
    img = mpimg.imread(path)
    assert img.shape[0] >= min_h and img.shape[1] >= min_w, (path.name, img.shape)
    rgb = img[..., :3].reshape(-1, 3)
    assert rgb.std() > 0.02, f"{path.name} looks blank"
    assert len(np.unique(rgb[:: max(len(rgb) // 20000, 1)], axis=0)) > 5, path.name


def test_each_figure_renders(run, tmp_path):
    sc, plan, res, _ = run
    made = {
        "network_map": network_map(sc, plan),
        "daily_service": daily_service(res.daily, [("Promo", 10.0, 14.0)]),
        "daily_inventory": daily_inventory(res.daily),
        "waits_by_cause": waits_by_cause(res.waits),
        "kpi_distributions": kpi_distributions(res.kpis, KPIS),
    }
    for name, fig in made.items():
        fig.savefig(tmp_path / f"{name}.png", dpi=80)
        _check_png(tmp_path / f"{name}.png")


def test_map_is_pacific_centred_with_real_degree_ticks(run):
    sc, plan, _, _ = run
    assert pacific_centred(n.lon for n in sc.network.nodes)
    ax = network_map(sc, plan).axes[0]
    lo, hi = ax.get_xlim()
    assert lo > 90 and hi < 300  # China ~114-122 and the US ~238-286, the Pacific between
    labels = [ax.xaxis.get_major_formatter()(t) for t in ax.get_xticks() if lo <= t <= hi]
    assert any(s.endswith("E") for s in labels) and any(s.endswith("W") for s in labels)
    assert lon_label(242.0) == "118°W" and lon_label(120.0) == "120°E"
    assert not pacific_centred([4.0, 9.0, 114.0, -1.0])  # Asia-Europe: no shift
    texts = {t.get_text() for t in ax.texts}
    assert {"US West", "Inland Empire", "Shenzhen"} <= texts


def test_empty_inputs_still_give_a_figure(run):
    _, _, res, _ = run
    for fig in (
        waits_by_cause(res.waits.iloc[:0]),
        daily_service(res.daily.iloc[:0]),
        kpi_distributions(res.kpis, ["no_such_kpi"]),
    ):
        assert fig.axes


def test_report_is_whole_and_offline(run, tmp_path):
    sc, plan, res, summary = run
    path = write_report(tmp_path, sc, plan, res, summary)
    assert path == tmp_path / "report.html" and path.exists()
    for name in (
        "network_map",
        "timeline",
        "daily_service",
        "daily_inventory",
        "waits_by_cause",
        "kpi_distributions",
    ):
        _check_png(tmp_path / "figures" / f"{name}.png")
    page = path.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 6
    assert "http://" not in page and "https://" not in page
    # nothing to fetch; the one link is a sibling page a person may follow
    assert not re.search(r"""(src|href)=["'](?!data:|explore\.html["'])""", page)
    assert "href='explore.html'" in page
    for kpi in kpis.KPI_NAMES:
        assert re.search(f"<code[^>]*>{kpi}</code>", page), kpi
    assert html.escape(summary_text(summary, sc)) in page
    assert html.escape(sc.network.description) in page and f"<td>{res.backend}</td>" in page
    assert re.search(r"FAC_SHENZHEN -&gt; PORT_YANTIAN -&gt; .*?\(expected [0-9.]+ days\)", page)


def test_summary_text_reads_the_numbers(run):
    sc, _, _, summary = run
    text = summary_text(summary, sc)
    fill = summary.set_index("kpi").loc["fill_rate", "mean"]
    assert f"{100 * fill:.1f}% of units" in text
    assert "Over 2 replications of a 365-day year" in text
    # Over two replications a bounded figure (a share, a cost) gets their range, not a t interval.
    assert "(range " in text and "95% CI" not in text and "M USD" in text


def test_fmt():
    assert fmt(0.96421, "share of units") == "96.42%"
    assert fmt(3469464.2, "USD") == "3,469,464"
    assert fmt(1.527, "days") == "1.53"
    assert fmt(float("nan"), "days") == "n/a"
