"""Strategies compared on common random numbers: paired differences have narrower intervals
than unpaired ones, and `ripple compare` writes the tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.compare import paired, unpaired_half_width
from sim.model import handlers
from sim.run.experiment import run_experiment

from ..conftest import scenario

STRIKE = ["scenario=la_lb_strike", "experiment.replications=8"]


def test_paired_interval_narrower_than_unpaired():
    frames = []
    for strategy in ("overseas_warehouse", "transship"):
        sc, plan = scenario([*STRIKE, f"strategy={strategy}"])
        res = run_experiment(sc, plan, handlers.default_backend())
        frames.append(res.kpis.assign(strategy=strategy))
    kpis = pd.concat(frames, ignore_index=True)
    diffs = paired(
        kpis,
        "overseas_warehouse",
        ["fill_rate", "otif", "lead_time_mean", "total_cost", "avg_on_hand"],
    )
    for row in diffs.itertuples():
        a = kpis.loc[kpis["strategy"] == "transship", row.kpi].to_numpy()
        b = kpis.loc[kpis["strategy"] == "overseas_warehouse", row.kpi].to_numpy()
        paired_half = (row.diff_ci_high - row.diff_ci_low) / 2
        assert np.isclose(row.diff_mean, a.mean() - b.mean())
        unpaired = unpaired_half_width(a, b)
        print(f"{row.kpi}: paired half-width {paired_half:.4g}, unpaired {unpaired:.4g}")
        assert paired_half < unpaired, row.kpi


def test_compare_command(tmp_path):
    out = tmp_path / "results"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "--strategies",
            "overseas_warehouse,transship",
            "experiment=quick",
            "experiment.replications=2",
            f"out_dir={out}",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    run = Path(p.stdout.strip().splitlines()[-1])
    kp = pd.read_parquet(run / "kpis.parquet")
    assert set(kp["strategy"]) == {"overseas_warehouse", "transship"} and len(kp) == 4
    pc = pd.read_csv(run / "paired.csv")
    assert set(pc["strategy"]) == {"transship"} and "share_better" in pc.columns
    bad = subprocess.run(
        [sys.executable, "-m", "sim", "compare", "--strategies", "nope,direct2", f"out_dir={out}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_compare_without_strategies_runs_every_one_the_network_supports(tmp_path, capsys):
    """With no --strategies, every option of strategy/ the network can run, the config's own
    as the baseline; the ones left out are named with the reason, on stderr."""
    from sim import cli

    argv = [
        "compare",
        "network=asia_europe",
        "experiment=quick",
        "experiment.replications=1",
        "experiment.horizon_days=20",
        "experiment.warmup_days=5",
        f"out_dir={tmp_path}",
        "--no-progress",
    ]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "baseline overseas_warehouse, the config's own" in err
    assert "forward_fc (strategy.fcs:" in err and "source_hub (strategy.hub:" in err
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    ran = set(pd.read_csv(folder / "summary.csv")["strategy"])
    assert ran == {
        "overseas_warehouse",
        "air_replenishment",
        "expedite_air",
        "pooled_multichannel",
        "separate_channels",
    }
    assert set(pd.read_csv(folder / "paired.csv")["strategy"]) == ran - {"overseas_warehouse"}


def test_compare_planners_runs_the_strategy_under_both_planners(tmp_path, capsys):
    """--planners compares the static and the reacting planner (policy.planner) on common
    random numbers, the config's strategy fixed: on the Red Sea year the reacting planner, who
    re-sizes the base stock for the longer lead time, keeps a higher fill rate in every
    replication (docs/resilience.md)."""
    from sim import cli

    argv = ["compare", "--planners", "scenario=red_sea_2023", "experiment=quick"]
    assert cli.main([*argv, f"out_dir={tmp_path}", "--no-progress"]) == 0
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert (
        "--planners static,reacting --baseline static_planner"
        in (folder / "config.yaml").read_text()
    )
    kpis = pd.read_parquet(folder / "kpis.parquet")
    assert set(kpis["strategy"]) == {"static_planner", "reacting_planner"}
    wide = kpis.pivot(index="replication", columns="strategy", values="fill_rate")
    assert (wide["reacting_planner"] > wide["static_planner"]).all(), wide
    summary = pd.read_csv(folder / "summary.csv")
    assert set(summary["strategy"]) == {"static_planner", "reacting_planner"}


def test_printed_table_shows_order_kpis_only_with_orders():
    from sim.analysis.columns import KPI_UNITS
    from sim.analysis.kpis import ORDER_NAMES
    from sim.views.text import PAIRED_KPIS, format_paired

    rng = np.random.default_rng(1)
    rows = []
    for kpi in ("fill_rate", *ORDER_NAMES, "total_cost", "avg_on_hand", "backorders"):
        rows.append({"strategy": "b", "kpi": kpi, "baseline": "a", "diff_mean": rng.random()})
    diffs = pd.DataFrame(rows).assign(
        diff_ci_low=lambda d: d["diff_mean"] - 0.1,
        diff_ci_high=lambda d: d["diff_mean"] + 0.1,
        share_better=0.5,
    )
    printed = {line.split()[1] for line in format_paired(diffs, KPI_UNITS).splitlines()[1:]}
    assert printed == {"fill_rate", "total_cost", "avg_on_hand", *ORDER_NAMES}
    units = diffs.assign(diff_mean=lambda d: d["diff_mean"].where(~d["kpi"].isin(ORDER_NAMES)))
    printed = {line.split()[1] for line in format_paired(units, KPI_UNITS).splitlines()[1:]}
    assert printed == {"fill_rate", "total_cost", "avg_on_hand"} and printed <= set(PAIRED_KPIS)
