"""``ripple sweep`` and ``ripple gather``: a Hydra multirun writes a run folder per job whose
numbers equal ``ripple run``'s, and gather makes one tidy table of them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.analysis.columns import KPI_COLUMNS, reported
from sim.run.gather import gather

RIPPLE = [sys.executable, "-m", "sim"]
SMALL = [  # quick's horizon (a year): the LA/LB strike of the grid falls in it
    "experiment=quick",
    "experiment.replications=2",
    "experiment.warmup_days=10",
]
GRID = ["scenario=default,la_lb_strike", "policy.default.target_days=40,50"]
RUN_FILES = (
    "config.yaml",
    "kpis.parquet",
    "daily.parquet",
    "waits.parquet",
    "disruptions.parquet",
    "summary.csv",
    "report.html",
    "network.graphml",
)


def ripple(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*RIPPLE, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    """A 2 x 2 sweep with the basic launcher."""
    tmp = tmp_path_factory.mktemp("sweep")
    p = ripple("sweep", *SMALL, *GRID, f"out_dir={tmp / 'results'}", cwd=tmp)
    assert p.returncode == 0, p.stderr
    sweep_dir = Path(p.stdout.strip().splitlines()[-1]).parent
    assert sweep_dir.parent == tmp / "results" / "sweeps"
    return sweep_dir


def test_sweep_writes_a_run_folder_per_job_and_a_manifest(sweep):
    jobs = sorted(p.name for p in sweep.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert jobs == ["job-000", "job-001", "job-002", "job-003"]
    for name in jobs:
        for f in (*RUN_FILES, "job.yaml"):
            assert (sweep / name / f).is_file(), (name, f)
    assert not [p for p in sweep.iterdir() if p.name.startswith((".tmp", ".partial"))]
    man = yaml.safe_load((sweep / "sweep.yaml").read_text())
    assert man["swept"] == ["scenario", "policy.default.target_days"]
    # Hydra's basic sweeper order: the last swept key varies fastest.
    points = [(j["overrides"][-3], j["overrides"][-2]) for j in man["jobs"]]
    assert points == [
        ("scenario=default", "policy.default.target_days=40"),
        ("scenario=default", "policy.default.target_days=50"),
        ("scenario=la_lb_strike", "policy.default.target_days=40"),
        ("scenario=la_lb_strike", "policy.default.target_days=50"),
    ]
    for j in man["jobs"]:
        job = yaml.safe_load((sweep / j["name"] / "job.yaml").read_text())
        assert job["overrides"] == j["overrides"]
        cfg = yaml.safe_load((sweep / j["name"] / "config.yaml").read_text())
        scenario = j["overrides"][-3].split("=")[1]
        assert cfg["scenario"] == scenario
        assert ("strike" in cfg["disruption"]["scripted"]) == (scenario == "la_lb_strike")
        assert cfg["policy"]["default"]["target_days"] == int(j["overrides"][-2].split("=")[1])


def test_gather_tidy_table_and_summary(sweep):
    table = pd.read_parquet(sweep / "sweep.parquet")
    assert len(table) == 4 * 2
    assert list(table.columns[:4]) == [
        "job",
        "scenario",
        "policy.default.target_days",
        "replication",
    ]
    assert set(KPI_COLUMNS) <= set(table.columns)
    assert pd.api.types.is_integer_dtype(table["policy.default.target_days"])
    assert table.groupby(["scenario", "policy.default.target_days"]).size().tolist() == [2] * 4
    # The swept value reached the model: more target stock, more stock on hand.
    on_hand = table.groupby("policy.default.target_days")["avg_on_hand"].mean()
    assert on_hand[50] > on_hand[40]
    csv = pd.read_csv(sweep / "sweep.csv")
    assert len(csv) == len(table) and list(csv.columns) == list(table.columns)
    summary = pd.read_csv(sweep / "sweep_summary.csv")
    assert len(summary) == 4 * len(reported(KPI_COLUMNS, has_orders=False))
    row = summary[(summary.job == 3) & (summary.kpi == "fill_rate")].iloc[0]
    x = table.loc[table.job == 3, "fill_rate"]
    assert row["policy.default.target_days"] == 50 and row["scenario"] == "la_lb_strike"
    assert row["n"] == 2 and row["mean"] == pytest.approx(x.mean())
    assert row["ci_low"] <= row["mean"] <= row["ci_high"]


def test_sweep_point_equals_plain_run_bit_for_bit(sweep, tmp_path):
    job = yaml.safe_load((sweep / "job-003" / "job.yaml").read_text())
    overrides = [o for o in job["overrides"] if not o.startswith("out_dir=")]
    p = ripple("run", *overrides, f"out_dir={tmp_path / 'plain'}", "--no-progress", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    plain = Path(p.stdout.strip().splitlines()[-1])
    for table in ("kpis", "daily", "waits"):
        a = pd.read_parquet(sweep / "job-003" / f"{table}.parquet")
        b = pd.read_parquet(plain / f"{table}.parquet")
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    strip = [
        ln
        for ln in (plain / "config.yaml").read_text().splitlines()
        if not ln.startswith("out_dir:")
    ]
    assert [
        ln
        for ln in (sweep / "job-003" / "config.yaml").read_text().splitlines()
        if not ln.startswith("out_dir:")
    ] == strip


def test_partial_sweep_is_gathered_and_resumed_on_joblib(sweep, tmp_path):
    part = tmp_path / "part"
    shutil.copytree(sweep, part)
    shutil.rmtree(part / "job-001")
    for f in ("sweep.parquet", "sweep.csv", "sweep_summary.csv"):
        (part / f).unlink()
    p = ripple("gather", str(part), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "job-001" in p.stderr and "1 of 4" in p.stderr
    assert len(pd.read_parquet(part / "sweep.parquet")) == 3 * 2
    # The same sweep into the same directory runs only the missing job; here on another
    # launcher (Hydra's joblib plugin, installed with the test extra), with the same numbers.
    kept = (part / "job-000" / "kpis.parquet").stat().st_mtime_ns
    p = ripple(
        "sweep",
        *SMALL,
        *GRID,
        f"out_dir={sweep.parent.parent}",
        f"hydra.sweep.dir={part}",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert (part / "job-000" / "kpis.parquet").stat().st_mtime_ns == kept
    for table in ("kpis", "daily"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(part / "job-001" / f"{table}.parquet"),
            pd.read_parquet(sweep / "job-001" / f"{table}.parquet"),
            check_exact=True,
        )
    assert len(pd.read_parquet(part / "sweep.parquet")) == 4 * 2
    # Another sweep into that directory is refused before it runs anything.
    p = ripple(
        "sweep",
        *SMALL,
        "policy.default.target_days=30,60",
        f"out_dir={sweep.parent.parent}",
        f"hydra.sweep.dir={part}",
        cwd=tmp_path,
    )
    assert p.returncode == 2 and "hydra.sweep.dir" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_gather_without_manifest_finds_swept_keys(sweep, tmp_path):
    """Job folders written by an external launcher, without the manifest."""
    ext = tmp_path / "ext"
    ext.mkdir()
    for name in ("job-000", "job-003"):
        shutil.copytree(sweep / name, ext / name)
    g = gather(ext)
    assert g.missing is None and g.jobs == ["job-000", "job-003"]
    assert g.columns == ["policy.default.target_days", "scenario"]
    assert g.table["scenario"].tolist() == ["default"] * 2 + ["la_lb_strike"] * 2


BAD = {
    "bad value in one point": (
        ["network.nodes.PORT_LALB.capacity=2,-1"],
        "network.nodes.PORT_LALB.capacity",
    ),
    "unknown option in one point": (["policy=sS,nope"], "policy"),
    "unknown scenario in one point": (["scenario=la_lb_strike,atlantis"], "scenario"),
    "wrong type in one point": (["experiment.replications=1,many"], "experiment.replications"),
    "launcher not installed": (["hydra/launcher=nope"], "hydra/launcher"),
    "override syntax": (["policy.default.target_days=[1,2"], "policy.default.target_days"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_sweep_one_line_exit_2_nothing_written(case, tmp_path):
    overrides, key = BAD[case]
    out = tmp_path / "results"
    p = ripple("sweep", "experiment=quick", *overrides, f"out_dir={out}", cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "expected" in lines[0], p.stderr
    assert not out.exists()
    assert not [f for f in tmp_path.iterdir() if f.name != "results"]


@pytest.mark.parametrize("where", ["missing", "not a sweep"])
def test_gather_bad_dir_exit_2(where, tmp_path):
    target = tmp_path / "nope" if where == "missing" else tmp_path
    p = ripple("gather", str(target), cwd=tmp_path)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "SWEEP_DIR" in lines[0] and "expected" in lines[0]
