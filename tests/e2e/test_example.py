"""The worked example ``examples/cross_border_seller`` runs as its README says: its sales history
is written by its ``make_tables.py``, and the project validates, fits its demand, runs its
strike scenario and compares strategies on it, writing into its own ``results/``."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cross_border_seller"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the example (without results) with a small history of 40 SKUs."""
    dest = tmp_path_factory.mktemp("example") / "cross_border_seller"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("results", "sales"))
    make = runpy.run_path(str(dest / "make_tables.py"))
    make["main"](["--out", str(dest), "--skus", "40", "--truth"])
    return dest


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_the_history_tables_are_written(project):
    sales = pd.read_csv(project / "tables" / "sales" / "sales.csv")
    skus = pd.read_csv(project / "tables" / "sales" / "skus.csv")
    assert set(sales["market"]) == {"amazon_us", "walmart_us"}
    assert len(skus) == 40 and set(sales["sku"]) <= set(skus["sku"])
    assert sales["date"].min() == "2024-01-01" and sales["date"].max() == "2025-12-30"


def test_the_example_validates_runs_and_compares(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    status, out, err = _cli(capsys, "validate")
    assert status == 0 and out.startswith("ok: scenario default"), err
    status, out, err = _cli(capsys, "demand", "--top", "3")
    assert status == 0, err
    assert "amazon_us" in out and "walmart_us" in out, out
    status, out, err = _cli(
        capsys,
        "run",
        "scenario=long_beach_strike",
        "experiment.replications=2",
        "experiment.workers=1",
        "--no-progress",
    )
    assert status == 0, err
    run = Path(out.strip().splitlines()[-1])
    assert run.resolve().parent == (project / "results").resolve()
    kpis = pd.read_parquet(run / "kpis.parquet")
    assert len(kpis) == 2 and kpis["fill_rate"].between(0.5, 1.0).all(), kpis["fill_rate"]
    assert (run / "report.html").is_file()
    status, out, err = _cli(
        capsys,
        "compare",
        "--strategies",
        "overseas_warehouse,forward_fc",
        "scenario=long_beach_strike",
        "experiment.replications=2",
        "experiment.workers=1",
        "--no-progress",
    )
    assert status == 0, err
    folder = Path(out.strip().splitlines()[-1])
    summary = pd.read_csv(folder / "summary.csv")
    assert {"overseas_warehouse", "forward_fc"} <= set(summary["strategy"]), summary
