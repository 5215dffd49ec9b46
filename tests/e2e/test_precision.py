"""Sequential stopping from the command line: `--precision` adds replications until every named
KPI's 95% half-width is under its target, says how many were needed, and gives exactly the
numbers of a fixed run of that many (experiment.replications=n); bad targets get one line and
exit status 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.analysis.columns import KPI_UNITS
from sim.cli import main
from sim.model import handlers
from sim.run.experiment import run_experiment
from sim.run.precision import status

from ..conftest import scenario

QUICK = ["experiment=quick", "--no-progress"]


def _ripple(*args: str) -> tuple[Path, str]:
    p = subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=300
    )
    assert p.returncode == 0, p.stderr
    return Path(p.stdout.strip().splitlines()[-1]), p.stdout


def _rounds(stdout: str) -> tuple[int, list[int]]:
    m = re.search(
        r"precision targets met \(.*\) after (\d+) replications.*\(rounds: ([\d, ]+)\)", stdout
    )
    assert m, stdout
    return int(m.group(1)), [int(x) for x in m.group(2).split(", ")]


def test_run_stops_when_met_and_equals_a_fixed_run(tmp_path):
    targets = {"fill_rate": 0.01, "total_cost": 20000.0}
    run, out = _ripple(
        "run",
        *QUICK,
        f"out_dir={tmp_path / 'seq'}",
        "--precision",
        "fill_rate=0.01,total_cost=20000",
        "--max-replications",
        "30",
    )
    n, rounds = _rounds(out)
    assert 2 < n < 30 and rounds[0] == 2 and rounds[-1] == n
    kpis = pd.read_parquet(run / "kpis.parquet")
    assert kpis["replication"].tolist() == list(range(n))
    assert yaml.safe_load((run / "config.yaml").read_text())["experiment"]["replications"] == n
    prec = pd.read_csv(run / "precision.csv")
    assert prec["met"].all() and (prec["half_width"] < prec["target"]).all()
    assert "precision targets met" in (run / "report.html").read_text()
    # not met at the round before: it stopped at the first size that meets the targets
    assert not status(kpis[kpis["replication"] < rounds[-2]], targets, KPI_UNITS)["met"].all()

    sc, plan = scenario(["experiment=quick", f"experiment.replications={n}"])
    fixed = run_experiment(sc, plan, handlers.default_backend())
    for table in ("kpis", "daily", "waits"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(run / f"{table}.parquet"), getattr(fixed, table)
        )


def test_compare_stops_when_met_per_strategy_and_equals_a_fixed_compare(tmp_path):
    common = ["compare", "--strategies", "overseas_warehouse,transship", *QUICK]
    run, out = _ripple(
        *common,
        f"out_dir={tmp_path / 'seq'}",
        "--precision",
        "fill_rate=0.02,otif=0.02",
        "--max-replications",
        "30",
    )
    n, rounds = _rounds(out)
    assert 2 < n < 30 and "per strategy" in out
    prec = pd.read_csv(run / "precision.csv")
    assert set(prec["strategy"]) == {"overseas_warehouse", "transship"} and prec["met"].all()
    kpis = pd.read_parquet(run / "kpis.parquet")
    assert not status(
        kpis[kpis["replication"] < rounds[-2]],
        {"fill_rate": 0.02, "otif": 0.02},
        KPI_UNITS,
        by="strategy",
    )["met"].all()
    daily = pd.read_parquet(run / "daily.parquet")
    for strategy in ("overseas_warehouse", "transship"):
        sc, plan = scenario(
            ["experiment=quick", f"experiment.replications={n}", f"strategy={strategy}"]
        )
        fixed = run_experiment(sc, plan, handlers.default_backend())
        for table, got in (("kpis", kpis), ("daily", daily)):
            mine = got[got["strategy"] == strategy].drop(columns="strategy")
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), getattr(fixed, table))


BAD = [
    ["--precision", "fill=0.01"],
    ["--precision", "fill_rate=0"],
    ["--precision", "fill_rate=-0.1"],
    ["--precision", "fill_rate"],
    ["--precision", "fill_rate=abc"],
    ["--precision", "fill_rate=0.01", "--max-replications", "1"],
    ["--max-replications", "9"],
]


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("bad", BAD, ids=[" ".join(b) for b in BAD])
def test_bad_precision_one_line_exit_2_nothing_written(tmp_path, capsys, command, bad):
    out = tmp_path / "results"
    extra = ["--strategies", "overseas_warehouse,transship"] if command == "compare" else []
    code = main([command, *extra, "experiment=quick", f"out_dir={out}", "--no-progress", *bad])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("ripple: config error: --")
    assert not out.exists() or not any(out.iterdir())
