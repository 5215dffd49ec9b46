"""`ripple compare` writes a whole compare folder: every table (with a ``strategy`` column where
per replication), the network, and a self-contained report whose sections each hold a
non-blank figure and whose text names the winner with its interval."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import networkx as nx
import pandas as pd

from sim.analysis.compare import frontier

STRATEGIES = "overseas_warehouse,expedite_air,air_replenishment"
SECTIONS = {
    "fig-kpi_by_strategy": "kpis",
    "fig-frontier": "frontier",
    "fig-paired_differences": "paired",
    "fig-service_bands": "daily",
    "fig-network_map": "network",
}


def test_compare_folder_and_report(tmp_path):
    out = tmp_path / "results"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "--strategies",
            STRATEGIES,
            "scenario=la_lb_strike",
            "disruption.scripted.strike.start=30",
            "experiment=quick",
            "experiment.replications=3",
            f"out_dir={out}",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    run = Path(p.stdout.strip().splitlines()[-1])
    assert [d.name for d in out.iterdir()] == [run.name]  # no store or temporary left

    names = set(STRATEGIES.split(","))
    for table in ("kpis", "daily", "waits", "disruptions"):
        df = pd.read_parquet(run / f"{table}.parquet")
        assert set(df["strategy"]) == names, table
    dis = pd.read_parquet(run / "disruptions.parquet")
    assert (dis["label"] == "LA/LB strike").all() and len(dis) == 9  # 3 strategies x 3 reps
    for name in ("summary", "paired"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(run / f"{name}.parquet"),
            pd.read_csv(run / f"{name}.csv"),
            check_dtype=False,
        )
    assert nx.read_graphml(run / "network.graphml").number_of_nodes() > 10

    page = (run / "report.html").read_text()
    assert "http://" not in page and "https://" not in page and "<script" not in page
    for fig_id, section in SECTIONS.items():
        assert f"<h2 id='{section}'>" in page, section
        m = re.search(
            rf'<figure id="{fig_id}"><img alt="[^"]+" '
            r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"',
            page,
        )
        assert m, fig_id
        img = mpimg.imread(io.BytesIO(base64.b64decode(m.group(1))), format="png")
        assert img.shape[0] >= 300 and img.shape[1] >= 500, fig_id
        assert img[..., :3].std() > 0.05, f"{fig_id} looks blank"

    # The plain words: each strategy against the baseline on fill rate with its interval and
    # the cost that goes with it; the best strategy per KPI; the frontier.
    paired = pd.read_parquet(run / "paired.parquet").set_index(["strategy", "kpi"])
    for s in ("expedite_air", "air_replenishment"):
        fill = paired.loc[(s, "fill_rate")]
        pts = (
            f"{100 * abs(fill['diff_mean']):.1f} points"
            if abs(fill["diff_mean"]) >= 0.01
            else f"{100 * abs(fill['diff_mean']):.2f} points"
        )
        assert re.search(
            rf"<p>{s} (raises|lowers|differs from overseas_warehouse in) fill "
            rf"rate by \+?{re.escape(pts)} \(95% CI [-0-9.]+ to [-0-9.]+\)",
            page,
        ), s
        assert re.search(
            rf"<p>{s} [^<]*total cost \([^<]*95% CI [-0-9,]+ to [-0-9,]+ USD\)", page
        ), s
    summary = pd.read_parquet(run / "summary.parquet")
    cost = summary[summary["kpi"] == "total_cost"].set_index("strategy")["mean"]
    assert f"Best total cost: {cost.idxmin()} (" in page
    front = frontier(summary)
    for r in front.itertuples():
        assert (f"{r.strategy} is dominated by {r.dominated_by} " in page) != r.efficient
    assert "Pareto-efficient" in page
